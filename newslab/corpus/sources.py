"""Turn a user's ``source`` (folder, glob, list, archive, file) into a stream of input items.

Archives are read in memory, member by member, never extracted to disk; every member's size is
checked before it is read, the archive's total and compression ratio are bounded (zip bombs),
and members with absolute or ``..`` paths, links and devices are skipped with a reason.
"""

from __future__ import annotations

import glob as globmod
import gzip
import io
import lzma
import os
import stat
import tarfile
import tempfile
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO

import numpy as np

__all__ = [
    "Item",
    "Skip",
    "InputError",
    "iter_items",
    "read_ahead",
    "read_path",
    "Limits",
    "format_for_name",
    "FORMATS",
]

FORMATS = ("plaintext", "json", "jsonl", "csv", "parquet", "xlsx")
_EXT_FORMAT = {
    ".txt": "plaintext",
    ".text": "plaintext",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".xlsx": "xlsx",
}
#: Formats whose files on disk the loader reads in blocks (no size limit for the whole file).
_STREAMABLE = ("jsonl", "csv")
_ARCHIVES = (".zip", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tar.xz")
_IGNORED_DIRS = {".git", ".hg", ".svn", "__pycache__", ".ipynb_checkpoints", ".newslab-cache"}
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Limits:
    """Size limits for inputs (bytes)."""

    max_file_bytes: int = 64 * 2**20
    max_archive_bytes: int = 4 * 2**30
    max_ratio: float = 200.0


@dataclass(frozen=True)
class Item:
    """One input file (or archive member) to parse."""

    source_path: str
    name: str
    size: int
    mtime_ns: int | None
    read: Callable[[], bytes]


class InputError(ValueError):
    """An input whose bytes cannot be read; ``reason`` is its skip reason in the load report
    (``'too large'``, ``'undecodable'``) and the message its detail."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Skip:
    """An input that will not be parsed, and why."""

    source_path: str
    reason: str
    detail: str = ""
    size: int | None = None


def format_for_name(name: str) -> str | None:
    """Return the format implied by a file name's extension, or None.

    Examples
    --------
    >>> format_for_name("000_c3ecafbcb1a1b926.txt"), format_for_name("dump.jsonl.gz")
    ('plaintext', 'jsonl')
    >>> format_for_name("notes.md") is None
    True
    """
    lower = name.lower()
    if lower.endswith(".gz") and not lower.endswith((".tar.gz",)):
        lower = lower[:-3]
    return _EXT_FORMAT.get(os.path.splitext(lower)[1])


def _is_archive(name: str) -> bool:
    return name.lower().endswith(_ARCHIVES)


def iter_items(
    source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    limits: Limits | None = None,
) -> Iterator[Item | Skip]:
    """Yield every input in ``source`` as an :class:`Item`, or a :class:`Skip` with its reason.

    Parameters
    ----------
    source
        A folder (read recursively), a glob pattern, a file, an archive (``.zip``, ``.tar.gz``,
        ``.tgz``, ``.tar``), or a list of any of these.
    limits
        Size limits.

    Yields
    ------
    Item or Skip
        Files in sorted order; the same file reached twice is skipped as a duplicate path.

    Raises
    ------
    FileNotFoundError
        When a named path or pattern matches nothing.
    """
    limits = limits or Limits()
    sources = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    with _SeenKeys() as seen:
        for src in sources:
            for spath, key in _expand(src):
                if not seen.add(key):
                    yield Skip(spath, "duplicate", "the same file was named twice")
                    continue
                yield from _items_for_path(spath, limits)


class _SeenKeys:
    """A set of strings (resolved paths) in about 16 bytes of memory per string.

    The newest strings are kept as a small dict of their ``hash()`` (the interpreter's, never
    stored); older ones as a sorted numpy array of hashes with the offset of each string in
    an anonymous temporary file. A hash found again is checked exactly against the string read
    back from that file, so two different paths never count as one. A bit array indexed by
    the hash lets most new strings skip the search.
    """

    #: Strings held in the dict before they move to the sorted arrays (at least).
    RECENT = 8192
    #: Bits of the filter that lets most new strings skip the search (4 MB; about 3% of new
    #: strings are searched at a million strings).
    FILTER_BITS = 1 << 25

    def __init__(self) -> None:
        self._filter = bytearray(self.FILTER_BITS >> 3)
        self._recent: dict[int, list[int]] = {}
        self._n_recent = 0
        self._hashes = np.empty(0, np.int64)
        self._offsets = np.empty(0, np.int64)
        self._file: IO[bytes] | None = None
        self._end = 0
        self._at_end = True  # the file position is at its end (no read since the last write)

    def __enter__(self) -> _SeenKeys:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _read(self, offset: int) -> bytes:
        assert self._file is not None
        self._at_end = False
        self._file.seek(offset)
        size = int.from_bytes(self._file.read(4), "little")
        return self._file.read(size)

    def _candidates(self, h: int) -> list[int]:
        found = list(self._recent.get(h, ()))
        if len(self._hashes):
            lo = int(np.searchsorted(self._hashes, h, side="left"))
            hi = int(np.searchsorted(self._hashes, h, side="right"))
            found.extend(int(o) for o in self._offsets[lo:hi])
        return found

    def add(self, key: str) -> bool:
        """Add ``key``; return False when it was there already."""
        data = key.encode("utf-8", "surrogatepass")
        h = hash(key)
        slot = h & (self.FILTER_BITS - 1)
        bit = 1 << (slot & 7)
        if self._filter[slot >> 3] & bit:  # seen, or another string with this slot was
            candidates = self._candidates(h)
            if candidates and any(self._read(o) == data for o in candidates):
                return False
        else:
            self._filter[slot >> 3] |= bit
        if self._file is None:
            # closed by __exit__ (iter_items holds the set in a ``with`` block)
            self._file = tempfile.TemporaryFile()  # noqa: SIM115
        if not self._at_end:
            self._file.seek(self._end)
            self._at_end = True
        self._file.write(len(data).to_bytes(4, "little") + data)
        self._recent.setdefault(h, []).append(self._end)
        self._end += 4 + len(data)
        self._n_recent += 1
        # The dict grows with the arrays (1/32 of them): a merge copies the arrays, so merging
        # every RECENT strings would cost time quadratic in their number.
        if self._n_recent >= max(self.RECENT, len(self._hashes) >> 5):
            self._merge()
        return True

    def _merge(self) -> None:
        pairs = [(h, o) for h, offs in self._recent.items() for o in offs]
        new_h = np.fromiter((p[0] for p in pairs), np.int64, len(pairs))
        new_o = np.fromiter((p[1] for p in pairs), np.int64, len(pairs))
        order = np.argsort(new_h, kind="stable")
        new_h, new_o = new_h[order], new_o[order]
        # one pass over the sorted arrays: the new hashes go in after their equals
        at = np.searchsorted(self._hashes, new_h, side="right")
        self._hashes = np.insert(self._hashes, at, new_h)
        self._offsets = np.insert(self._offsets, at, new_o)
        self._recent = {}
        self._n_recent = 0


def _expand(src: str | os.PathLike[str]) -> Iterator[tuple[str, str]]:
    """Yield ``(path, resolved path)`` for every file ``src`` names."""
    text = os.fspath(src)
    path = Path(text).expanduser()
    if path.is_dir():
        yield from _walk(str(path), str(path.resolve()))
        return
    if path.exists():
        yield str(path), str(path.resolve())
        return
    if _GLOB_CHARS & set(text):
        matches = sorted(globmod.glob(os.path.expanduser(text), recursive=True))
        files = [Path(m) for m in matches if Path(m).is_file()]
        if not files:
            raise FileNotFoundError(f"no files match {text!r}")
        for f in files:
            yield str(f), str(f.resolve())
        return
    raise FileNotFoundError(f"no such file or folder: {text!r}")


def _walk(top: str, root: str) -> Iterator[tuple[str, str]]:
    """Yield ``(path, resolved path)`` of the files under the folder ``top``, sorted.

    The order and the folders visited are those of ``os.walk(top, followlinks=False)`` with
    sorted names (files of a folder before its subfolders); paths are spelled as ``pathlib``
    spells them. Symbolic links that lead outside ``root`` (the resolved ``top``) are left out.
    One ``scandir`` per folder and one ``realpath`` per folder (not per file) keep this cheap
    on folders of 100,000 files.
    """
    try:
        with os.scandir(top) as it:
            entries = list(it)
    except OSError:
        return
    dirs: list[str] = []
    files: list[str] = []
    links: set[str] = set()
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        try:
            link = entry.is_symlink()
        except OSError:
            link = False
        if is_dir:
            if not link and entry.name not in _IGNORED_DIRS:
                dirs.append(entry.name)
        else:
            files.append(entry.name)
            if link:
                links.add(entry.name)
    # names only from here on: a DirEntry costs several times its name, for the whole walk
    del entries
    files.sort()
    dirs.sort()
    real_top = os.path.realpath(top)
    for name in files:
        spath = name if top == "." else os.path.join(top, name)
        if name in links:
            key = os.path.realpath(spath)
            if not _within(Path(key), Path(root)):
                continue
        else:
            key = os.path.join(real_top, name)
        yield spath, key
    del files, links
    for name in dirs:
        yield from _walk(name if top == "." else os.path.join(top, name), root)


def _within(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def _items_for_path(spath: str, limits: Limits) -> Iterator[Item | Skip]:
    try:
        st = os.stat(spath)
    except OSError as exc:
        yield Skip(spath, "unreadable", str(exc))
        return
    if not stat.S_ISREG(st.st_mode):
        yield Skip(spath, "not a regular file")
        return
    name = os.path.basename(spath)
    if name.startswith("."):
        yield Skip(spath, "hidden file", size=st.st_size)
        return
    if _is_archive(name):
        if st.st_size > limits.max_archive_bytes:
            yield Skip(spath, "too large", f"{st.st_size} bytes", st.st_size)
            return
        yield from _archive_items(Path(spath), limits)
        return
    if st.st_size > limits.max_file_bytes and format_for_name(name) not in _STREAMABLE:
        yield Skip(spath, "too large", f"{st.st_size} bytes > {limits.max_file_bytes}", st.st_size)
        return
    # a JSONL or CSV file is read in blocks by the loader, whatever its size; read whole (when
    # another format is forced on it), the reader checks its size
    yield Item(spath, name, st.st_size, st.st_mtime_ns, _file_reader(spath, limits, st.st_size))


#: Files the loader asks the kernel to start reading before it needs them (:func:`read_ahead`).
READ_AHEAD = 16
#: Larger files are not read ahead (a dump read in blocks would fill the page cache at once).
READ_AHEAD_MAX_BYTES = 16 * 2**20


def is_plain_file(item: Item | Skip) -> bool:
    """Whether ``item`` is a file of its own on disk (not an archive member, not a skip)."""
    return isinstance(item, Item) and "!" not in item.source_path


def advise_will_need(path: str) -> None:
    """Ask the kernel to start reading ``path`` into the page cache now, without waiting.

    ``posix_fadvise(POSIX_FADV_WILLNEED)``: the disk reads the file while the caller parses
    the files before it, so reading it later costs a copy from memory, not a wait on the disk.
    A no-op where the call is missing; errors are left for the real read to report.
    """
    if not hasattr(os, "posix_fadvise"):  # not on macOS or Windows
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_ahead(items: Iterable[Item | Skip], depth: int | None = None) -> Iterator[Item | Skip]:
    """Yield ``items`` in order, each once the files of the ``depth`` items after it are asked
    for (:func:`advise_will_need`).

    A corpus that is not in the page cache (on the machines newslab is benchmarked on, one that
    has not been read in the last minute) is otherwise read one small file at a time, each read
    waiting on the disk. With the next files already on their way, parsing one file overlaps
    reading the next ones. ``depth`` defaults to :data:`READ_AHEAD`; 0 turns it off.

    Examples
    --------
    >>> items = [Skip("a.bin", "unsupported"), Skip("b.bin", "unsupported")]
    >>> [i.source_path for i in read_ahead(items, depth=1)]
    ['a.bin', 'b.bin']
    """
    depth = READ_AHEAD if depth is None else depth
    if depth <= 0 or not hasattr(os, "posix_fadvise"):
        yield from items
        return
    window: deque[Item | Skip] = deque()
    for item in items:
        if is_plain_file(item) and item.size <= READ_AHEAD_MAX_BYTES:  # type: ignore[union-attr]
            advise_will_need(item.source_path)
        window.append(item)
        if len(window) > depth:
            yield window.popleft()
    yield from window


def _file_reader(spath: str, limits: Limits, size: int = -1) -> Callable[[], bytes]:
    return partial(_read_file, spath, limits, size)


_O_READ = os.O_RDONLY | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows only


def read_path(path: str, size: int = -1) -> bytes:
    """Return the bytes of the file at ``path``.

    ``size`` is what ``stat`` said when the folder was listed: one ``os.read`` of that size
    (and one more that finds the end) reads most files, without the buffered file object of
    ``open`` (half the time of ``open(...).read()`` on small files). A file that grew or
    shrank since is read to its end all the same.
    """
    fd = os.open(path, _O_READ)
    try:
        chunks = []
        want = size + 1 if size >= 0 else 1 << 16
        while chunk := os.read(fd, want):
            chunks.append(chunk)
            want = 1 << 16
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _read_file(spath: str, limits: Limits, size: int = -1) -> bytes:
    """Return the bytes of the file ``spath`` (:func:`read_path`), gunzipped for ``.gz``."""
    if size > limits.max_file_bytes:
        raise InputError("too large", f"{size} bytes > {limits.max_file_bytes}")
    data = read_path(spath, size)
    if spath.lower().endswith(".gz"):
        data = _gunzip(data, limits)
    return data


#: What a corrupt or truncated compressed stream raises: OSError (gzip, bz2 and zip raise it
#: for some damage), zlib, lzma, zipfile and tarfile errors for other damage, and zipfile's
#: NotImplementedError (an unknown compression method or version, often a damaged header)
#: and RuntimeError (an encrypted member).
_CORRUPT = (
    OSError,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    zipfile.BadZipFile,
    tarfile.TarError,
    NotImplementedError,
    RuntimeError,
)


def _gunzip(data: bytes, limits: Limits) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(limits.max_file_bytes + 1)
    except _CORRUPT as exc:
        raise InputError("undecodable", f"corrupt gzip data: {exc}") from None
    if len(out) > limits.max_file_bytes:
        raise InputError(
            "too large", f"too large: decompresses to more than {limits.max_file_bytes} bytes"
        )
    return out


def _unsafe_member(name: str) -> bool:
    p = PurePosixPath(name.replace("\\", "/"))
    return p.is_absolute() or ".." in p.parts or (len(name) > 1 and name[1] == ":")


def _archive_items(path: Path, limits: Limits) -> Iterator[Item | Skip]:
    spath = str(path)
    try:
        if path.name.lower().endswith(".zip"):
            yield from _zip_items(path, spath, limits)
        else:
            yield from _tar_items(path, spath, limits)
    except _CORRUPT as exc:
        yield Skip(spath, "bad archive", str(exc))


def _zip_items(path: Path, spath: str, limits: Limits) -> Iterator[Item | Skip]:
    zf = zipfile.ZipFile(path)
    total = 0
    for info in sorted(zf.infolist(), key=lambda i: i.filename):
        member = f"{spath}!{info.filename}"
        if not info.filename:  # a damaged header (zipfile's is_dir would raise IndexError)
            yield Skip(member, "bad archive", "a member without a name", info.file_size)
            continue
        if info.is_dir():
            continue
        name = PurePosixPath(info.filename).name
        if _unsafe_member(info.filename):
            yield Skip(member, "unsafe path", "absolute or '..' member path")
            continue
        if name.startswith(".") or info.filename.startswith("__MACOSX/"):
            yield Skip(member, "hidden file", size=info.file_size)
            continue
        if info.file_size > limits.max_file_bytes:
            yield Skip(member, "too large", f"{info.file_size} bytes", info.file_size)
            continue
        if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
            yield Skip(member, "too large", "compression ratio suggests a zip bomb", info.file_size)
            continue
        total += info.file_size
        if total > limits.max_archive_bytes:
            yield Skip(member, "too large", "archive total exceeds the limit", info.file_size)
            continue
        if _is_archive(name):
            yield Skip(member, "unsupported", "nested archive")
            continue

        def read(info: zipfile.ZipInfo = info) -> bytes:
            try:
                with zf.open(info) as fh:
                    data = fh.read(limits.max_file_bytes + 1)
            except _CORRUPT as exc:  # a damaged member (bad CRC, bad deflate data)
                raise InputError("undecodable", f"corrupt archive member: {exc}") from None
            if len(data) > limits.max_file_bytes:
                raise InputError("too large", "too large: member is larger than its header says")
            return _gunzip(data, limits) if info.filename.lower().endswith(".gz") else data

        yield Item(member, name, info.file_size, None, read)


def _tar_items(path: Path, spath: str, limits: Limits) -> Iterator[Item | Skip]:
    # One sequential pass (a .tar.gz has no random access); each member is read as it comes.
    total = 0
    with tarfile.open(path, "r:*") as tf:
        for info in tf:
            if info.isdir():
                continue
            member = f"{spath}!{info.name}"
            name = PurePosixPath(info.name).name
            if not info.isfile():
                yield Skip(member, "not a regular file", "link or device in archive")
                continue
            if _unsafe_member(info.name):
                yield Skip(member, "unsafe path", "absolute or '..' member path")
                continue
            if name.startswith("."):
                yield Skip(member, "hidden file", size=info.size)
                continue
            if info.size > limits.max_file_bytes:
                yield Skip(member, "too large", f"{info.size} bytes", info.size)
                continue
            total += info.size
            if total > limits.max_archive_bytes:
                yield Skip(member, "too large", "archive total exceeds the limit", info.size)
                continue
            if _is_archive(name):
                yield Skip(member, "unsupported", "nested archive")
                continue
            fh = tf.extractfile(info)
            if fh is None:
                yield Skip(member, "not a regular file")
                continue
            data = fh.read(limits.max_file_bytes + 1)
            if name.lower().endswith(".gz"):
                try:
                    data = _gunzip(data, limits)
                except InputError as exc:
                    yield Skip(member, exc.reason, f"bad gzip member: {exc}")
                    continue
            yield Item(member, name, info.size, None, lambda data=data: data)
