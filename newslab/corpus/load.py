"""``load_corpus``: files of scraped or dumped articles into one tidy table, nothing lost."""

from __future__ import annotations

import codecs
import gc
import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePosixPath
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from newslab import schema
from newslab.corpus import records as rec
from newslab.corpus.dates import ParsedDate, date_in_url, excel_serial_date, parse_date_value
from newslab.corpus.decode import DecodeError, decode_bytes, looks_binary
from newslab.corpus.dedupe import flag_duplicates, space_counts, spaced_words
from newslab.corpus.lang import guess_lang, guess_langs
from newslab.corpus.plaintext import ParsedArticle, outlet_for_url, parse_plaintext
from newslab.corpus.report import (
    FILE_COLUMNS,
    ISSUE_COLUMNS,
    REMOVED_COLUMNS,
    LoadReport,
    _frame,
)
from newslab.corpus.rules import RuleSet, RuleSource, default_rules, load_rules
from newslab.corpus.sources import (
    FORMATS,
    InputError,
    Item,
    Limits,
    Skip,
    advise_will_need,
    format_for_name,
    is_plain_file,
    iter_items,
    read_ahead,
    read_path,
)

__all__ = ["load_corpus", "iter_corpus", "parse_bytes", "LoadOptions", "FileResult"]

#: Bump when parsing changes, so cached results are not reused across versions.
PARSER_VERSION = "3"

Source = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


@dataclass
class LoadOptions:
    """Everything that decides how one file is parsed (sent to worker processes as is)."""

    format: str | None = None
    mapping: dict[str, str | None] = field(default_factory=dict)
    rules_table: pd.DataFrame | None = None
    repair_encoding: bool = True
    min_year: int = 1900
    now: pd.Timestamp = field(default_factory=pd.Timestamp.now)
    #: the largest file read whole, and the longest record of a file read in blocks
    max_file_bytes: int = Limits.max_file_bytes

    _rules: RuleSet | None = field(default=None, repr=False, compare=False)
    _future: pd.Timestamp | None = field(default=None, repr=False, compare=False)

    @property
    def future_limit(self) -> pd.Timestamp:
        """Return the latest plausible publication time: a day after ``now``."""
        if self._future is None:
            self._future = self.now + pd.Timedelta(days=1)
        return self._future

    @property
    def rules(self) -> RuleSet:
        if self._rules is None:
            self._rules = (
                default_rules() if self.rules_table is None else load_rules(self.rules_table)
            )
        return self._rules

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_rules"] = None  # recompiled in the worker
        return state

    def key(self) -> str:
        """Return a hash of the options that change parse results (for the cache)."""
        h = hashlib.sha1(PARSER_VERSION.encode())
        h.update(
            repr(
                (self.format, sorted(self.mapping.items()), self.repair_encoding, self.min_year)
            ).encode()
        )
        if self.rules_table is not None:
            h.update(self.rules_table.to_csv(index=False).encode())
        return h.hexdigest()[:16]


@dataclass
class FileResult:
    """What one input produced: its report row, articles, issues and removed lines."""

    source_path: str
    format: str | None
    status: str
    reason: str | None
    size: int | None
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)
    issues: list[tuple] = field(default_factory=list)
    removed: list[tuple] = field(default_factory=list)
    #: A file read in blocks (:func:`_stream_records`) gives one result per block: ``part``
    #: is true on all but the last, which alone gives the file's row, counting the parts
    #: before it (``prior``: articles, skipped records, warnings).
    part: bool = False
    streamed: bool = False
    prior: tuple[int, int, tuple[str, ...]] = (0, 0, ())

    def file_row(self) -> tuple:
        n_skipped = sum(1 for i in self.issues if i[3] == "skip")
        return (
            self.source_path,
            self.format,
            self.status,
            self.reason,
            len(self.articles) + self.prior[0],
            n_skipped + self.prior[1],
            self.size,
            self.encoding,
            "; ".join(dict.fromkeys((*self.prior[2], *self.warnings))) or None,
        )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the loader builds its objects.

    A load makes millions of small containers (lists of lines, tuples, dicts) that form no
    cycles; their count keeps triggering collections that walk every live object for nothing
    (about 5% of a load's time). The collector is switched back on when the block ends, also
    on an error; cycles made meanwhile are freed by its next collection. Nothing changes when
    the collector is off already.

    Examples
    --------
    >>> with _gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _stem(name: str) -> str:
    base = name if "/" not in name and name not in (".", "..") else PurePosixPath(name).name
    for ext in (".gz",):
        if base.lower().endswith(ext):
            base = base[: -len(ext)]
    return os.path.splitext(base)[0] or base


def _date_fields(
    date: ParsedDate | None, opts: LoadOptions, warn: list[tuple[str, str]]
) -> tuple[pd.Timestamp, str]:
    if date is None:
        warn.append(("no date", ""))
        return pd.NaT, "none"
    if date.year < opts.min_year:
        warn.append(("date before 1900", _written(date)))
        return pd.NaT, "none"
    ts = date.to_timestamp()
    if ts is pd.NaT:  # e.g. after 2262-04-11: datetime64[ns] cannot hold it
        warn.append(("date out of range", _written(date)))
        return pd.NaT, "none"
    if ts > opts.future_limit:
        warn.append(("date in the future", ts.date().isoformat()))
    return ts, date.precision


def _written(date: ParsedDate) -> str:
    """The date as the warnings give it: ``YYYY-MM-DD``, 01 for an unknown month or day."""
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}"


