"""Count the CPU instructions ``load_corpus`` spends per article (valgrind callgrind).

Usage::

    python benchmarks/bench_instructions.py [--small 600] [--large 2000] [--seed 0]
        [--base PATH] [--no-record]

Wall-clock rates on a shared virtual machine move by a fifth from one hour to the next; the
number of instructions a run executes does not. This script runs ``load_corpus`` under
``valgrind --tool=callgrind`` on two generated corpora (``benchmarks/generate.py``, cached as
in ``bench_load.py``) and reports the difference of the two totals divided by the difference
of the corpus sizes: the instructions per article, without the start-up (imports, rules) that
both runs share. ``PYTHONHASHSEED=0`` makes the runs repeatable.

``--base PATH`` measures another checkout of newslab too (a ``git worktree`` of an older
commit, say), in the same run, so a change can be judged by its instruction count.
Instructions are user-space only: reading files and page faults in the kernel are not counted.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import print_table, record  # noqa: E402
from bench_load import ensure_corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
_CHILD = "import sys, newslab; newslab.load_corpus(sys.argv[1], progress=False)\n"
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def instructions(root: str | os.PathLike[str], checkout: str | os.PathLike[str]) -> int:
    """Return the instructions of one ``load_corpus(root)`` run of the newslab in ``checkout``.

    Raises
    ------
    RuntimeError
        When valgrind does not report a total (it failed, or is not callgrind).
    """
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONPATH=str(checkout))
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "child.py"
        script.write_text(_CHILD)
        proc = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={tmp}/callgrind.out",
                sys.executable,
                str(script),
                str(root),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    m = _REFS.search(proc.stderr)
    if m is None:
        raise RuntimeError(f"valgrind gave no instruction count:\n{proc.stderr[-2000:]}")
    return int(m.group(1).replace(",", ""))


def per_article(small: int, large: int, refs_small: int, refs_large: int) -> float:
    """Return the instructions per article from two runs of different corpus sizes.

    Examples
    --------
    >>> per_article(600, 2000, 4_600_000_000, 7_960_000_000)
    2400000.0
    """
    return (refs_large - refs_small) / (large - small)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Instructions per article of load_corpus")
    parser.add_argument("--small", type=int, default=600, help="articles in the small corpus")
    parser.add_argument("--large", type=int, default=2000, help="articles in the large corpus")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", default=None, help="where generated corpora are kept")
    parser.add_argument("--base", default=None, help="another newslab checkout to measure too")
    parser.add_argument("--no-record", action="store_true", help="do not append to results/")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    if not 0 < args.small < args.large:
        parser.error("--small must be positive and below --large")
    roots = {n: ensure_corpus(n, args.seed, args.cache_dir) for n in (args.small, args.large)}
    checkouts = {"this checkout": REPO}
    if args.base:
        checkouts["base"] = Path(args.base).resolve()
    rows = []
    for label, checkout in checkouts.items():
        refs = {n: instructions(root, checkout) for n, root in roots.items()}
        rows.append(
            {
                "checkout": label,
                "path": str(checkout),
                f"instr ({args.small})": refs[args.small],
                f"instr ({args.large})": refs[args.large],
                "instr/article": per_article(
                    args.small, args.large, refs[args.small], refs[args.large]
                ),
            }
        )
    print_table(
        rows,
        list(rows[0]),
        title=f"load_corpus under callgrind: corpora of {args.small:,} and {args.large:,} articles",
    )
    if len(rows) == 2:
        change = rows[0]["instr/article"] / rows[1]["instr/article"] - 1
        print(f"\nthis checkout against base: {change:+.1%} instructions per article")
    if not args.no_record:
        path = record(
            "bench_instructions",
            {r["checkout"]: {k: v for k, v in r.items() if k != "checkout"} for r in rows},
            params={"small": args.small, "large": args.large, "seed": args.seed},
        )
        print(f"appended to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
