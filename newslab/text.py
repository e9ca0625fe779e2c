"""Text helpers: sentences, tokens, n-grams, collocations, keyword-in-context and term counts.

Every verb takes a DataFrame and returns a new tidy DataFrame. Offsets (``start``/``end``) always
index into the article text, so ``text[start:end]`` gives back the sentence or token exactly.

Sentence splitting follows NLTK's Punkt algorithm. When NLTK's trained ``punkt_tab/english`` model is
found (see ``NLTK_DATA``) its parameters are used; otherwise Punkt runs with newslab's own list of
news abbreviations (``newslab/data/abbreviations.txt``), and a warning says so once. Both add the
abbreviation list. Line breaks that end a paragraph always end a sentence, so a headline-like line
without final punctuation is a sentence of its own.
"""

from __future__ import annotations

import functools
import html
import re
import warnings
from collections.abc import Iterable, Sequence
from importlib import resources

import numpy as np
import pandas as pd
from nltk.tokenize import punkt

from newslab import schema

__all__ = [
    "KWIC",
    "abbreviations",
    "collocations",
    "kwic",
    "ngrams",
    "sentences",
    "stopwords",
    "term_frequency",
    "tokens",
]

#: Columns of :func:`tokens`.
TOKENS: dict[str, str] = {
    "doc_id": "string",
    "sent_id": "int64",
    "token_id": "int64",
    "start": "int64",
    "end": "int64",
    "token": "string",
    "lower": "string",
    "is_stop": "bool",
    "is_alpha": "bool",
}

#: Columns of :func:`ngrams`.
NGRAMS: dict[str, str] = {
    "doc_id": "string",
    "sent_id": "int64",
    "start": "int64",
    "end": "int64",
    "ngram": "string",
}


# --------------------------------------------------------------------------- package data


def read_word_list(name: str, package: str = "newslab") -> list[str]:
    """Return the non-comment, non-blank lines of a package word list.

    Parameters
    ----------
    name
        File name inside the package's ``data`` folder (e.g. ``"stopwords.txt"``).
    package
        Dotted name of the package whose ``data`` folder holds the file.

    Returns
    -------
    list of str
        Stripped lines, in file order; lines starting with ``#`` are skipped.

    Examples
    --------
    >>> "March" in read_word_list("calendar_words.txt")
    True
    """
    text = resources.files(package).joinpath("data", name).read_text(encoding="utf-8")
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]


@functools.cache
def abbreviations() -> frozenset[str]:
    """Return the news abbreviations that do not end a sentence (lowercase, no final period).

    Returns
    -------
    frozenset of str
        From ``newslab/data/abbreviations.txt``; ``"U.S."`` is stored as ``"u.s"``.

    Examples
    --------
    >>> {"feb", "gov", "u.s", "mr"} <= abbreviations()
    True
    """
    return frozenset(w.lower().rstrip(".") for w in read_word_list("abbreviations.txt"))


@functools.cache
def stopwords() -> frozenset[str]:
    """Return the English stopword set (NLTK's list when installed, else newslab's own).

    Returns
    -------
    frozenset of str
        Lowercase words. NLTK's ``corpora/stopwords/english`` is used when found on
        ``NLTK_DATA``; otherwise ``newslab/data/stopwords.txt`` (a warning says so once).

    Examples
    --------
    >>> {"the", "and", "of"} <= stopwords()
    True
    """
    try:
        from nltk.corpus import stopwords as nltk_stopwords

        return frozenset(nltk_stopwords.words("english"))
    except LookupError:
        warnings.warn(
            "NLTK stopwords corpus not found (set NLTK_DATA to use it); "
            "newslab uses its own list in newslab/data/stopwords.txt",
            stacklevel=2,
        )
        return frozenset(read_word_list("stopwords.txt"))


# --------------------------------------------------------------------------- sentences

