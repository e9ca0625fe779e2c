"""Structured dumps (JSON, JSONL, CSV, Parquet): records to article fields via a column mapping."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from newslab.corpus.decode import SURROGATE

__all__ = [
    "FIELDS",
    "CANDIDATES",
    "resolve_mapping",
    "iter_json",
    "iter_jsonl",
    "iter_csv",
    "iter_parquet",
    "iter_xlsx",
    "RecordError",
    "record_keys",
    "get_path",
    "without_paths",
    "sniff_delimiter",
]

#: Article fields that can be mapped from a record's keys.
FIELDS = ("doc_id", "title", "text", "published", "outlet", "author", "url")

#: Keys tried, in order and case-insensitively, for each field when no mapping is given.
CANDIDATES: dict[str, tuple[str, ...]] = {
    "doc_id": ("doc_id", "id", "article_id", "uuid", "guid", "_id", "key"),
    "title": ("title", "headline", "heading", "name", "web_title"),
    "text": (
        "text",
        "content_original",
        "body",
        "content",
        "article",
        "full_text",
        "fulltext",
        "maintext",
        "article_text",
        "story",
        "body_text",
        "fields.body_text",
    ),
    "published": (
        "published",
        "date",
        "published_at",
        "publish_date",
        "publication_date",
        "pubdate",
        "pub_date",
        "date_published",
        "date_publish",
        "datetime",
        "timestamp",
        "created_at",
        "time",
        "web_publication_date",
    ),
    "outlet": ("outlet", "source", "publisher", "source_name", "site", "media", "newspaper"),
    "author": (
        "author",
        "authors",
        "byline",
        "creator",
        "writer",
        "fields.byline",
    ),
    "url": ("url", "link", "href", "canonical_url", "article_url", "source_url", "web_url"),
}
# Keys are compared without case, "_", "-" and spaces ("publishedAt" and "Published At" are
# "published_at", "webUrl" is "web_url"); a dotted key is a path into the record's nested objects ("fields.bodyText": the
# Guardian's API, "headline.main" and "byline.original": the New York Times' Article Search).


def _squash(key: str) -> str:
    """Return ``key`` as keys are compared: lowercased, without ``_``, ``-`` and spaces.

    Examples
    --------
    >>> _squash("publishedAt"), _squash("Published At"), _squash("fields.bodyText")
    ('publishedat', 'publishedat', 'fields.bodytext')
    """
    return key.lower().replace("_", "").replace("-", "").replace(" ", "")


def record_keys(record: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the keys of ``record``, then the dotted paths into its nested objects (two levels).

    Examples
    --------
    >>> record_keys({"webTitle": "Talks", "fields": {"bodyText": "Leaders met.", "x": {"y": 1}}})
    ('webTitle', 'fields', 'fields.bodyText', 'fields.x', 'fields.x.y')
    """
    keys = tuple(record)
    if dict not in map(type, record.values()):
        return keys
    nested: list[str] = []
    for key, value in record.items():
        if type(value) is dict:
            for sub, inner in value.items():
                nested.append(f"{key}.{sub}")
                if type(inner) is dict:
                    nested.extend(f"{key}.{sub}.{leaf}" for leaf in inner)
    return keys + tuple(nested)


def get_path(record: Mapping[str, Any], key: str) -> Any:
    """Return ``record[key]``, or the value at a dotted path of :func:`record_keys` (None: absent).

    Examples
    --------
    >>> get_path({"headline": {"main": "Talks"}, "a.b": 1}, "headline.main")
    'Talks'
    >>> get_path({"headline": {"main": "Talks"}, "a.b": 1}, "a.b"), get_path({}, "x.y")
    (1, None)
    """
    if key in record:
        return record[key]
    value: Any = record
    for part in key.split("."):
        if type(value) is not dict or part not in value:
            return None
        value = value[part]
    return value


def without_paths(record: Mapping[str, Any], paths: set[str]) -> dict[str, Any]:
    """Return a copy of ``record`` without the values at ``paths`` (keys or dotted paths), and
    without the nested objects that this leaves empty.

    Examples
    --------
    >>> without_paths({"id": 1, "fields": {"bodyText": "x", "wordcount": "9"}}, {"fields.bodyText"})
    {'id': 1, 'fields': {'wordcount': '9'}}
    """
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in paths:
            continue
        if type(value) is dict and any(p.startswith(key + ".") for p in paths):
            inner = {p[len(key) + 1 :] for p in paths if p.startswith(key + ".")}
            value = without_paths(value, inner)
            if not value:
                continue
        out[key] = value
    return out


