#!/usr/bin/env python
"""Build ``newslab/entities/data/countries.csv`` from pycountry, countryinfo and overrides.csv.

The package never imports pycountry or countryinfo: it only reads the CSV written here. Run
this script after editing ``overrides.csv`` or ``country_exclusions.tsv`` (or after upgrading
either library) and commit the result.

Usage::

    python scripts/build_gazetteer.py            # rewrite countries.csv
    python scripts/build_gazetteer.py --check    # exit 1 if countries.csv is out of date

How a country's aliases are made, in order:

1. pycountry gives the name (kind ``name``), the official name (``official``) and the common
   name (``common``); inverted names with a comma ("Korea, Republic of") are not used as
   aliases because text never spells them that way.
2. countryinfo adds its own short name (``common``), English formal alternative spellings
   (``official``/``variant``), the capital (``capital``, metonym 1) and the demonym
   (``demonym``; plurals are added for demonyms ending in "-an").
3. Every alias with accents also gets its plain-ASCII spelling ("Türkiye" -> "Turkiye").
4. ``overrides.csv`` (hand-written, same columns) is merged last and always wins; its rows
   fix labels and add abbreviations, demonyms, extra capitals and seats of government.
5. Generated aliases are dropped when ``country_exclusions.tsv`` lists them, when an override
   gives the alias to another country, when a hand-curated table (people/orgs/places) uses
   the alias, or when two countries would share it. The dropped aliases are listed in the
   header of the output so nothing disappears silently.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "newslab" / "entities" / "data"
OUT = DATA / "countries.csv"
OVERRIDES = DATA / "overrides.csv"
EXCLUSIONS = DATA / "country_exclusions.tsv"
#: Hand-curated tables whose aliases generated country aliases must not collide with.
OTHER_TABLES = ("people.csv", "orgs.csv", "places.csv")

COLUMNS = ("entity_id", "label", "type", "alias", "kind", "metonym")
#: Optional in the hand-curated tables: the period in which an alias (a role) names the entity.
DATE_COLUMNS = ("valid_from", "valid_to")
KINDS = (
    "name",
    "official",
    "common",
    "variant",
    "abbrev",
    "demonym",
    "capital",
    "seat",
    "role",
    "surname",
    "given",
)
_KIND_RANK = {k: i for i, k in enumerate(KINDS)}
_VERSION_PREFIX = "# source versions:"

# English words that mark an alternative spelling from countryinfo as an English formal name
# (its other alternative spellings are mostly native-language names and ISO codes).
_ENGLISH_FORMAL = re.compile(
    r"\b(Republic|Kingdom|State|States|Federation|Commonwealth|Union|Principality|Islands?|"
    r"Great|United|Democratic|Emirates|Confederation|Sultanate|Duchy)\b"
)


@dataclass(frozen=True)
class Row:
    """One gazetteer row plus where it came from (``override`` rows always win)."""

    entity_id: str
    label: str
    alias: str
    kind: str
    metonym: int
    source: str  # "pycountry", "countryinfo", "fold", "plural", "override"

    def key(self) -> tuple[str, str]:
        return self.entity_id, self.alias


def ascii_fold(text: str) -> str:
    """Return ``text`` without accents ("Bogotá" -> "Bogota"); other characters are kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def clean_names(name: str | None) -> list[str]:
    """Return the spellings of a pycountry/countryinfo name that can appear in running text."""
    if not name:
        return []
    name = " ".join(name.split())
    if name.lower().startswith("the "):
        name = name[4:]
    # "Korea, Republic of" is a sorting form; "Bonaire, Sint Eustatius and Saba" is a list.
    if "," in name and " and " not in name:
        return []
    out: list[str] = []
    trailing = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", name)
    inner = re.fullmatch(r"(.*?)\s*\(([^()]*)\)\s*(.+)", name)
    if trailing:
        out.append(trailing.group(1))
        extra = trailing.group(2)
        if extra[:1].isupper() and not extra.endswith("part"):
            out.append(extra)
    elif inner:
        out.append(name)
        out.append(f"{inner.group(1)} {inner.group(3)}")
    else:
        out.append(name)
    return [n for n in out if n]


def read_rows(path: Path, source: str) -> list[Row]:
    """Return the rows of a gazetteer CSV (``#`` lines are comments)."""
    text = path.read_text(encoding="utf-8")
    body = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    reader = csv.DictReader(body)
    if tuple(reader.fieldnames or ()) not in (COLUMNS, COLUMNS + DATE_COLUMNS):
        raise SystemExit(f"{path}: columns must be {','.join(COLUMNS)}[,{','.join(DATE_COLUMNS)}]")
    rows = []
    for rec in reader:
        rows.append(
            Row(
                entity_id=rec["entity_id"].strip(),
                label=rec["label"].strip(),
                alias=rec["alias"].strip(),
                kind=rec["kind"].strip(),
                metonym=int(rec["metonym"]),
                source=source,
            )
        )
    return rows