_OPEN = "\"'‘“([{"
_CLOSE = "\"'’”)]}"
# A word ending in sentence punctuation, then optional closing quotes/brackets, before whitespace.
_END_RE = re.compile(r"[.!?…][.!?…\"'’”)\]]*(?=\s)")
_CLOSERS = "\"'’”)]"
# The next word after a candidate boundary (skipping whitespace and opening quotes).
_NEXT_RE = re.compile(r"\s*[\"'‘“(\[]*([^\s\"'‘“(\[]*)")
# A run of whitespace containing at least one line break.
_NL_RE = re.compile(r"\n\s*")
_NUMBER_RE = re.compile(r"^-?[\.,]?\d[\d,\.-]*\.?$")
_ACRONYM_RE = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")
_CONT_END = frozenset("abcdefghijklmnopqrstuvwxyz,")
_TRAIL = ",;:.!?\"'’”)]}"


@functools.cache
def _punkt_parameters() -> tuple[punkt.PunktParameters, bool]:
    """Return Punkt parameters (trained when available) plus newslab's abbreviations, and if trained."""
    try:
        params = punkt.PunktTokenizer("english")._params
        trained = True
    except LookupError:
        warnings.warn(
            "NLTK punkt_tab/english not found (set NLTK_DATA to use it); newslab splits sentences "
            "with untrained Punkt parameters and its own abbreviation list",
            stacklevel=3,
        )
        params = punkt.PunktParameters()
        trained = False
    params.abbrev_types = set(params.abbrev_types) | set(abbreviations())
    return params, trained


def _word_type(tok: str) -> str:
    """Punkt's word type: lowercase, numbers collapsed, no final period."""
    typ = tok.lower()
    if typ and (typ[0].isdigit() or typ[0] in "-.,"):
        typ = _NUMBER_RE.sub("##number##", typ)
    return typ[:-1] if len(typ) > 1 and typ.endswith(".") else typ


class _Splitter:
    """Punkt's decision rules applied only at candidate boundaries found by one regex scan."""

    def __init__(self, params: punkt.PunktParameters) -> None:
        self.abbrev = params.abbrev_types
        self.colloc = params.collocations
        self.colloc_first = frozenset(a for a, _ in params.collocations)
        self.starters = params.sent_starters
        self.ortho = params.ortho_context

    def _ortho(self, word: str, ntyp: str) -> bool | None:
        """Punkt's orthographic heuristic: True = starts a sentence, False = does not, None = unsure."""
        oc = self.ortho.get(ntyp, 0)
        first = word[0]
        if first.isupper() and oc & punkt._ORTHO_LC and not oc & punkt._ORTHO_MID_UC:
            return True
        if first.islower() and (oc & punkt._ORTHO_UC or not oc & punkt._ORTHO_BEG_LC):
            return False
        return None

    def is_break(self, prev: str, mark: str, nxt: str) -> bool:
        """Whether ``prev`` + ``mark`` ends a sentence given the ``nxt`` word."""
        if not nxt:
            return True
        first = nxt[0]
        if first.islower() or first in ",;:-–—)":
            return False
        if mark != ".":
            return True
        typ = prev.strip(_OPEN + _CLOSE).lower()
        if not typ:
            return True
        if typ[0].isdigit() or typ[0] in "-.,":
            typ = _NUMBER_RE.sub("##number##", typ)
        is_initial = len(typ) == 1 and typ.isalpha()
        is_abbrev = typ in self.abbrev or ("." in typ and _ACRONYM_RE.match(typ) is not None)
        if not (is_initial or is_abbrev or typ in self.colloc_first or typ == "##number##"):
            return True
        ntyp = _word_type(nxt.rstrip(_TRAIL) or nxt)
        if (typ, ntyp) in self.colloc:
            return False
        if is_abbrev and not is_initial:
            if self._ortho(nxt, ntyp) is True:
                return True
            return bool(first.isupper() and ntyp in self.starters)
        if is_initial or typ == "##number##":
            verdict = self._ortho(nxt, ntyp)
            if verdict is False:
                return False
            if (
                verdict is None
                and is_initial
                and first.isupper()
                and not self.ortho.get(ntyp, 0) & punkt._ORTHO_LC
            ):
                return False
        return True

    def cuts(self, text: str) -> list[int]:
        """Return sorted offsets where a sentence ends (paragraph ends and sentence punctuation)."""
        cuts = []
        n = len(text)
        for m in _NL_RE.finditer(text):
            a, b = m.start(), m.end()
            # A line that stops mid-sentence (lowercase word or comma, next line lowercase) continues.
            if a > 0 and b < n and text[b].islower():
                j = a - 1
                while j > 0 and text[j] in " \t\r":
                    j -= 1
                if text[j].lower() in _CONT_END:
                    continue
            cuts.append(a)
        nxt_match = _NEXT_RE.match
        rfind = text.rfind
        for m in _END_RE.finditer(text):
            end = m.end()
            pos = m.start()
            if pos and not text[pos - 1].isspace():
                word_start = max(rfind(" ", 0, pos), rfind("\n", 0, pos)) + 1
                prev = text[word_start:pos]
            else:
                prev = ""
            if self.is_break(prev, m.group().rstrip(_CLOSERS), nxt_match(text, end).group(1)):
                cuts.append(end)
        cuts.append(n)
        cuts.sort()
        return cuts