def _article(
    *,
    doc_id: str,
    parsed: ParsedArticle,
    date: ParsedDate | None,
    source_path: str,
    fmt: str,
    opts: LoadOptions,
    issues: list[tuple],
    record: str,
    outlet: str | None = None,
    author: str | None = None,
    url: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    warn: list[tuple[str, str]] = []
    url = url or parsed.url
    if date is None:
        # no date in the header, the page or the record: a date in the URL's path, said so
        date = date_in_url(url)
        if date is not None:
            warn.append(("date from url", _written(date)))
    published, precision = _date_fields(date, opts, warn)
    for reason, detail in warn:
        issues.append((source_path, record, doc_id, "warning", reason, detail))
    text = parsed.text
    out = {
        "doc_id": doc_id,
        "title": parsed.title or None,
        "published": published,
        "date_precision": precision,
        "outlet": outlet or parsed.outlet or outlet_for_url(url),
        "site": parsed.site,
        "author": author or parsed.author,
        "url": url,
        "text": text,
        "source_path": source_path,
        "format": fmt,
    }
    if extra:
        import json

        out["extra"] = json.dumps(extra, ensure_ascii=False, default=str, sort_keys=True)
    return out


def _word_counts(texts: list[Any], arr: Any) -> np.ndarray:
    """Return ``len(text.split())`` of each text (0 for a missing one), for a whole chunk.

    ``arr`` holds the same texts as Arrow strings. Arrow counts the spaces of the folded texts
    (words between single spaces and blank lines: most texts, see
    :func:`~newslab.corpus.dedupe.spaced_words`); Python splits the others.

    Examples
    --------
    >>> import pyarrow as pa
    >>> texts = ["Xi met Putin.\\n\\nThey talked.", "a\\u2003b  c", ""]
    >>> _word_counts(texts, pa.array(texts)).tolist()
    [5, 3, 0]
    """
    spaced, odd = spaced_words(arr)
    counts = space_counts(spaced) + 1
    counts[pc.binary_length(spaced).to_numpy(zero_copy_only=False) == 0] = 0
    for i in np.flatnonzero(odd):
        text = texts[i]
        counts[i] = len(text.split()) if isinstance(text, str) else 0
    return counts


def _count_words(text: str) -> int:
    """Return ``len(text.split())``, by counting spaces when the text is spaced regularly."""
    spaced = text.replace("\n\n", " ")  # paragraphs (as the plaintext parser joins them)
    if (
        not spaced
        or "  " in spaced
        or spaced[0] == " "
        or spaced[-1] == " "
        or not spaced.isprintable()  # every whitespace character but " " is unprintable
    ):
        return len(text.split())
    return spaced.count(" ") + 1


def _blank(s: str | bytes) -> bool:
    """Return ``not s.strip()`` without copying ``s``: empty, or whitespace only.

    Examples
    --------
    >>> _blank(""), _blank(b" \\r\\n"), _blank(" x "), _blank("\\u3000")
    (True, True, False, True)
    """
    return not s or s.isspace()


def parse_bytes(
    data: bytes, *, source_path: str, name: str, opts: LoadOptions | None = None
) -> FileResult:
    """Return what one input file (its bytes) yields: articles, issues and removed lines.

    Never raises on bad input: a file that is not usable comes back with ``status='skipped'``
    and a ``reason``; a record that is not usable adds a ``skip`` issue.

    Parameters
    ----------
    data
        The file's bytes.
    source_path
        Where the bytes came from (recorded in every row).
    name
        The file name (its extension picks the format unless ``opts.format`` is set).
    opts
        Parse options.

    Returns
    -------
    FileResult
        Each article a dict of the columns of :data:`newslab.schema.ARTICLES` it has.

    Examples
    --------
    >>> res = parse_bytes(b" date 2023-03-01 Kyiv Ledger\\nTitle\\n\\nBody text here that runs on.",
    ...                   source_path="a/100_x.txt", name="100_x.txt")
    >>> art = res.articles[0]
    >>> res.status, art["doc_id"], art["published"].date().isoformat(), art["n_words"]
    ('loaded', '100_x', '2023-03-01', 6)
    >>> parse_bytes(b"", source_path="e.txt", name="e.txt").reason
    'empty'
    """
    res = _parse_bytes(data, source_path=source_path, name=name, opts=opts)
    for art in res.articles:  # load_corpus counts the words and guesses the language per chunk
        art["n_words"] = _count_words(art["text"])
        art["lang"] = guess_lang(art["text"])
    return res


def _parse_bytes(
    data: bytes, *, source_path: str, name: str, opts: LoadOptions | None = None
) -> FileResult:
    """:func:`parse_bytes` without the word counts and languages (the loader's assembler adds
    them for a chunk at once)."""
    opts = opts or LoadOptions()
    fmt = opts.format or format_for_name(name)
    res = FileResult(source_path, fmt, "loaded", None, len(data))
    if fmt is None:
        res.status, res.reason = "skipped", "unsupported"
        res.issues.append(
            (
                source_path,
                "",
                None,
                "skip",
                "unsupported",
                f"unknown file type: {name!r}; pass format=",
            )
        )
        return res
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    if _blank(data):
        res.status, res.reason = "skipped", "empty"
        return res
    try:
        if fmt == "parquet":
            records: Iterator[tuple[str, Any]] = rec.iter_parquet(data, res.warnings)
            res.encoding = "parquet"
        elif fmt == "xlsx":
            records = rec.iter_xlsx(data)
            res.encoding = "xlsx"
        else:
            decoded = decode_bytes(data, repair=opts.repair_encoding)
            res.encoding = decoded.encoding
            res.warnings.extend(decoded.warnings)
            text = decoded.text
            if _blank(text):
                res.status, res.reason = "skipped", "empty"
                return res
            if fmt == "plaintext":
                _plaintext(res, text, name, opts)
                return _finish(res)
            if fmt == "json":
                records = rec.iter_json(text, res.warnings)
            elif fmt == "jsonl":
                records = rec.iter_jsonl(text, res.warnings)
            else:
                default = "\t" if name.lower().endswith((".tsv", ".tsv.gz")) else ","
                records = rec.iter_csv(text, delimiter=rec.sniff_delimiter(text, default))
        _records(res, records, name, opts)
    except DecodeError as exc:
        res.status, res.reason = "skipped", exc.reason
        res.issues.append((source_path, "", None, "skip", exc.reason, exc.detail))
        return res
    except rec.RecordError as exc:
        res.status, res.reason = "skipped", exc.reason
        res.issues.append((source_path, "", None, "skip", exc.reason, exc.detail))
        res.articles.clear()
        return res
    return _finish(res)


def _finish(res: FileResult) -> FileResult:
    for w in res.warnings:
        res.issues.append((res.source_path, "", None, "warning", w, ""))
    if not res.articles and res.status == "loaded":
        skips = [i for i in res.issues if i[3] == "skip"]
        res.status = "skipped"
        res.reason = skips[0][4] if skips else "no articles"
    elif res.articles and any(i[3] == "skip" for i in res.issues):
        res.status = "partial"
    return res


def _plaintext(res: FileResult, text: str, name: str, opts: LoadOptions) -> None:
    parsed = parse_plaintext(text, opts.rules)
    doc_id = _stem(name)
    if _blank(parsed.text):
        res.issues.append(
            (res.source_path, "", doc_id, "skip", "no article text", "only boilerplate lines")
        )
        res.removed.extend((doc_id, *r) for r in parsed.removed)
        return
    res.articles.append(
        _article(
            doc_id=doc_id,
            parsed=parsed,
            date=parsed.date,
            source_path=res.source_path,
            fmt="plaintext",
            opts=opts,
            issues=res.issues,
            record="",
        )
    )
    res.removed.extend((doc_id, *r) for r in parsed.removed)


#: Sets of record keys whose field mapping :func:`_records` keeps at once (per file).
_MAPPINGS = 256


def _mapping(keys: tuple[str, ...], opts: LoadOptions) -> dict[str, str] | rec.RecordError:
    """The field mapping for records with ``keys``, or why there is none (no text field, or
    a column named by the user that is missing)."""
    try:
        mapping = rec.resolve_mapping(list(keys), opts.mapping)
    except KeyError as exc:
        return rec.RecordError("column not found", str(exc.args[0]))
    if "text" not in mapping:
        return rec.RecordError(
            "no text field", f"record keys: {sorted(keys)[:12]}; pass text_col= to name it"
        )
    return mapping


@dataclass
class _RecordState:
    """What reading the records of one file remembers from one block to the next."""

    # The fields are mapped per set of keys: records of one file may leave out a key when its
    # value is empty (scrapers' JSON lines often do), and a later record's date or author
    # must not fall into ``extra`` because the first record had none. Per set of keys: a
    # mapping and the keys it maps that are paths into nested objects, or why there is none.
    mappings: dict[tuple[str, ...], tuple[dict[str, str], set[str]] | rec.RecordError] = field(
        default_factory=dict
    )
    had_text: bool = False  # a record of this file had a text field


def _records(
    res: FileResult,
    records: Iterator[tuple[str, Any]],
    name: str,
    opts: LoadOptions,
    state: _RecordState | None = None,
) -> None:
    state = state or _RecordState()
    mappings = state.mappings
    stem = _stem(name)
    for ref, record in records:
        if isinstance(record, rec.RecordError):
            res.issues.append((res.source_path, ref, None, "skip", record.reason, record.detail))
            continue
        keys = rec.record_keys(record)
        known = mappings.get(keys)
        if known is None:
            if len(mappings) >= _MAPPINGS:
                mappings.clear()
            found = _mapping(keys, opts)
            known = mappings[keys] = (
                found
                if isinstance(found, rec.RecordError)
                else (found, {k for k in found.values() if k not in record})
            )
        if isinstance(known, rec.RecordError):
            if not state.had_text:  # the file's first records: it cannot be read as mapped
                raise known
            # a record without the field the others have: it alone is skipped
            res.issues.append((res.source_path, ref, None, "skip", known.reason, known.detail))
            continue
        state.had_text = True
        mapping, paths = known
        values = (
            {f: rec.get_path(record, k) for f, k in mapping.items()}
            if paths
            else {f: record.get(k) for f, k in mapping.items()}
        )
        ident = rec.field_value(values.get("doc_id"))
        doc_id = ident if ident else (f"{stem}:{ref.split(None, 1)[-1]}" if ref else stem)
        body = rec.field_value(values.get("text"))
        if not body:
            res.issues.append((res.source_path, ref, doc_id, "skip", "empty text", ""))
            continue
        title = rec.field_value(values.get("title"))
        outlet = rec.field_value(values.get("outlet"))
        cut = _TRUNCATED.search(body) if body.endswith("]") else None
        if cut is not None:  # NewsAPI's "... [+2345 chars]": the rest is not in the dump
            body = body[: cut.start()]
            res.issues.append(
                (res.source_path, ref, doc_id, "warning", "text truncated", cut.group(1))
            )
        parsed = parse_plaintext(
            body.replace("\r\n", "\n"), opts.rules, body_only=True, title=title, outlet=outlet
        )
        if _blank(parsed.text):
            res.issues.append(
                (res.source_path, ref, doc_id, "skip", "no article text", "only boilerplate lines")
            )
            res.removed.extend((doc_id, *r) for r in parsed.removed)  # the lines, as for text files
            continue
        raw_date = values.get("published")
        date = parse_date_value(raw_date)
        if date is None and res.format == "xlsx":  # a date cell that lost its format
            date = excel_serial_date(raw_date)
        if date is None and rec.field_value(raw_date):
            res.issues.append(
                (res.source_path, ref, doc_id, "warning", "unparsed date", str(raw_date)[:80])
            )
        used = set(mapping.values())
        if paths:  # the mapped values inside nested objects are not kept twice
            record = rec.without_paths(record, paths)
        extra = {k: v for k, v in record.items() if k not in used and v not in (None, "")}
        res.articles.append(
            _article(
                doc_id=doc_id,
                parsed=parsed,
                date=date,
                source_path=res.source_path,
                fmt=res.format or "",
                opts=opts,
                issues=res.issues,
                record=ref,
                outlet=outlet,
                author=_record_author(values.get("author")),
                url=rec.field_value(values.get("url")),
                extra=extra or None,
            )
        )
        res.removed.extend((doc_id, *r) for r in parsed.removed)


#: The end of a text cut short by its source: NewsAPI's "... [+2345 chars]".
_TRUNCATED = re.compile(r"\s*(?:…|\.\.\.)?\s*\[(\+\d+ chars)\]$")
_BY = re.compile(r"(?i)^by\s+")


def _record_author(value: Any) -> str | None:
    """A record's author as text, without a leading "By " (the NYT's ``byline.original``).

    Examples
    --------
    >>> _record_author("By Ann Lee and Tom Hart"), _record_author(["Ann Lee", "Bo Chen"])
    ('Ann Lee and Tom Hart', 'Ann Lee; Bo Chen')
    """
    author = rec.field_value(value)
    if author and author[:3].lower() == "by ":
        return _BY.sub("", author) or None
    return author


def _parse_item(item: Item | Skip, opts: LoadOptions) -> FileResult:
    if isinstance(item, Skip):
        res = FileResult(
            item.source_path, format_for_name(item.source_path), "skipped", item.reason, item.size
        )
        res.issues.append((item.source_path, "", None, "skip", item.reason, item.detail))
        return res
    data = _read_item(item)
    if isinstance(data, FileResult):
        return data
    return _parse_bytes(data, source_path=item.source_path, name=item.name, opts=opts)


def _read_item(item: Item) -> bytes | FileResult:
    """Return the bytes of ``item``, or the skipped result that says why they cannot be read."""
    try:
        return item.read()
    except (OSError, ValueError, EOFError) as exc:
        reason = exc.reason if isinstance(exc, InputError) else "unreadable"
        res = FileResult(item.source_path, format_for_name(item.name), "skipped", reason, item.size)
        res.issues.append((item.source_path, "", None, "skip", reason, str(exc)))
        return res


#: JSONL and CSV files on disk larger than this, and gzipped ones, are read in blocks of about
#: :data:`STREAM_BLOCK` bytes (:func:`_stream_records`): a dump of any size loads in bounded
#: memory, and ``max_file_bytes`` bounds one record of it instead of the whole file.
STREAM_BYTES = 16 * 2**20
STREAM_BLOCK = 4 * 2**20
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)