class RecordError(ValueError):
    """A record or file that cannot be read as articles; ``reason`` says why."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def resolve_mapping(keys: list[str], overrides: Mapping[str, str | None]) -> dict[str, str]:
    """Return ``{field: key}`` for the record keys, honouring user overrides.

    Parameters
    ----------
    keys
        The keys (columns) present in the records.
    overrides
        ``{field: key}`` set by the user (``text_col=...``); a value of None means "not mapped".

    Returns
    -------
    dict
        Field to key, for the fields that could be mapped.

    Raises
    ------
    KeyError
        When an override names a key that is not present.

    Examples
    --------
    >>> resolve_mapping(["ID", "Headline", "body", "published_at"], {})
    {'doc_id': 'ID', 'title': 'Headline', 'text': 'body', 'published': 'published_at'}
    >>> resolve_mapping(["webTitle", "fields", "fields.bodyText", "webPublicationDate"], {})
    {'title': 'webTitle', 'text': 'fields.bodyText', 'published': 'webPublicationDate'}
    """
    lower = {k.lower(): k for k in keys}
    squashed: dict[str, str] = {}
    for k in keys:
        squashed.setdefault(_squash(k), k)
    out: dict[str, str] = {}
    used: set[str] = set()
    for field in FIELDS:
        if field in overrides:
            key = overrides[field]
            if key is None:
                continue
            if key not in keys:
                raise KeyError(f"{field} column {key!r} not found; columns are {sorted(keys)}")
            out[field] = key
            used.add(key)
    for field in FIELDS:
        if field in out or field in overrides:
            continue
        for cand in CANDIDATES[field]:
            key = lower.get(cand) or squashed.get(_squash(cand))
            if key is not None and key not in used:
                out[field] = key
                used.add(key)
                break
    return out


#: A ``\\uD800``-``\\uDFFF`` escape: JSON joins a pair into one character, but a lone one
#: stays a surrogate, which no UTF-8 table (Arrow, Parquet) can hold.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
#: The warning recorded for a file whose lone surrogates were replaced.
SURROGATE_WARNING = "lone surrogate escapes replaced with U+FFFD"


def _loads(text: str, warnings: list[str] | None) -> Any:
    """Return ``json.loads(text)`` with lone surrogates (from ``\\uD800`` escapes) replaced.

    Examples
    --------
    >>> w = []
    >>> _loads('{"t": "a \\\\ud800 b", "e": "\\\\ud83d\\\\ude00"}', w), w
    ({'t': 'a \ufffd b', 'e': '😀'}, ['lone surrogate escapes replaced with U+FFFD'])
    """
    data = json.loads(text)
    if _SURROGATE_ESCAPE.search(text) is None:
        return data
    found = [False]

    def fix(value: Any) -> Any:
        if isinstance(value, str):
            if SURROGATE.search(value) is None:
                return value
            found[0] = True
            return SURROGATE.sub("\ufffd", value)
        if isinstance(value, list):
            return [fix(v) for v in value]
        if isinstance(value, dict):
            return {fix(k): fix(v) for k, v in value.items()}
        return value

    data = fix(data)
    if found[0] and warnings is not None and SURROGATE_WARNING not in warnings:
        warnings.append(SURROGATE_WARNING)
    return data


def iter_json(
    text: str, warnings: list[str] | None = None
) -> Iterator[tuple[str, dict[str, Any] | RecordError]]:
    """Yield ``(record_ref, record)`` from a JSON document: one object, a list, the one list of
    records inside an object (:func:`_record_list`), or an object of articles by key
    (``{"<id>": {...}}``: refs ``item <id>``).

    Lone surrogates (``\\uD800`` escapes without their pair) become U+FFFD, noted once in
    ``warnings``.
    """
    try:
        data = _loads(text, warnings)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several objects, one per line: really JSONL
            yield from iter_jsonl(text, warnings)
            return
        raise RecordError("invalid JSON", f"line {exc.lineno}: {exc.msg}") from None
    if isinstance(data, dict):
        found = _record_list(data)
        if found is None:
            if _keyed_records(data):
                for key, value in data.items():
                    yield f"item {key}", value
                return
            yield "", data
            return
        data = found
    if not isinstance(data, list):
        raise RecordError("unsupported", f"JSON top level is {type(data).__name__}, not an object")
    for i, rec in enumerate(data):
        if isinstance(rec, dict):
            yield f"item {i}", rec
        else:
            yield f"item {i}", RecordError("unsupported", f"item is {type(rec).__name__}")


#: How deep :func:`_record_list` looks for the list of records in a JSON object.
_MAX_NESTING = 3
_TEXT_KEYS = frozenset(_squash(k) for k in CANDIDATES["text"] if "." not in k)


def _record_list(data: dict[str, Any], depth: int = 0) -> list[Any] | None:
    """Return the one list of records inside a JSON object, or None when it is one record.

    The list is a value of the object (``{"articles": [...]}``: NewsAPI) or of an object in it,
    up to :data:`_MAX_NESTING` deep (``{"response": {"results": [...]}}``: the Guardian;
    ``{"response": {"docs": [...]}}``: the New York Times). An object with a text field or a
    long string is an article itself, and so is one that holds several such lists.

    Examples
    --------
    >>> _record_list({"response": {"status": "ok", "results": [{"webTitle": "Talks"}]}})
    [{'webTitle': 'Talks'}]
    >>> _record_list({"text": "Leaders met.", "images": [{"src": "a.jpg"}]}) is None
    True
    """
    if _looks_like_record(data):
        return None
    lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
    if lists:
        return lists[0] if len(lists) == 1 else None
    if depth + 1 >= _MAX_NESTING:
        return None
    found = [
        inner
        for v in data.values()
        if type(v) is dict
        for inner in (_record_list(v, depth + 1),)
        if inner is not None
    ]
    return found[0] if len(found) == 1 else None


def _looks_like_record(data: dict[str, Any]) -> bool:
    """An object with a text field (a string under a text key), or a long string."""
    return any(
        isinstance(v, str) and (len(v) > 200 or _squash(k) in _TEXT_KEYS) for k, v in data.items()
    )


def _keyed_records(data: dict[str, Any]) -> bool:
    """Return whether a JSON object maps keys to articles (``{"<id or url>": {...}, ...}``).

    Every value is an object and one of them at least looks like an article, and the object
    itself does not (its values are all objects).

    Examples
    --------
    >>> _keyed_records({"a1": {"title": "Talks", "text": "Leaders met."}, "a2": {"title": "x"}})
    True
    >>> _keyed_records({"source": {"name": "Kyiv Ledger"}}), _keyed_records({})
    (False, False)
    """
    values = list(data.values())
    return (
        bool(values)
        and all(type(v) is dict for v in values)
        and any(_looks_like_record(v) for v in values)
    )


def iter_jsonl(
    text: str, warnings: list[str] | None = None, *, start: int = 1
) -> Iterator[tuple[str, dict[str, Any] | RecordError]]:
    """Yield ``(record_ref, record)`` for each non-blank line of a JSON Lines document.

    Lines end at ``"\\n"`` only (``"\\r"`` in a text without ``"\\n"``): JSON strings may
    hold U+2028, U+0085 and other characters that ``str.splitlines`` would split at. ``start`` is the number of the first line (a
    block of a longer file). Lone surrogates become U+FFFD, noted once in ``warnings`` (see
    :func:`iter_json`).

    Examples
    --------
    >>> [ref for ref, _ in iter_jsonl('{"t": "a\u2028b"}\\n\\n{"t": "c"}\\r\\n', start=7)]
    ['line 7', 'line 9']
    """
    newline = "\r" if "\r" in text and "\n" not in text else "\n"  # old Mac line ends
    for lineno, line in enumerate(text.split(newline), start=start):
        if not line.strip():
            continue
        ref = f"line {lineno}"
        try:
            rec = _loads(line, warnings)
        except json.JSONDecodeError as exc:
            yield ref, RecordError("invalid JSON", exc.msg)
            continue
        if isinstance(rec, dict):
            yield ref, rec
        else:
            yield ref, RecordError("unsupported", f"line holds a {type(rec).__name__}")


def iter_csv(
    text: str, *, delimiter: str = ",", start: int = 1
) -> Iterator[tuple[str, dict[str, Any] | RecordError]]:
    """Yield ``(record_ref, record)`` for each row of a CSV/TSV document (header row required).

    ``start`` is the number of the first data row (a block of a longer file, its header
    line put back in front).
    """
    csv.field_size_limit(2**31 - 1)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, restkey="__extra__")
    if not reader.fieldnames:
        raise RecordError("empty", "no header row")
    try:
        for i, row in enumerate(reader):
            ref = f"row {i + start}"  # 1-based data row (the header is row 0)
            if "__extra__" in row:
                yield ref, RecordError("malformed row", f"{len(row['__extra__'])} fields too many")
                continue
            if any(v is None for v in row.values()):
                yield ref, RecordError("malformed row", "fewer fields than the header")
                continue
            yield ref, row
    except csv.Error as exc:
        raise RecordError("malformed CSV", str(exc)) from None


_QUOTED = re.compile(r'"[^"\n]*"')


def sniff_delimiter(text: str, default: str = ",") -> str:
    """Return the field delimiter of a CSV text, told by its header line.

    The delimiter is the one of ``,``, ``;``, tab and ``|`` found most often in the first line
    outside double quotes (``default`` on a tie with it, or when none is found: one column).
    Spreadsheets set to a language with a decimal comma export ``;``-separated files.

    Examples
    --------
    >>> sniff_delimiter("title;date;text\\nA;2023-03-20;Leaders met, then left.")
    ';'
    >>> sniff_delimiter('"a;b",date,text\\n'), sniff_delimiter("text\\nLeaders met.")
    (',', ',')
    >>> sniff_delimiter("title\\tdate\\ttext\\n", default="\\t")
    '\\t'
    """
    end = text.find("\n")
    header = _QUOTED.sub("", text[: end if end >= 0 else len(text)])
    best, count = default, header.count(default)
    for cand in (",", ";", "\t", "|"):
        n = header.count(cand)
        if n > count:
            best, count = cand, n
    return best


#: The warning recorded for a Parquet file whose text columns held invalid UTF-8.
INVALID_UTF8_WARNING = "invalid UTF-8 in text columns replaced with U+FFFD"


def iter_parquet(
    data: bytes, warnings: list[str] | None = None
) -> Iterator[tuple[str, dict[str, Any] | RecordError]]:
    """Yield ``(record_ref, record)`` for each row of a Parquet file, batch by batch.

    Parquet does not check that its text columns are UTF-8: invalid bytes in a string column
    become U+FFFD, noted once in ``warnings``. A file that cannot be read (or that holds
    invalid UTF-8 inside nested columns) raises :class:`RecordError`.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(pa.BufferReader(data))
    except (pa.ArrowException, OSError) as exc:
        raise RecordError("invalid Parquet", str(exc)) from None
    i = 0
    batches = pf.iter_batches(batch_size=4096)
    while True:
        try:
            batch = next(batches, None)
        except (pa.ArrowException, OSError) as exc:
            raise RecordError("invalid Parquet", str(exc)) from None
        if batch is None:
            return
        try:
            rows = batch.to_pylist()
        except UnicodeDecodeError:
            rows = _lenient_rows(batch)
            if warnings is not None and INVALID_UTF8_WARNING not in warnings:
                warnings.append(INVALID_UTF8_WARNING)
        for rec in rows:
            i += 1
            yield f"row {i}", rec