@functools.cache
def _splitter() -> _Splitter:
    return _Splitter(_punkt_parameters()[0])


@functools.cache
def _punkt_tokenizer() -> punkt.PunktSentenceTokenizer:
    return punkt.PunktSentenceTokenizer(_punkt_parameters()[0])


def _spans_fast(text: str) -> list[tuple[int, int]]:
    spans = []
    prev = 0
    for cut in _splitter().cuts(text):
        if cut <= prev:
            continue
        seg = text[prev:cut]
        stripped = seg.lstrip()
        if stripped:
            s = prev + len(seg) - len(stripped)
            e = prev + len(seg.rstrip())
            spans.append((s, e))
        prev = cut
    return spans


def _spans_punkt(text: str) -> list[tuple[int, int]]:
    tok = _punkt_tokenizer()
    spans = []
    prev = 0
    para_cuts = [m.start() for m in _NL_RE.finditer(text)] + [len(text)]
    for m_end in para_cuts:
        seg = text[prev:m_end]
        for s, e in tok.span_tokenize(seg):
            spans.append((prev + s, prev + e))
        nl = _NL_RE.match(text, m_end)
        prev = nl.end() if nl else m_end
    return spans


def sentences(
    df: pd.DataFrame,
    text_col: str = "text",
    id_col: str = "doc_id",
    engine: str = "fast",
) -> pd.DataFrame:
    """Return one row per sentence, with offsets into each article's text.

    Parameters
    ----------
    df
        Articles table (``schema.ARTICLES``) or any frame with an id and a text column.
    text_col, id_col
        Names of the text and id columns.
    engine
        ``"fast"`` (default) applies Punkt's decision rules (abbreviations, collocations,
        orthographic and sentence-starter heuristics, initials, numbers) only at candidate
        boundaries found by a regex scan; ``"punkt"`` runs NLTK's
        ``PunktSentenceTokenizer.span_tokenize`` on each paragraph (same parameters, about
        three times slower). Both cut at paragraph-ending line breaks; ``"fast"`` also keeps
        a line that stops mid-sentence joined to a next line starting in lowercase, and never
        cuts before a lowercase word.

    Returns
    -------
    pandas.DataFrame
        ``schema.SENTENCES`` columns (doc_id, sent_id, start, end, text); ``sent_id`` counts
        from 0 within each document and ``text[start:end]`` is the sentence.

    Examples
    --------
    >>> arts = pd.DataFrame({"doc_id": ["a"], "text": ["Gov. Smith left on Feb. 3. He was tired.\\nNew Plan"]})
    >>> sentences(arts)["text"].tolist()
    ['Gov. Smith left on Feb. 3.', 'He was tired.', 'New Plan']
    """
    if engine not in ("fast", "punkt"):
        raise ValueError(f"engine must be 'fast' or 'punkt', not {engine!r}")
    spans_of = _spans_fast if engine == "fast" else _spans_punkt
    _punkt_parameters()  # announce the model choice once, up front
    ids: list[str] = []
    sent_ids: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    texts: list[str] = []
    for doc_id, text in zip(df[id_col].tolist(), df[text_col].tolist(), strict=True):
        if not isinstance(text, str) or not text:
            continue
        spans = spans_of(text)
        k = len(spans)
        ids.extend([doc_id] * k)
        sent_ids.extend(range(k))
        for s, e in spans:
            starts.append(s)
            ends.append(e)
            texts.append(text[s:e])
    if not ids:
        return schema.empty(schema.SENTENCES)
    out = pd.DataFrame(
        {"doc_id": ids, "sent_id": sent_ids, "start": starts, "end": ends, "text": texts}
    )
    return schema.conform(out, schema.SENTENCES)