def _streamed(item: Item | Skip, opts: LoadOptions) -> bool:
    """Whether ``item`` is a JSONL or CSV file on disk to read in blocks: gzipped, or larger
    than :data:`STREAM_BYTES` or ``max_file_bytes``."""
    if not isinstance(item, Item) or not is_plain_file(item):
        return False
    fmt = opts.format or format_for_name(item.name)
    return fmt in ("jsonl", "csv") and (
        item.size > min(STREAM_BYTES, opts.max_file_bytes) or item.name.lower().endswith(".gz")
    )


def _block_end(buf: bytes, quoted: bool) -> int:
    """Return where the last whole line of ``buf`` ends (0: no line end in it).

    With ``quoted`` (CSV), a line end inside a double-quoted field does not count: the
    number of ``"`` before the end must be even (an escaped quote is two of them).

    Examples
    --------
    >>> _block_end(b'a,b\\n1,"x\\ny"\\n2,"z\\n', True), _block_end(b'a\\nb', False)
    (12, 2)
    """
    end = buf.rfind(b"\n") + 1
    if not quoted or not end:
        return end
    quotes = buf.count(b'"', 0, end)
    while end and quotes % 2:
        start = buf.rfind(b"\n", 0, end - 1) + 1
        quotes -= buf.count(b'"', start, end)
        end = start
    return end


