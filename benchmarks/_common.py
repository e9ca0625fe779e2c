"""Shared helpers for newslab's benchmark scripts.

A benchmark measures each contender in its own child process (:func:`measure_in_child`), so
peak-memory figures of one never include the other; inside the child a :class:`RssSampler`
thread records the peak resident set size while the measured call runs, and an optional
``tracemalloc`` pass reports the peak of Python allocations. Results are printed as a table
(:func:`print_table`) and appended as one JSON line to ``benchmarks/results/<name>.jsonl``
together with a description of the machine (:func:`record`).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

__all__ = [
    "RESULTS_DIR",
    "Timer",
    "best_of",
    "RssSampler",
    "rss_mb",
    "maxrss_mb",
    "traced_peak",
    "measure_in_child",
    "machine_info",
    "print_table",
    "record",
]

RESULTS_DIR = Path(__file__).resolve().parent / "results"
_MB = 2**20


def rss_mb() -> float:
    """Return the current resident set size of this process in MiB (psutil, else /proc).

    Examples
    --------
    >>> rss_mb() > 0
    True
    """
    try:
        import psutil

        return psutil.Process().memory_info().rss / _MB
    except ImportError:  # pragma: no cover - psutil is a dev dependency
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / _MB


def maxrss_mb() -> float:
    """Return the peak resident set size of this process so far, in MiB (``getrusage``).

    Examples
    --------
    >>> maxrss_mb() >= 1
    True
    """
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / _MB if sys.platform == "darwin" else peak / 1024


@dataclass
class Timer:
    """Context manager measuring wall-clock and CPU seconds of its block.

    Examples
    --------
    >>> with Timer() as t:
    ...     _ = sum(range(1000))
    >>> t.wall >= 0 and t.cpu >= 0
    True
    """

    wall: float = 0.0
    cpu: float = 0.0
    _t0: float = field(default=0.0, repr=False)
    _c0: float = field(default=0.0, repr=False)

    def __enter__(self) -> Timer:
        self._t0 = time.perf_counter()
        self._c0 = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._t0
        self.cpu = time.process_time() - self._c0


class RssSampler:
    """Context manager sampling this process's RSS in a thread; ``peak`` and ``start`` in MiB.

    Parameters
    ----------
    interval
        Seconds between samples.

    Examples
    --------
    >>> with RssSampler(interval=0.001) as mem:
    ...     block = bytearray(8 * 2**20)
    >>> mem.peak >= mem.start > 0
    True
    """

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.start = 0.0
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sample(self) -> float:
        """Return the current RSS in MiB (subclasses measure something else)."""
        return rss_mb()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self.sample())

    def __enter__(self) -> RssSampler:
        self.start = self.peak = self.sample()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.peak = max(self.peak, self.sample())

    @property
    def delta(self) -> float:
        """Peak minus starting RSS, in MiB."""
        return self.peak - self.start


def best_of(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Return the fastest wall time of ``repeat`` calls of ``fn`` (at least one) and the last result.

    Examples
    --------
    >>> secs, out = best_of(lambda: sum(range(10)), 2)
    >>> out, secs >= 0
    (45, True)
    """
    best, out = float("inf"), None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def evict_from_cache(paths: Sequence[str | os.PathLike[str]]) -> bool:
    """Ask the kernel to drop ``paths`` from the page cache, so the next read comes from disk.

    A read's speed depends on whether the file is in the page cache, and on the machines
    newslab is benchmarked on that is not up to the benchmark: their kernel pages out memory
    (page cache included) that has not been touched for about a minute (DAMON ``pageout``), so
    a 100,000-file corpus read a minute ago is back on disk. Starting each measurement from an
    evicted corpus makes the runs comparable. Returns False where ``posix_fadvise`` is missing
    (nothing was evicted).

    Examples
    --------
    >>> evict_from_cache([__file__]) in (True, False)
    True
    """
    if not hasattr(os, "posix_fadvise"):
        return False
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
    return True


def traced_peak(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """Return ``fn(*args, **kwargs)`` and the peak of Python allocations during it, in MiB.

    ``tracemalloc`` slows allocation-heavy code down several times: never time this call.

    Examples
    --------
    >>> out, peak = traced_peak(lambda: [0] * 2**20)
    >>> len(out), peak > 4
    (1048576, True)
    """
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        out = fn(*args, **kwargs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return out, peak / _MB


def measure_in_child(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Return ``fn(*args)`` run in a fresh (spawned) process, plus that process's peak RSS.

    ``fn`` must be importable (a module-level function) and return a dict of plain values;
    ``maxrss_mb`` (peak RSS of the child, interpreter and imports included) is added to it.

    Examples
    --------
    >>> measure_in_child(os.getpid)  # doctest: +SKIP
    """
    ctx = get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        return pool.submit(_child, fn, args).result()


def _child(fn: Callable[..., dict[str, Any]], args: tuple[Any, ...]) -> dict[str, Any]:
    out = dict(fn(*args))
    out["maxrss_mb"] = round(maxrss_mb(), 1)
    return out


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def machine_info() -> dict[str, Any]:
    """Return a description of the machine and software a benchmark ran on.

    Examples
    --------
    >>> info = machine_info()
    >>> info["cpus"] >= 1 and info["python"].count(".") == 2
    True
    """
    cpu_model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        total_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / _MB
    except (ValueError, OSError, AttributeError):  # pragma: no cover
        total_mb = None
    versions: dict[str, str | None] = {}
    for mod in ("newslab", "numpy", "pandas", "pyarrow"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001 - a missing module is recorded as None
            versions[mod] = None
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu_model,
        "cpus": os.cpu_count() or 1,
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "mem_total_mb": round(total_mb) if total_mb else None,
        "git": _git_commit(),
        **versions,
    }


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def print_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], title: str = "") -> str:
    """Print ``rows`` as an aligned text table (missing cells blank) and return the text.

    Examples
    --------
    >>> _ = print_table([{"what": "raw read", "files/s": 12345.6}], ["what", "files/s"])
    what     files/s
    -------- -------
    raw read  12,346
    """
    cells = [[_fmt(row.get(col)) for col in columns] for row in rows]
    widths = [max([len(col)] + [len(r[i]) for r in cells]) for i, col in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.ljust(w) if i == 0 else v.rjust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return " ".join(parts).rstrip()

    out = [title] if title else []
    out += [line(list(columns)), " ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    text = "\n".join(out)
    print(text)
    return text


def record(
    name: str,
    results: Mapping[str, Any],
    *,
    params: Mapping[str, Any] | None = None,
    results_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Append one JSON line (time, params, results, machine info) to ``results/<name>.jsonl``.

    Parameters
    ----------
    name
        Benchmark name (file stem).
    results
        Measured figures (JSON-serialisable).
    params
        The benchmark's parameters (corpus size, seed, ...).
    results_dir
        Folder of the JSONL files (default ``benchmarks/results``).

    Returns
    -------
    pathlib.Path
        The file appended to.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = record("demo", {"rate": 1.5}, params={"n": 2}, results_dir=tmp)
    ...     json.loads(path.read_text())["results"]
    {'rate': 1.5}
    """
    folder = Path(results_dir) if results_dir is not None else RESULTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.jsonl"
    entry = {
        "benchmark": name,
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "params": dict(params or {}),
        "results": dict(results),
        "machine": machine_info(),
    }
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, default=str) + "\n")
    return path