def sentence_index(
    sents: pd.DataFrame, doc_ids: Sequence[str], starts: Sequence[int]
) -> np.ndarray:
    """Return, for each (doc_id, offset), the ``sent_id`` of the sentence containing it (-1 if none).

    Parameters
    ----------
    sents
        A ``schema.SENTENCES`` table.
    doc_ids, starts
        Parallel sequences of document ids and character offsets.

    Returns
    -------
    numpy.ndarray
        int64 sentence ids; an offset falling between sentences gets the preceding sentence.

    Examples
    --------
    >>> s = sentences(pd.DataFrame({"doc_id": ["a"], "text": ["One. Two."]}))
    >>> sentence_index(s, ["a", "a"], [0, 6]).tolist()
    [0, 1]
    """
    out = np.full(len(starts), -1, dtype="int64")
    if len(starts) == 0 or sents.empty:
        return out
    q = pd.DataFrame({"doc_id": pd.array(doc_ids, dtype="string"), "pos": np.asarray(starts)})
    q["row"] = np.arange(len(q))
    s = sents[["doc_id", "sent_id", "start"]].rename(columns={"start": "pos"})
    s = s.astype({"pos": "int64"}).sort_values("pos")
    q = q.astype({"pos": "int64"}).sort_values("pos")
    merged = pd.merge_asof(q, s, on="pos", by="doc_id", direction="backward")
    found = merged["sent_id"].notna().to_numpy()
    out[merged["row"].to_numpy()[found]] = merged["sent_id"].to_numpy()[found].astype("int64")
    return out


# --------------------------------------------------------------------------- tokens