def _blocks(fh: Any, quoted: bool, limit: int, first: bytes = b"") -> Iterator[bytes | None]:
    """Yield the bytes of ``fh`` in blocks of about :data:`STREAM_BLOCK` that end at a line
    end (:func:`_block_end`).

    A line longer than ``limit`` bytes is passed over and yields None in its place (JSON
    Lines: one record); with ``quoted`` (CSV, where a record may span lines) it raises
    :class:`InputError` ``too large`` instead, and the rest of the file is not read. ``first``
    holds bytes already read from ``fh``.
    """
    rest = b""
    while chunk := (first[:STREAM_BLOCK] or fh.read(STREAM_BLOCK)):
        first = first[STREAM_BLOCK:]
        buf = rest + chunk if rest else chunk
        end = _block_end(buf, quoted)
        if not end:
            if len(buf) > limit:
                if quoted:
                    raise InputError(
                        "too large",
                        f"a record of more than {limit:,} bytes; the rest of the file is not read",
                    )
                yield None
                while (cut := buf.find(b"\n")) < 0:  # pass over the rest of the line
                    buf, first = (first, b"") if first else (fh.read(STREAM_BLOCK), b"")
                    if not buf:
                        return
                buf = buf[cut + 1 :]
                end = _block_end(buf, quoted)
                if not end:
                    rest = buf
                    continue
            else:
                rest = buf
                continue
        yield buf[:end]
        rest = buf[end:]
    if rest:
        yield rest