#: Bounds on an Excel workbook's zip members, checked before openpyxl reads them: the total
#: uncompressed size, and the compression ratio of any member (a zip bomb).
XLSX_MAX_BYTES = 1 * 2**30
XLSX_MAX_RATIO = 200.0


def iter_xlsx(data: bytes) -> Iterator[tuple[str, dict[str, Any] | RecordError]]:
    """Yield ``(record_ref, record)`` for each row of every sheet of an Excel workbook (.xlsx).

    A sheet's first row with a value is its header; a row with no value is passed over; an
    empty cell is a None value; a value under no header makes its row a ``malformed row``. References are ``row N`` (the
    spreadsheet's row number) on the first sheet and ``row <sheet>!N`` on the others. Cells
    give their values, not formulas (the values Excel saved); dates come as datetimes.

    The workbook's members are checked before they are read (total size and compression
    ratio: :data:`XLSX_MAX_BYTES`, :data:`XLSX_MAX_RATIO`), and its XML is read with
    ``defusedxml`` when installed (openpyxl uses it). A file that is not a workbook raises
    :class:`RecordError` ``invalid xlsx``; one over the bounds, ``too large``.
    """
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise RecordError("invalid xlsx", str(exc) or "not a zip file") from None
    total = sum(i.file_size for i in infos)
    if total > XLSX_MAX_BYTES:
        raise RecordError("too large", f"{total:,} bytes uncompressed")
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > XLSX_MAX_RATIO:
            raise RecordError(
                "too large", f"{info.filename}: compression ratio suggests a zip bomb"
            )
    from openpyxl import load_workbook

    try:
        # openpyxl's errors on a damaged workbook are of many types (zip, XML, KeyError on a
        # missing part, ValueError on a bad cell): any of them means the file cannot be read.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001
        raise RecordError("invalid xlsx", f"{type(exc).__name__}: {exc}"[:200]) from None
    try:
        for n, sheet in enumerate(book.worksheets):
            prefix = "" if n == 0 else "".join(str(sheet.title).split()) + "!"
            header: list[str] | None = None
            try:
                for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                    if all(v is None or v == "" for v in row):
                        continue
                    if header is None:
                        header = _unique_names(["" if v is None else str(v).strip() for v in row])
                        continue
                    width = max(len(header), len(row))
                    cells = list(row) + [None] * (width - len(row))
                    names = header + [""] * (width - len(header))
                    if any(
                        not k and v not in (None, "") for k, v in zip(names, cells, strict=True)
                    ):
                        yield (
                            f"row {prefix}{r}",
                            RecordError("malformed row", "values in columns without a header"),
                        )
                        continue
                    # an empty cell is an empty value (the key stays: one mapping per sheet)
                    record = {
                        k: (None if v == "" else v) for k, v in zip(names, cells, strict=True) if k
                    }
                    yield f"row {prefix}{r}", record
            except Exception as exc:  # noqa: BLE001  (a damaged sheet part, as above)
                raise RecordError("invalid xlsx", f"{type(exc).__name__}: {exc}"[:200]) from None
    finally:
        book.close()