def read_exclusions(path: Path) -> dict[tuple[str, str], str]:
    """Return {(entity_id or "*", alias): reason} from the exclusions TSV."""
    out: dict[tuple[str, str], str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        entity_id, alias, reason = line.split("\t")
        if entity_id == "entity_id":
            continue
        out[(entity_id.strip(), alias.strip())] = reason.strip()
    return out


def other_aliases(data_dir: Path) -> dict[str, set[str]]:
    """Return {alias: entity_ids} over the hand-curated people/orgs/places tables."""
    out: dict[str, set[str]] = defaultdict(set)
    for name in OTHER_TABLES:
        path = data_dir / name
        if path.is_file():
            for row in read_rows(path, name):
                out[row.alias].add(row.entity_id)
    return out


def library_rows() -> tuple[list[Row], dict[str, str], str]:
    """Return generated rows, a fallback label per entity and the library versions."""
    import countryinfo
    import pycountry
    from countryinfo import CountryInfo, CountryNotFoundError

    try:
        from importlib.metadata import version

        pyc_version = version("pycountry")
    except Exception:  # pragma: no cover - metadata missing
        pyc_version = "unknown"
    versions = f"pycountry {pyc_version}, countryinfo {countryinfo.__version__}"

    rows: list[Row] = []
    labels: dict[str, str] = {}
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        eid = f"country:{country.alpha_3}"
        name = clean_names(country.name)
        official = clean_names(getattr(country, "official_name", None))
        common = clean_names(getattr(country, "common_name", None))
        try:
            info = CountryInfo(country.alpha_3)
            ci_name = clean_names(info.name())
            alt = [] if info.alt_spellings() is None else list(info.alt_spellings())
            capital = info.capital() or ""
            demonym = info.demonym() or ""
        except (CountryNotFoundError, KeyError):
            ci_name, alt, capital, demonym = [], [], "", ""
        # Display label: common name, else the usable pycountry name, else countryinfo's.
        labels[eid] = (common + name + ci_name + official + [country.name])[0]

        for alias in name:
            rows.append(Row(eid, "", alias, "name", 0, "pycountry"))
        for alias in official:
            rows.append(Row(eid, "", alias, "official", 0, "pycountry"))
        for alias in common:
            rows.append(Row(eid, "", alias, "common", 0, "pycountry"))
        for alias in ci_name:
            rows.append(Row(eid, "", alias, "common", 0, "countryinfo"))
        for spelling in alt:
            spelling = " ".join(str(spelling).split())
            if not spelling.isascii() or spelling.isupper() or " " not in spelling:
                continue
            if not _ENGLISH_FORMAL.search(spelling):
                continue
            for alias in clean_names(spelling):
                kind = "official" if ("Republic" in alias or " of " in alias) else "variant"
                rows.append(Row(eid, "", alias, kind, 0, "countryinfo"))
        for cap in re.split(r"\s*/\s*", capital):
            if cap.strip():
                rows.append(Row(eid, "", cap.strip(), "capital", 1, "countryinfo"))
        for dem in demonym.split(","):
            if dem.strip():
                rows.append(Row(eid, "", dem.strip(), "demonym", 0, "countryinfo"))
    return rows, labels, versions


def add_derived(rows: Iterable[Row]) -> list[Row]:
    """Return ``rows`` plus ASCII spellings of accented aliases and plurals of "-an" demonyms."""
    out = list(rows)
    for row in list(out):
        if row.kind in ("name", "official", "common", "variant", "capital", "seat"):
            folded = ascii_fold(row.alias)
            if folded != row.alias:
                kind = row.kind if row.kind in ("capital", "seat") else "variant"
                source = "override" if row.source == "override" else "fold"
                out.append(replace(row, alias=folded, kind=kind, source=source))
        if row.kind == "demonym" and row.alias.endswith("an"):
            source = "override" if row.source == "override" else "plural"
            out.append(replace(row, alias=row.alias + "s", source=source))
    return out


def merge(
    generated: list[Row],
    overrides: list[Row],
    labels: dict[str, str],
    exclusions: dict[tuple[str, str], str],
    claimed_elsewhere: dict[str, set[str]],
) -> tuple[list[Row], list[str]]:
    """Return the final rows and a sorted list of "alias (entity): reason" for dropped ones."""
    for row in overrides:
        if not row.entity_id.startswith("country:"):
            raise SystemExit(f"overrides.csv: {row.entity_id} is not a country")
        if row.kind not in _KIND_RANK:
            raise SystemExit(f"overrides.csv: unknown kind {row.kind!r} for {row.alias!r}")
    rows = add_derived(generated + overrides)
    dropped: dict[tuple[str, str], str] = {}

    def drop(row: Row, reason: str) -> None:
        dropped.setdefault((row.alias, row.entity_id.split(":", 1)[1]), reason)

    override_owner: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.source == "override":
            override_owner[row.alias].add(row.entity_id)

    kept: list[Row] = []
    for row in rows:
        if row.source != "override":
            reason = exclusions.get((row.entity_id, row.alias)) or exclusions.get(("*", row.alias))
            if reason:
                drop(row, reason)
                continue
            owners = override_owner.get(row.alias, set()) - {row.entity_id}
            if owners:
                drop(row, "overrides.csv gives it to " + "/".join(sorted(owners)))
                continue
            if row.alias in claimed_elsewhere:
                where = "/".join(sorted(claimed_elsewhere[row.alias]))
                drop(row, f"used by {where}")
                continue
        kept.append(row)

    # Aliases that two countries would share are dropped for all of them (unless an override).
    owners_of: dict[str, set[str]] = defaultdict(set)
    for row in kept:
        owners_of[row.alias].add(row.entity_id)
    final: list[Row] = []
    for row in kept:
        owners = owners_of[row.alias]
        if len(owners) > 1:
            if row.source == "override":
                raise SystemExit(f"overrides.csv: {row.alias!r} given to {sorted(owners)}")
            drop(row, "shared by " + "/".join(sorted(o.split(":", 1)[1] for o in owners)))
            continue
        final.append(row)

    # One row per (entity, alias): an override wins, then the stronger kind.
    best: dict[tuple[str, str], Row] = {}
    for row in final:
        old = best.get(row.key())
        rank = (row.source != "override", _KIND_RANK[row.kind])
        if old is None or rank < (old.source != "override", _KIND_RANK[old.kind]):
            best[row.key()] = row

    # Labels: overrides decide; they must agree within an entity.
    label_of = dict(labels)
    seen_override_label: dict[str, str] = {}
    for row in overrides:
        prev = seen_override_label.setdefault(row.entity_id, row.label)
        if prev != row.label:
            raise SystemExit(
                f"overrides.csv: {row.entity_id} has labels {prev!r} and {row.label!r}"
            )
        label_of[row.entity_id] = row.label
    out = [replace(r, label=label_of[r.entity_id]) for r in best.values()]
    present = {r.key() for r in out}
    for eid, label in label_of.items():
        if (eid, label) not in present:
            out.append(Row(eid, label, label, "name", 0, "label"))
    out.sort(key=lambda r: (r.entity_id, _KIND_RANK[r.kind], r.alias))
    notes = [f"{alias} ({code}): {reason}" for (alias, code), reason in sorted(dropped.items())]
    return out, notes


def render(rows: Sequence[Row], notes: Sequence[str], versions: str) -> str:
    """Return the text of countries.csv: comment header, column line, rows."""
    buf = io.StringIO()
    header = [
        "countries.csv - countries and territories (ISO 3166-1) for the newslab gazetteer.",
        "Generated by scripts/build_gazetteer.py from pycountry (names, official and common",
        "names) and countryinfo (short names, capitals, demonyms), merged with overrides.csv.",
        "Do not edit by hand: edit overrides.csv or country_exclusions.tsv, then run",
        "`python scripts/build_gazetteer.py` (CI runs it with --check).",
        "Columns: entity_id (country:<ISO alpha-3>), label, type (COUNTRY), alias (case-",
        "sensitive surface string), kind (name/official/common/variant/abbrev/demonym/capital/",
        "seat), metonym (1 = a capital or seat of government standing for the country).",
        "Washington is kept for the USA although it is also a US state.",
        "Hong Kong (HKG), Macao (MAC) and Taiwan (TWN) stay separate entities, as in ISO 3166-1.",
        f"Dropped generated aliases ({len(notes)}):",
    ]
    for line in header:
        buf.write(f"# {line}\n")
    for note in notes:
        buf.write(f"#   {note}\n")
    buf.write(f"{_VERSION_PREFIX} {versions}\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow((r.entity_id, r.label, "COUNTRY", r.alias, r.kind, r.metonym))
    return buf.getvalue()


def build(data_dir: Path = DATA) -> str:
    """Return the text countries.csv should have, given the libraries and the data folder."""
    generated, labels, versions = library_rows()
    overrides = read_rows(data_dir / OVERRIDES.name, "override")
    exclusions = read_exclusions(data_dir / EXCLUSIONS.name)
    rows, notes = merge(generated, overrides, labels, exclusions, other_aliases(data_dir))
    return render(rows, notes, versions)


def _strip_versions(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith(_VERSION_PREFIX)]


def main(argv: Sequence[str] | None = None) -> int:
    """Write countries.csv, or with ``--check`` report whether it is up to date (exit 1 if not)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if countries.csv differs")
    parser.add_argument("--out", type=Path, default=OUT, help="output path (default: %(default)s)")
    args = parser.parse_args(argv)
    text = build(DATA)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        # The library versions line is informative only; the data must match exactly.
        if _strip_versions(current) != _strip_versions(text):
            print(f"{args.out} is out of date: run python scripts/build_gazetteer.py")
            return 1
        if current != text:
            print(f"{args.out} is up to date (built with other library versions)")
        else:
            print(f"{args.out} is up to date")
        return 0
    args.out.write_text(text, encoding="utf-8")
    n = sum(1 for line in text.splitlines() if line.startswith("country:"))
    print(f"wrote {args.out} ({n} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