def _counted(records: Iterator[tuple[str, Any]], seen: list[int]) -> Iterator[tuple[str, Any]]:
    """Yield ``records``, counting them in ``seen[0]``."""
    for item in records:
        seen[0] += 1
        yield item


def _stream_records(item: Item, opts: LoadOptions) -> Iterator[FileResult]:
    """Yield the results of a JSONL or CSV file read in blocks, one per block.

    Each block is decoded on its own (so a file whose encoding changes midway gets its
    warning), a CSV block gets the header line back in front, and record references count
    from the file's start. Every result but the last is a ``part``; the last gives the file's
    row in the report, with the counts of all. A file in UTF-16 or UTF-32 (a byte-order mark)
    is read whole, as other files are.
    """
    import gzip
    import zlib

    path, fmt = item.source_path, opts.format or format_for_name(item.name)
    state = _RecordState()
    header, delimiter = "", ","
    line = row = 1  # the first line (JSONL) or data row (CSV) of the next block
    done: list[FileResult] = []  # the block before, held back to know whether it is the last
    totals = [0, 0]  # articles and skipped records of the blocks yielded
    warnings: dict[str, None] = {}
    first_skip: str | None = None
    stop: tuple[str, str, str] | None = None  # (record, reason, detail) that ended the file

    def new_part() -> FileResult:
        return FileResult(path, fmt, "loaded", None, item.size, streamed=True, part=True)

    try:
        opener = gzip.open if item.name.lower().endswith(".gz") else open
        with opener(path, "rb") as fh:
            head = fh.read(8192)
            if head.startswith(_WIDE_BOMS):
                yield _parse_item(item, opts)  # read whole, as the other formats
                return
            if looks_binary(head):  # the start decides for the whole file, as when read whole
                raise DecodeError("binary", "NUL or control bytes")
            for n, block in enumerate(_blocks(fh, fmt == "csv", opts.max_file_bytes, head)):
                part = new_part()
                if block is None:  # a line over the limit, passed over
                    detail = f"a record of more than {opts.max_file_bytes:,} bytes"
                    part.issues.append((path, f"line {line}", None, "skip", "too large", detail))
                    line += 1
                    block = b""
                lines = block.count(b"\n")
                try:
                    decoded = (
                        decode_bytes(block, repair=opts.repair_encoding, check_binary=False)
                        if block
                        else None
                    )
                except DecodeError as exc:
                    if fmt == "csv" and n == 0:  # no header: the rows after cannot be read
                        raise
                    ref = f"lines {line}-{line + max(lines - 1, 0)}"
                    part.issues.append((path, ref, None, "skip", exc.reason, exc.detail))
                    decoded = None
                if decoded is not None:
                    part.encoding = decoded.encoding
                    part.warnings.extend(decoded.warnings)
                    text = decoded.text
                    seen = [0]
                    if fmt == "jsonl":
                        records = rec.iter_jsonl(text, part.warnings, start=line)
                    else:
                        if n == 0:
                            cut = text.find("\n")
                            while cut >= 0 and text.count('"', 0, cut) % 2:  # a quoted name
                                cut = text.find("\n", cut + 1)
                            header = text[: cut + 1] if cut >= 0 else text + "\n"
                            default = (
                                "\t" if item.name.lower().endswith((".tsv", ".tsv.gz")) else ","
                            )
                            delimiter = rec.sniff_delimiter(text, default)
                        else:
                            text = header + text
                        records = _counted(rec.iter_csv(text, delimiter=delimiter, start=row), seen)
                    try:
                        _records(part, records, item.name, opts, state)
                    except rec.RecordError as exc:
                        stop = ("", exc.reason, exc.detail)
                    row += seen[0]
                line += lines
                if done:
                    yield _yielded(done.pop(), totals, warnings)
                first_skip = first_skip or next((i[4] for i in part.issues if i[3] == "skip"), None)
                done.append(part)
                if stop is not None:
                    break
    except InputError as exc:
        stop = (f"line {line}", exc.reason, str(exc))
    except DecodeError as exc:
        stop = ("", exc.reason, exc.detail)
    except (OSError, EOFError, zlib.error) as exc:
        stop = (f"line {line}", "undecodable", f"read error: {exc}")
    last = done.pop() if done else new_part()
    if stop is not None:
        last.issues.append((path, stop[0], None, "skip", stop[1], stop[2]))
        first_skip = first_skip or stop[1]
    last.part = False
    # the file's warnings once each, after its records' issues (as _finish does for a file)
    last.warnings = list(dict.fromkeys((*warnings, *last.warnings)))
    last.issues.extend((path, "", None, "warning", w, "") for w in last.warnings)
    last.prior = (totals[0], totals[1], ())
    n_articles = totals[0] + len(last.articles)
    n_skipped = totals[1] + sum(1 for i in last.issues if i[3] == "skip")
    if not n_articles:
        last.articles.clear()
        last.status = "skipped"
        last.reason = stop[1] if stop is not None else (first_skip or "empty")
    else:
        last.status, last.reason = ("partial" if n_skipped else "loaded"), None
    yield last


def _yielded(part: FileResult, totals: list[int], warnings: dict[str, None]) -> FileResult:
    """Count a block's result into the file's totals (its warnings go with the last block),
    and return it."""
    totals[0] += len(part.articles)
    totals[1] += sum(1 for i in part.issues if i[3] == "skip")
    warnings.update(dict.fromkeys(part.warnings))
    return part


def _parse_batch(
    batch: list[tuple[str, str, int | None, bytes | None]], opts: LoadOptions
) -> list[FileResult]:
    """Worker entry point: parse files given as (source_path, name, size, bytes-or-None)."""
    with _gc_paused():
        return _parse_files(batch, opts)