_TOKEN_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:[-‐]\w+)*|['’]\w+|[^\w\s]")


def _as_sentences(df: pd.DataFrame) -> pd.DataFrame:
    return df if "sent_id" in df.columns else sentences(df)


def tokens(df: pd.DataFrame) -> pd.DataFrame:
    """Return one row per token, with offsets into the article text.

    Parameters
    ----------
    df
        A sentences table (``schema.SENTENCES``); an articles table is split into sentences first.

    Returns
    -------
    pandas.DataFrame
        Columns doc_id, sent_id, token_id (from 0 within each sentence), start, end, token,
        lower, is_stop, is_alpha. Words keep inner hyphens, ``'s`` is its own token, dotted
        acronyms (``U.S.``) stay whole, every other punctuation mark is a token.

    Examples
    --------
    >>> arts = pd.DataFrame({"doc_id": ["a"], "text": ["The U.S. envoy's trip."]})
    >>> tokens(arts)["token"].tolist()
    ['The', 'U.S.', 'envoy', "'s", 'trip', '.']
    """
    sents = _as_sentences(df)
    ids: list[str] = []
    sids: list[int] = []
    tids: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    toks: list[str] = []
    finditer = _TOKEN_RE.finditer
    for doc_id, sid, s0, text in zip(
        sents["doc_id"].tolist(),
        sents["sent_id"].tolist(),
        sents["start"].tolist(),
        sents["text"].tolist(),
        strict=True,
    ):
        k = 0
        for m in finditer(text):
            starts.append(s0 + m.start())
            ends.append(s0 + m.end())
            toks.append(m.group())
            k += 1
        ids.extend([doc_id] * k)
        sids.extend([sid] * k)
        tids.extend(range(k))
    if not toks:
        return schema.empty(TOKENS)
    out = pd.DataFrame(
        {"doc_id": ids, "sent_id": sids, "token_id": tids, "start": starts, "end": ends}
    )
    out["token"] = pd.array(toks, dtype="string")
    out["lower"] = out["token"].str.lower()
    out["is_stop"] = out["lower"].isin(stopwords()).astype(bool)
    out["is_alpha"] = np.array([t.isalpha() for t in toks], dtype=bool)
    return schema.conform(out, TOKENS)


def _as_tokens(df: pd.DataFrame) -> pd.DataFrame:
    return df if "token_id" in df.columns else tokens(df)


def ngrams(
    df: pd.DataFrame, n: int = 2, alpha_only: bool = True, drop_stopwords: bool = False
) -> pd.DataFrame:
    """Return one row per n-gram occurrence (lowercase, within a sentence).

    Parameters
    ----------
    df
        Tokens (:func:`tokens`), sentences or articles table.
    n
        Number of tokens per n-gram (>= 1).
    alpha_only
        Keep only alphabetic tokens (punctuation and numbers are removed first, so
        n-grams skip over them).
    drop_stopwords
        Remove stopwords before building n-grams.

    Returns
    -------
    pandas.DataFrame
        Columns doc_id, sent_id, start, end (offsets of the first and last token in the
        article text), ngram (tokens joined by one space).

    Examples
    --------
    >>> arts = pd.DataFrame({"doc_id": ["a"], "text": ["Peace talks resumed. Talks failed."]})
    >>> ngrams(arts, 2)["ngram"].tolist()
    ['peace talks', 'talks resumed', 'talks failed']
    """
    if n < 1:
        raise ValueError("n must be >= 1")
    tok = _as_tokens(df)
    keep = pd.Series(True, index=tok.index)
    if alpha_only:
        keep &= tok["is_alpha"]
    if drop_stopwords:
        keep &= ~tok["is_stop"]
    tok = tok[keep].sort_values(["doc_id", "sent_id", "start"]).reset_index(drop=True)
    if len(tok) < n:
        return schema.empty(NGRAMS)
    doc = tok["doc_id"].to_numpy(dtype=object)
    sid = tok["sent_id"].to_numpy()
    low = tok["lower"].to_numpy(dtype=object)
    m = len(tok) - n + 1
    ok = np.ones(m, dtype=bool)
    gram = low[:m].copy()
    for k in range(1, n):
        ok &= (doc[k : k + m] == doc[:m]) & (sid[k : k + m] == sid[:m])
        gram = gram + " " + low[k : k + m]
    out = pd.DataFrame(
        {
            "doc_id": doc[:m][ok],
            "sent_id": sid[:m][ok],
            "start": tok["start"].to_numpy()[:m][ok],
            "end": tok["end"].to_numpy()[n - 1 :][ok],
            "ngram": gram[ok],
        }
    )
    return schema.conform(out, NGRAMS)


_MEASURES = (
    "pmi",
    "likelihood_ratio",
    "chi_sq",
    "student_t",
    "dice",
    "jaccard",
    "poisson_stirling",
    "raw_freq",
    "phi_sq",
    "mi_like",
)


def collocations(
    df: pd.DataFrame,
    measure: str = "pmi",
    min_freq: int = 3,
    top: int | None = None,
    drop_stopwords: bool = True,
) -> pd.DataFrame:
    """Return bigram collocations scored by an NLTK association measure, best first.

    Parameters
    ----------
    df
        Tokens, sentences or articles table.
    measure
        Name of a ``nltk.metrics.BigramAssocMeasures`` method: ``pmi``, ``likelihood_ratio``,
        ``chi_sq``, ``student_t``, ``dice``, ``jaccard``, ``poisson_stirling``, ``raw_freq``,
        ``phi_sq`` or ``mi_like``.
    min_freq
        Drop bigrams seen fewer times.
    top
        Keep only the ``top`` best rows (all when None).
    drop_stopwords
        Drop bigrams with a stopword on either side.

    Returns
    -------
    pandas.DataFrame
        Columns w1, w2, bigram, freq, score; bigrams never span two sentences or documents.

    Examples
    --------
    >>> arts = pd.DataFrame({"doc_id": list("ab"), "text": ["Grain deal talks.", "The grain deal held."]})
    >>> collocations(arts, min_freq=2)[["bigram", "freq"]].values.tolist()
    [['grain deal', 2]]
    """
    if measure not in _MEASURES:
        raise ValueError(f"measure must be one of {_MEASURES}, not {measure!r}")
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    tok = _as_tokens(df)
    tok = tok[tok["is_alpha"]]
    groups = tok.groupby(["doc_id", "sent_id"], sort=False)["lower"].agg(list)
    finder = BigramCollocationFinder.from_documents(groups.tolist())
    finder.apply_freq_filter(min_freq)
    if drop_stopwords:
        stop = stopwords()
        finder.apply_word_filter(lambda w: w in stop)
    scored = finder.score_ngrams(getattr(BigramAssocMeasures, measure))
    if top is not None:
        scored = scored[:top]
    rows = [(a, b, f"{a} {b}", finder.ngram_fd[(a, b)], s) for (a, b), s in scored]
    out = pd.DataFrame(rows, columns=["w1", "w2", "bigram", "freq", "score"])
    return out.astype(
        {"w1": "string", "w2": "string", "bigram": "string", "freq": "int64", "score": "float64"}
    )


# --------------------------------------------------------------------------- KWIC


class KWIC:
    """Keyword-in-context lines; shown as an HTML table in JupyterLab.

    Attributes
    ----------
    frame : pandas.DataFrame
        Columns doc_id, start, end, left, keyword, right.
    """

    def __init__(self, frame: pd.DataFrame, pattern: str = "") -> None:
        self.frame = frame
        self.pattern = pattern

    def __len__(self) -> int:
        return len(self.frame)

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of the KWIC lines as a DataFrame."""
        return self.frame.copy()

    def __repr__(self) -> str:
        lines = [
            f"{r.left:>{40}} [{r.keyword}] {r.right}"
            for r in self.frame.head(50).itertuples(index=False)
        ]
        return f"KWIC({self.pattern!r}, {len(self)} lines)\n" + "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = "".join(
            "<tr>"
            f"<td>{esc(str(r.doc_id))}</td>"
            f'<td style="text-align:right;white-space:pre">{esc(r.left)}</td>'
            f'<td style="text-align:center"><mark><b>{esc(r.keyword)}</b></mark></td>'
            f'<td style="text-align:left;white-space:pre">{esc(r.right)}</td>'
            "</tr>"
            for r in self.frame.itertuples(index=False)
        )
        return (
            f"<p>KWIC for <code>{esc(self.pattern)}</code>: {len(self)} lines</p>"
            "<table><thead><tr><th>doc_id</th><th>left</th><th>keyword</th><th>right</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
        )


def _term_regex(term: str, regex: bool, case: bool) -> re.Pattern[str]:
    pat = term if regex else r"(?<!\w)" + re.escape(term) + r"(?!\w)"
    return re.compile(pat, 0 if case else re.IGNORECASE)


def kwic(
    df: pd.DataFrame,
    pattern: str,
    width: int = 40,
    text_col: str = "text",
    id_col: str = "doc_id",
    regex: bool = False,
    case: bool = False,
) -> KWIC:
    """Return keyword-in-context lines for every match of ``pattern``.

    Parameters
    ----------
    df
        Articles (or sentences) table.
    pattern
        A word or phrase (matched at word boundaries) or, with ``regex=True``, a regular expression.
    width
        Characters of context on each side (line breaks shown as spaces).
    text_col, id_col
        Names of the text and id columns.
    regex, case
        Treat ``pattern`` as a regular expression; match case-sensitively.

    Returns
    -------
    KWIC
        ``.frame`` holds doc_id, start, end, left, keyword, right; ``_repr_html_`` renders an
        escaped table with the keyword highlighted.

    Examples
    --------
    >>> k = kwic(pd.DataFrame({"doc_id": ["a"], "text": ["Talks <b>with</b> Kyiv resumed."]}), "kyiv", width=8)
    >>> k.frame[["left", "keyword"]].values.tolist()
    [['ith</b> ', 'Kyiv']]
    >>> "ith&lt;/b&gt;" in k._repr_html_()
    True
    """
    rx = _term_regex(pattern, regex, case)
    rows = []
    for doc_id, text in zip(df[id_col].tolist(), df[text_col].tolist(), strict=True):
        if not isinstance(text, str):
            continue
        for m in rx.finditer(text):
            s, e = m.span()
            left = text[max(0, s - width) : s].replace("\n", " ")
            right = text[e : e + width].replace("\n", " ")
            rows.append((doc_id, s, e, left, m.group(), right))
    frame = pd.DataFrame(rows, columns=["doc_id", "start", "end", "left", "keyword", "right"])
    frame = frame.astype(
        {
            "doc_id": "string",
            "start": "int64",
            "end": "int64",
            "left": "string",
            "keyword": "string",
            "right": "string",
        }
    )
    return KWIC(frame, pattern)


def term_frequency(
    df: pd.DataFrame,
    terms: str | Iterable[str],
    freq: str = "W",
    date_col: str = "published",
    text_col: str = "text",
    regex: bool = False,
    case: bool = False,
) -> pd.DataFrame:
    """Return how often each term occurs per period (tidy, one row per period and term).

    Parameters
    ----------
    df
        Articles table with a datetime column.
    terms
        One term or several; plain terms match whole words, case-insensitively by default.
    freq
        A pandas offset alias for the periods (``"D"``, ``"W"``, ``"MS"``, ...).
    date_col, text_col
        Names of the date and text columns; rows without a date are left out.
    regex, case
        Treat terms as regular expressions; match case-sensitively.

    Returns
    -------
    pandas.DataFrame
        Columns period (datetime64), term, mentions (matches), documents (articles with at
        least one match), n_docs (articles in the period). Periods with no match have 0.

    Examples
    --------
    >>> arts = pd.DataFrame({"published": pd.to_datetime(["2023-03-01", "2023-03-02"]),
    ...                      "text": ["Grain deal; grain ships.", "No news."]})
    >>> term_frequency(arts, "grain", freq="MS")[["term", "mentions", "documents"]].values.tolist()
    [['grain', 2, 1]]
    """
    term_list = [terms] if isinstance(terms, str) else list(terms)
    base = df.loc[df[date_col].notna(), [date_col, text_col]].copy()
    base[text_col] = base[text_col].fillna("").astype(str)
    parts = []
    for term in term_list:
        rx = _term_regex(term, regex, case)
        counts = base[text_col].map(lambda t, rx=rx: sum(1 for _ in rx.finditer(t)))
        tmp = pd.DataFrame(
            {
                date_col: base[date_col],
                "mentions": counts.astype("int64"),
                "documents": (counts > 0).astype("int64"),
                "n_docs": 1,
            }
        )
        g = tmp.groupby(pd.Grouper(key=date_col, freq=freq))[["mentions", "documents", "n_docs"]]
        agg = g.sum().reset_index().rename(columns={date_col: "period"})
        agg.insert(1, "term", term)
        parts.append(agg)
    if not parts or base.empty:
        return pd.DataFrame(
            {
                "period": pd.Series(dtype="datetime64[ns]"),
                "term": pd.Series(dtype="string"),
                "mentions": pd.Series(dtype="int64"),
                "documents": pd.Series(dtype="int64"),
                "n_docs": pd.Series(dtype="int64"),
            }
        )
    out = pd.concat(parts, ignore_index=True)
    return out.astype(
        {"term": "string", "mentions": "int64", "documents": "int64", "n_docs": "int64"}
    )