def _unique_names(names: list[str]) -> list[str]:
    """Return header names with repeats numbered, so that no column hides another.

    Examples
    --------
    >>> _unique_names(["title", "text", "text", "", "", "text"])
    ['title', 'text', 'text (2)', '', '', 'text (3)']
    """
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name:
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name} ({seen[name]})"
        out.append(name)
    return out


def _lenient_rows(batch: Any) -> list[dict[str, Any]]:
    """Return the rows of an Arrow record batch, invalid UTF-8 in string columns replaced."""
    import pyarrow as pa

    columns: dict[str, list[Any]] = {}
    for name, col in zip(batch.schema.names, batch.columns, strict=True):
        try:
            columns[name] = col.to_pylist()
        except UnicodeDecodeError as exc:
            if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
                raw = col.view(pa.binary() if pa.types.is_string(col.type) else pa.large_binary())
                columns[name] = [
                    None if v is None else v.decode("utf-8", "replace") for v in raw.to_pylist()
                ]
            else:
                raise RecordError("undecodable", f"column {name!r}: {exc}") from None
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def field_value(value: Any) -> str | None:
    """Return a record value as text: lists joined with ``"; "``, dicts by their name, else str.

    Examples
    --------
    >>> field_value(["Ann Lee", "Bo Chen"]), field_value({"name": "Reuters"}), field_value("")
    ('Ann Lee; Bo Chen', 'Reuters', None)
    >>> field_value({"main": "Xi Arrives", "kicker": None, "name": None})
    'Xi Arrives'
    >>> field_value({"id": None, "name": None}) is None, field_value({"id": 7})
    (True, '{"id": 7}')
    >>> field_value(b"Caf\\xc3\\xa9 \\xff")
    'Café �'

    """
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (bytes, bytearray)):  # a binary column (Parquet): text as UTF-8
        value = bytes(value).decode("utf-8", "replace")
    if isinstance(value, (list, tuple)):
        parts = [field_value(v) for v in value]
        joined = "; ".join(p for p in parts if p)
        return joined or None
    if isinstance(value, dict):
        # the first of these keys with a value: {"name": ...} (NewsAPI's source), {"main": ...}
        # (the NYT's headline, whose "name" is often null), {"original": "By ..."} (its byline)
        known = [k for k in ("name", "title", "value", "text", "main", "original") if k in value]
        for key in known:
            text = field_value(value[key])
            if text:
                return text
        return None if known else json.dumps(value, ensure_ascii=False, default=str)
    text = str(value).strip()
    return text or None