def _parse_files(
    batch: list[tuple[str, str, int | None, bytes | None]], opts: LoadOptions
) -> list[FileResult]:
    out = []
    for source_path, _, _, data in batch:
        if data is None:
            advise_will_need(source_path)  # the disk reads them all while the first are parsed
    for source_path, name, size, data in batch:
        if data is None and size is not None and size > opts.max_file_bytes:
            res = FileResult(source_path, format_for_name(name), "skipped", "too large", size)
            detail = f"{size} bytes > {opts.max_file_bytes}"
            res.issues.append((source_path, "", None, "skip", "too large", detail))
            out.append(res)
            continue
        if data is None:
            try:
                data = read_path(source_path, -1 if size is None else size)
            except OSError as exc:
                res = FileResult(source_path, format_for_name(name), "skipped", "unreadable", size)
                res.issues.append((source_path, "", None, "skip", "unreadable", str(exc)))
                out.append(res)
                continue
        out.append(_parse_bytes(data, source_path=source_path, name=name, opts=opts))
    return out


def _iter_results(
    items: Iterable[Item | Skip], opts: LoadOptions, workers: int, batch_size: int = 256
) -> Iterator[FileResult]:
    if workers <= 1:
        for item in read_ahead(items):
            if _streamed(item, opts):
                yield from _stream_records(item, opts)  # type: ignore[arg-type]
            else:
                yield _parse_item(item, opts)
        return
    import multiprocessing as mp

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        it = iter(items)
        pending: list[Any] = []
        while True:
            batch_items = list(islice(it, batch_size))
            if not batch_items:
                break
            skips = [i for i in batch_items if isinstance(i, Skip)]
            for s in skips:
                yield _parse_item(s, opts)
            payload = []
            for i in batch_items:
                if not isinstance(i, Item):
                    continue
                if _streamed(i, opts):  # read in blocks here, as the workers parse the others
                    yield from _stream_records(i, opts)
                    continue
                if is_plain_file(i) and not i.name.lower().endswith(".gz"):
                    payload.append((i.source_path, i.name, i.size, None))  # the worker reads it
                    continue
                data = _read_item(i)  # an archive member or gzipped file: read here
                if isinstance(data, FileResult):
                    yield data
                else:
                    payload.append((i.source_path, i.name, i.size, data))
            pending.append(pool.submit(_parse_batch, payload, opts))
            while len(pending) > 2 * workers:
                yield from pending.pop(0).result()
        for fut in pending:
            yield from fut.result()


def _options(
    format: str | None,
    columns: Mapping[str, str | None] | None,
    col_kwargs: Mapping[str, str | None],
    rules: RuleSource | None,
    extra_rules: RuleSource | None,
    repair_encoding: bool,
) -> LoadOptions:
    if format is not None and format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {format!r}")
    mapping: dict[str, str | None] = dict(columns or {})
    for fld, key in col_kwargs.items():
        if key is not None:
            mapping[fld] = key
    unknown = set(mapping) - set(rec.FIELDS)
    if unknown:
        raise ValueError(f"unknown fields in columns=: {sorted(unknown)}; fields are {rec.FIELDS}")
    table = None
    if rules is not None or extra_rules is not None:
        base = load_rules(rules).to_frame() if rules is not None else default_rules().to_frame()
        if extra_rules is not None:
            base = pd.concat([load_rules(extra_rules).to_frame(), base], ignore_index=True)
        table = base
    return LoadOptions(
        format=format, mapping=mapping, rules_table=table, repair_encoding=repair_encoding
    )


#: Articles (and about eight times as many removed lines) gathered as Python objects before
#: they are converted to a typed chunk; bounds the loader's peak memory on large corpora.
ASSEMBLE_CHUNK = 4096


class _Assembler:
    """Gather file results into typed table chunks as they come, so that the Python objects of
    at most :data:`ASSEMBLE_CHUNK` articles are alive at once (Arrow strings are compact)."""

    def __init__(self, chunk: int | None = None) -> None:
        self.chunk = chunk or ASSEMBLE_CHUNK
        self.files: list[tuple] = []
        self.issues: list[tuple] = []
        self.removed: list[tuple] = []
        self.arts: list[dict[str, Any]] = []
        self.parts: dict[str, list[pd.DataFrame]] = {
            "files": [],
            "issues": [],
            "removed": [],
            "arts": [],
        }

    def add(self, res: FileResult) -> None:
        if not res.part:  # a file read in blocks has its row with its last block
            self.files.append(res.file_row())
        if res.issues:
            self.issues.extend(res.issues)
        if res.removed:
            self.removed.extend(res.removed)
        if res.articles:
            self.arts.extend(res.articles)
        if (
            len(self.arts) >= self.chunk
            or len(self.removed) >= 8 * self.chunk
            or len(self.files) >= 4 * self.chunk
        ):
            self.flush()

    def flush(self) -> None:
        parts = self.parts
        if self.files:
            parts["files"].append(_frame(self.files, FILE_COLUMNS))
        if self.issues:
            parts["issues"].append(_frame(self.issues, ISSUE_COLUMNS))
        if self.removed:
            parts["removed"].append(_frame(self.removed, REMOVED_COLUMNS))
        if self.arts:
            arts = schema.conform(pd.DataFrame.from_records(self.arts), _ARTICLE_COLUMNS)
            texts = [a["text"] for a in self.arts]
            arts["n_words"] = _word_counts(texts, arts["text"].array.__arrow_array__())
            arts["lang"] = pd.array(guess_langs(texts), dtype="string")
            parts["arts"].append(arts)
        self.files, self.issues, self.removed, self.arts = [], [], [], []

    def result(self) -> tuple[pd.DataFrame, LoadReport]:
        self.flush()
        parts = self.parts
        arts = parts["arts"]
        if arts:
            df = arts[0] if len(arts) == 1 else pd.concat(arts, ignore_index=True)
        else:
            df = schema.empty(schema.ARTICLES)
        report = LoadReport(
            *(
                _concat(parts[name], columns)
                for name, columns in (
                    ("files", FILE_COLUMNS),
                    ("issues", ISSUE_COLUMNS),
                    ("removed", REMOVED_COLUMNS),
                )
            )
        )
        self.parts = {k: [] for k in parts}
        return _unique_ids(df), report


