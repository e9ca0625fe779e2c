"""Read TempEval-3 TimeML files and score TIMEX3 output with the TE3 Task A definitions.

The reader keeps the raw text between the ``<TEXT>`` tags and the character
offsets of every gold TIMEX3 in it, and takes the document creation time
(DCT) from the TIMEX3 whose ``functionInDocument`` is ``CREATION_TIME``.

The scorer follows the official TempEval-3 definitions:

* strict match: the system span equals a gold span exactly;
* relaxed match: the spans share at least one character;
* precision = matched system spans / system spans, recall = matched gold
  spans / gold spans (both per match kind), F1 their harmonic mean;
* type and value accuracy are measured over the relaxed matches, and
  type F1 = relaxed F1 x type accuracy, value F1 = relaxed F1 x value accuracy.

DCT timexes are not part of the text and are therefore never scored.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

GOLD_COLUMNS: dict[str, str] = {
    "doc_id": "string",
    "start": "int64",
    "end": "int64",
    "surface": "string",
    "type": "string",
    "value": "string",
}


@dataclass
class TimeMLDoc:
    """One TimeML document: its text, creation time and gold TIMEX3 spans."""

    doc_id: str
    text: str
    dct: str | None
    timexes: list[dict[str, object]] = field(default_factory=list)


def _walk(elem: ET.Element, parts: list[str], found: list[dict[str, object]], pos: int) -> int:
    """Append the text under ``elem`` to ``parts``; record TIMEX3 offsets; return the new length."""
    if elem.text:
        parts.append(elem.text)
        pos += len(elem.text)
    for child in elem:
        start = pos
        pos = _walk(child, parts, found, pos)
        if child.tag == "TIMEX3":
            found.append(
                {
                    "start": start,
                    "end": pos,
                    "type": child.get("type", ""),
                    "value": child.get("value", ""),
                    "mod": child.get("mod"),
                }
            )
        if child.tail:
            parts.append(child.tail)
            pos += len(child.tail)
    return pos


def read_timeml(path: str | Path) -> TimeMLDoc:
    """Return the text, DCT and gold TIMEX3 spans of one TimeML file.

    Parameters
    ----------
    path
        A ``.tml`` file.

    Returns
    -------
    TimeMLDoc
        ``text`` is the content of ``<TEXT>``; each timex dict has
        ``start``, ``end``, ``type``, ``value`` and ``mod`` with
        ``text[start:end]`` equal to the annotated string.

    Examples
    --------
    >>> import tempfile, os
    >>> xml = ('<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2013-03-22" '
    ...        'functionInDocument="CREATION_TIME">March 22</TIMEX3></DCT>'
    ...        '<TEXT>Seen <TIMEX3 tid="t1" type="DATE" value="2013-03-21">Thursday'
    ...        '</TIMEX3>.</TEXT></TimeML>')
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "x.tml")
    ...     _ = open(p, "w").write(xml)
    ...     doc = read_timeml(p)
    >>> doc.dct, doc.text, doc.timexes[0]["value"]
    ('2013-03-22', 'Seen Thursday.', '2013-03-21')
    """
    path = Path(path)
    # ElementTree's expat parser does not fetch external entities or DTDs.
    root = ET.parse(path).getroot()
    dct = None
    for tx in root.iter("TIMEX3"):
        if tx.get("functionInDocument") == "CREATION_TIME":
            dct = tx.get("value")
            break
    text_el = root.find("TEXT")
    parts: list[str] = []
    found: list[dict[str, object]] = []
    if text_el is not None:
        _walk(text_el, parts, found, 0)
    text = "".join(parts)
    for tx in found:
        tx["surface"] = text[tx["start"] : tx["end"]]  # type: ignore[misc]
    return TimeMLDoc(doc_id=path.stem, text=text, dct=dct, timexes=found)


def read_corpus(folder: str | Path) -> list[TimeMLDoc]:
    """Return every ``.tml`` document under ``folder`` (recursively), sorted by path.

    Parameters
    ----------
    folder
        A directory such as ``TBAQ-cleaned`` or ``platinum``.

    Returns
    -------
    list of TimeMLDoc
        One entry per file.

    Examples
    --------
    >>> read_corpus("/nonexistent-folder")
    []
    """
    return [read_timeml(p) for p in sorted(Path(folder).rglob("*.tml"))]


def gold_table(docs: Iterable[TimeMLDoc]) -> pd.DataFrame:
    """Return the gold TIMEX3 spans of ``docs`` as one table.

    Parameters
    ----------
    docs
        Documents from :func:`read_timeml`.

    Returns
    -------
    pandas.DataFrame
        Columns doc_id, start, end, surface, type, value.

    Examples
    --------
    >>> gold_table([TimeMLDoc("d", "on Friday", "2013-03-22",
    ...     [{"start": 3, "end": 9, "type": "DATE", "value": "2013-03-22",
    ...       "surface": "Friday"}])])["surface"].tolist()
    ['Friday']
    """
    rows = [
        {k: tx[k] for k in ("start", "end", "surface", "type", "value")} | {"doc_id": d.doc_id}
        for d in docs
        for tx in d.timexes
    ]
    frame = pd.DataFrame(rows, columns=list(GOLD_COLUMNS))
    return frame.astype(GOLD_COLUMNS)


def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(gold: pd.DataFrame, pred: pd.DataFrame) -> dict[str, float]:
    """Return TE3 Task A TIMEX3 scores of ``pred`` against ``gold`` (fractions in [0, 1]).

    Parameters
    ----------
    gold, pred
        Tables with doc_id, start, end, type and value columns (character
        offsets into the same document texts).

    Returns
    -------
    dict
        ``strict_p``, ``strict_r``, ``strict_f1``, ``relaxed_p``,
        ``relaxed_r``, ``relaxed_f1``, ``type_acc``, ``value_acc``,
        ``type_f1``, ``value_f1`` plus the counts ``n_gold``, ``n_pred``.

    Examples
    --------
    >>> g = pd.DataFrame({"doc_id": ["d", "d"], "start": [0, 10], "end": [5, 15],
    ...                   "type": ["DATE", "DATE"], "value": ["2013", "2014"]})
    >>> p = pd.DataFrame({"doc_id": ["d"], "start": [0], "end": [5],
    ...                   "type": ["DATE"], "value": ["2013"]})
    >>> s = score(g, p)
    >>> round(s["strict_p"], 2), round(s["strict_r"], 2), round(s["value_f1"], 3)
    (1.0, 0.5, 0.667)
    """
    strict_pred = strict_gold = relax_pred = relax_gold = 0
    type_ok = value_ok = pairs = 0
    by_doc_pred = {k: g for k, g in pred.groupby("doc_id", sort=False)}
    for doc_id, g_doc in gold.groupby("doc_id", sort=False):
        p_doc = by_doc_pred.get(doc_id)
        g_spans = list(
            zip(g_doc["start"], g_doc["end"], g_doc["type"], g_doc["value"], strict=True)
        )
        p_spans = (
            []
            if p_doc is None
            else list(zip(p_doc["start"], p_doc["end"], p_doc["type"], p_doc["value"], strict=True))
        )
        g_exact = {(s, e) for s, e, _, _ in g_spans}
        p_exact = {(s, e) for s, e, _, _ in p_spans}
        strict_pred += sum((s, e) in g_exact for s, e, _, _ in p_spans)
        strict_gold += sum((s, e) in p_exact for s, e, _, _ in g_spans)
        for ps, pe, _, _ in p_spans:
            relax_pred += any(ps < ge and gs < pe for gs, ge, _, _ in g_spans)
        for gs, ge, gt, gv in g_spans:
            match = [p for p in p_spans if p[0] < ge and gs < p[1]]
            if match:
                relax_gold += 1
                # Prefer the exact-span system timex, else the first overlapping one.
                best = next((p for p in match if (p[0], p[1]) == (gs, ge)), match[0])
                pairs += 1
                type_ok += str(best[2]) == str(gt)
                value_ok += str(best[3]) == str(gv)
    n_gold = len(gold)
    n_pred = len(pred)
    sp, sr, sf = _prf(strict_pred, n_pred, strict_gold, n_gold)
    rp, rr, rf = _prf(relax_pred, n_pred, relax_gold, n_gold)
    type_acc = type_ok / pairs if pairs else 0.0
    value_acc = value_ok / pairs if pairs else 0.0
    return {
        "strict_p": sp,
        "strict_r": sr,
        "strict_f1": sf,
        "relaxed_p": rp,
        "relaxed_r": rr,
        "relaxed_f1": rf,
        "type_acc": type_acc,
        "value_acc": value_acc,
        "type_f1": rf * type_acc,
        "value_f1": rf * value_acc,
        "n_gold": float(n_gold),
        "n_pred": float(n_pred),
    }


def tag_documents(docs: Iterable[TimeMLDoc]) -> pd.DataFrame:
    """Return the tagger's TIMEX3 output for ``docs``, each anchored on its DCT.

    Parameters
    ----------
    docs
        Documents from :func:`read_timeml`.

    Returns
    -------
    pandas.DataFrame
        :func:`newslab.timex.find_timexes` rows for every document.

    Examples
    --------
    >>> tag_documents([TimeMLDoc("d", "Sales rose last year.", "1998-01-08")])["value"].tolist()
    ['1997']
    """
    from newslab.timex.tagger import find_timexes

    frames = [find_timexes(d.text, anchor=d.dct, doc_id=d.doc_id) for d in docs]
    return pd.concat(frames, ignore_index=True) if frames else find_timexes("")


def evaluate(docs: list[TimeMLDoc]) -> dict[str, float]:
    """Return the TE3 scores of the tagger on ``docs`` (see :func:`score`).

    Parameters
    ----------
    docs
        Documents from :func:`read_corpus`.

    Returns
    -------
    dict
        As :func:`score`.

    Examples
    --------
    >>> doc = TimeMLDoc("d", "Sales rose last year.", "1998-01-08",
    ...     [{"start": 11, "end": 20, "type": "DATE", "value": "1997", "surface": "last year"}])
    >>> evaluate([doc])["value_f1"]
    1.0
    """
    return score(gold_table(docs), tag_documents(docs))