#: The article columns a parsed chunk is typed with (``extra`` and the duplicate flags are
#: added by :func:`_finalize`).
_ARTICLE_COLUMNS = {
    k: v for k, v in schema.ARTICLES.items() if k not in ("dup_group", "dup_kind", "extra")
}


def _concat(parts: list[pd.DataFrame], columns: dict[str, str]) -> pd.DataFrame:
    if not parts:
        return _frame([], columns)
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


def _assemble(results: Iterable[FileResult]) -> tuple[pd.DataFrame, LoadReport]:
    acc = _Assembler()
    for res in results:
        acc.add(res)
    return acc.result()


def _unique_ids(df: pd.DataFrame) -> pd.DataFrame:
    if df.empty or not df["doc_id"].duplicated().any():
        return df
    dup = df["doc_id"].duplicated(keep=False)
    suffix = df.loc[dup, "source_path"].map(lambda p: hashlib.sha1(str(p).encode()).hexdigest()[:8])
    df = df.copy()
    df.loc[dup, "doc_id"] = df.loc[dup, "doc_id"] + "~" + suffix
    # records repeating an id inside one file
    still = df["doc_id"].duplicated(keep=False)
    if still.any():
        df.loc[still, "doc_id"] = (
            df.loc[still, "doc_id"] + "#" + df[still].groupby("doc_id").cumcount().astype(str)
        )
    return df


def _finalize(df: pd.DataFrame, report: LoadReport, dedupe: bool) -> pd.DataFrame:
    if "dup_group" in df.columns:
        df = df.drop(columns=["dup_group", "dup_kind"])
    if dedupe and len(df):
        df = flag_duplicates(df)
    if "extra" not in df.columns:
        df["extra"] = pd.Series(pd.NA, index=df.index, dtype="string")
    df = schema.conform(df.reset_index(drop=True), schema.ARTICLES)
    df.attrs["load_report"] = report
    return df


def iter_corpus(
    source: Source,
    *,
    chunk_size: int = 10_000,
    dedupe: bool = True,
    format: str | None = None,
    columns: Mapping[str, str | None] | None = None,
    rules: RuleSource | None = None,
    extra_rules: RuleSource | None = None,
    repair_encoding: bool = True,
    max_file_bytes: int = Limits.max_file_bytes,
    workers: int = 1,
    progress: bool | None = None,
    **col_kwargs: str | None,
) -> Iterator[pd.DataFrame]:
    """Yield the corpus in chunks of about ``chunk_size`` articles, in bounded memory.

    Each chunk is a table like :func:`load_corpus`'s with its own report in
    ``chunk.attrs['load_report']``; duplicates are flagged within the chunk only
    (``dedupe=True``); :func:`newslab.corpus.dataset.ingest` flags them corpus-wide.
    Other parameters are those of :func:`load_corpus`.

    Yields
    ------
    pandas.DataFrame
    """
    opts = _options(format, columns, _col_kwargs(col_kwargs), rules, extra_rules, repair_encoding)
    opts.max_file_bytes = max_file_bytes
    items = iter_items(source, Limits(max_file_bytes=max_file_bytes))
    results = _progress(_iter_results(items, opts, workers), progress)
    while True:
        with _gc_paused():  # not while the caller has the chunk
            buf: list[FileResult] = []
            n = 0
            for res in results:
                buf.append(res)
                n += len(res.articles)
                if n >= chunk_size:
                    break
            chunk = _finalize(*_assemble(_emptied(buf)), dedupe=dedupe) if buf else None
        if chunk is None:
            return
        yield chunk


def _emptied(buf: list[FileResult]) -> Iterator[FileResult]:
    """Yield the items of ``buf`` in order, removing each, so that the raw results of a chunk
    are freed as they are assembled (not kept alive while the chunk is used).

    Examples
    --------
    >>> buf = [1, 2, 3]
    >>> list(_emptied(buf)), buf
    ([1, 2, 3], [])
    """
    buf.reverse()
    while buf:
        yield buf.pop()


def _col_kwargs(kw: Mapping[str, str | None]) -> dict[str, str | None]:
    names = {
        "id_col": "doc_id",
        "title_col": "title",
        "text_col": "text",
        "date_col": "published",
        "outlet_col": "outlet",
        "author_col": "author",
        "url_col": "url",
    }
    unknown = set(kw) - set(names)
    if unknown:
        raise TypeError(f"unexpected keyword arguments: {sorted(unknown)}")
    return {names[k]: v for k, v in kw.items()}


def _progress(results: Iterator[FileResult], progress: bool | None) -> Iterator[FileResult]:
    if progress is False:
        return results
    return _with_bar(results, progress)


def _with_bar(results: Iterator[FileResult], progress: bool | None) -> Iterator[FileResult]:
    """Yield ``results`` while a progress bar counts the files."""
    from tqdm.auto import tqdm

    # None: show the bar only once loading has taken 2 seconds (small corpora stay quiet)
    bar = tqdm(
        desc="loading",
        unit="file",
        disable=False,
        mininterval=0.5,
        delay=2.0 if progress is None else 0.0,
    )
    try:
        for res in results:
            if not res.part:  # the blocks of a file read in blocks count as one file
                bar.update(1)
            yield res
    finally:
        bar.close()


def load_corpus(
    source: Source,
    *,
    format: str | None = None,
    columns: Mapping[str, str | None] | None = None,
    rules: RuleSource | None = None,
    extra_rules: RuleSource | None = None,
    repair_encoding: bool = True,
    dedupe: bool = True,
    max_file_bytes: int = Limits.max_file_bytes,
    cache: bool | str | os.PathLike[str] | None = None,
    workers: int = 1,
    progress: bool | None = None,
    **col_kwargs: str | None,
) -> pd.DataFrame:
    """Return a folder (or files, glob, archive) of news articles as one tidy table.

    Formats are detected per file from its extension: scraped plaintext (``.txt``), JSON
    (one article, a list of articles, or the one list of records in an object, up to three
    levels down: ``{"articles": [...]}``, ``{"response": {"results": [...]}}``), JSON Lines,
    CSV/TSV (delimiter read from the header line), Parquet and Excel (``.xlsx``, every sheet),
    each optionally gzipped; ``.zip`` and ``.tar.gz`` archives are read member by
    member. Every input ends up in the attached :class:`~newslab.corpus.report.LoadReport`
    (``df.attrs['load_report']``, or :func:`newslab.corpus.report.get_report`): loaded,
    skipped with a reason, or loaded with warnings.

    Parameters
    ----------
    source
        A folder (recursive), a glob pattern, a file, an archive, or a list of these.
    format
        Force one format for every file: ``'plaintext'``, ``'json'``, ``'jsonl'``, ``'csv'``,
        ``'parquet'``, ``'xlsx'``.
    columns
        Map article fields to record keys for JSON/CSV/Parquet, e.g. ``{"text": "body"}``;
        fields: doc_id, title, text, published, outlet, author, url. The shortcuts
        ``text_col=``, ``title_col=``, ``date_col=``, ``id_col=``, ``outlet_col=``,
        ``author_col=``, ``url_col=`` do the same. A dotted key is a path into nested objects
        (``"fields.bodyText"``). Unmapped keys are kept as JSON in ``extra``. Without a
        mapping, keys are matched to fields ignoring case, ``_``, ``-`` and spaces.
    rules, extra_rules
        Boilerplate line rules (a TSV path or DataFrame with name, action, scope, pattern):
        ``rules`` replaces the shipped ``boilerplate.tsv``, ``extra_rules`` is tried before it.
    repair_encoding
        Repair mojibake with ftfy.
    dedupe
        Flag exact and near duplicates in ``dup_group``/``dup_kind`` (never removes rows; see
        :func:`newslab.corpus.dedupe.drop_duplicates`).
    max_file_bytes
        Files (and archive members) larger than this are skipped as ``too large``. JSONL and
        CSV files on disk (gzipped or not) are read in blocks instead, whatever their size,
        in bounded memory: there a line of more than this many bytes is skipped as ``too
        large`` (in CSV, whose records may span lines, the rest of the file is not read).
    cache
        Reuse parse results of unchanged files: ``True`` for a cache in
        ``~/.cache/newslab``, or a folder path. Files are compared by path, size and mtime.
    workers
        Parse with this many processes (1: in this process).
    progress
        Show a tqdm progress bar: True, False, or None for "only when loading takes a while".

    Returns
    -------
    pandas.DataFrame
        One row per article with the columns of :data:`newslab.schema.ARTICLES`: doc_id,
        title, published (timezone-naive, NaT when unknown), date_precision, outlet, site,
        author, url, text, n_words, lang, dup_group, dup_kind, source_path, format, extra.

    Raises
    ------
    FileNotFoundError
        When ``source`` names nothing that exists.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "001_a.txt").write_text(" date 2023-03-20 Kyiv Ledger\\nXi in Moscow\\n\\n"
    ...     "Xi Jinping arrived in Moscow on Monday for talks with Vladimir Putin.\\n")
    >>> _ = (d / "002_b.txt").write_bytes(b"")
    >>> df = load_corpus(d, progress=False)
    >>> df[["doc_id", "title", "outlet"]].values.tolist()
    [['001_a', 'Xi in Moscow', 'Kyiv Ledger']]
    >>> df.attrs["load_report"].files[["status", "reason"]].values.tolist()
    [['loaded', <NA>], ['skipped', 'empty']]
    """
    with _gc_paused():
        return _load(
            source,
            format,
            columns,
            rules,
            extra_rules,
            repair_encoding,
            dedupe,
            max_file_bytes,
            cache,
            workers,
            progress,
            col_kwargs,
        )


def _load(
    source: Source,
    format: str | None,
    columns: Mapping[str, str | None] | None,
    rules: RuleSource | None,
    extra_rules: RuleSource | None,
    repair_encoding: bool,
    dedupe: bool,
    max_file_bytes: int,
    cache: bool | str | os.PathLike[str] | None,
    workers: int,
    progress: bool | None,
    col_kwargs: Mapping[str, str | None],
) -> pd.DataFrame:
    """:func:`load_corpus`'s work, with its arguments."""
    opts = _options(format, columns, _col_kwargs(col_kwargs), rules, extra_rules, repair_encoding)
    opts.max_file_bytes = max_file_bytes
    items = iter_items(source, Limits(max_file_bytes=max_file_bytes))
    if cache:
        from newslab.corpus.cache import ParseCache

        store = ParseCache.open(source, cache, opts.key())
        inside = str(store.folder.resolve()) + os.sep
        items = (i for i in items if not os.path.abspath(i.source_path).startswith(inside))
        results = store.results(items, lambda its: _iter_results(its, opts, workers))
        df, report = _assemble(_progress(results, progress))
        store.save()
    else:
        df, report = _assemble(_progress(_iter_results(items, opts, workers), progress))
    return _finalize(df, report, dedupe)
