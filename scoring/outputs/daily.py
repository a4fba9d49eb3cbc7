"""The analyst's daily commands: `cyberpower editions`, `country ISO3` and `diff A B`.

Each takes a loaded project's scored results and returns the text to print, as a readable table
(`table`), CSV (`csv`, formula-like cells neutralised as in the downloads) or JSON (`json`). Scores and
capabilities are on 0–100, intents on 0–1. Every text from the data shown in a table goes through
`printable`, so a control character in a CSV cell cannot act on the terminal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from scoring.inputs.countries_match import did_you_mean, match, names_of
from scoring.inputs.errors import printable
from scoring.inputs.load import EditionData, Project
from scoring.method import change
from scoring.method.engine import Results
from scoring.outputs import export
from scoring.outputs.text import missing, number, rank

FORMATS = ("table", "csv", "json")
DRIVERS = 3  # objectives named as drivers of a country's move in `diff`
UNCHANGED = 0.0005  # a score change below this (0–100 points) shows as 0.000 and counts as unchanged


class UnknownCountry(LookupError):
    """The country asked for is not in `countries.csv`; the message says which it may have meant."""


def find_country(countries: pd.DataFrame, query: str) -> str:
    """The ISO3 of `query`: an ISO3 in any case. A name or a near miss raises UnknownCountry with
    `did you mean KOR (Republic of Korea)?`, so a typed code is never silently guessed."""
    code = query.strip().upper()
    if code in countries.index:
        return str(code)
    names = names_of(
        (str(i), (str(row["name"]), str(row["short_name"]), *row.get("aliases", ())))
        for i, row in countries.iterrows()
    )
    found = match(query, names)
    message = f"unknown country '{query}'"
    if found.codes:
        return _raise(f"{message}; {did_you_mean(found.codes, names)}")
    return _raise(f"{message}: give an ISO 3166-1 alpha-3 code from data/countries.csv, such as USA")


def _raise(message: str) -> str:
    raise UnknownCountry(printable(message))


def _render(frame: pd.DataFrame, fmt: str, document: object = None) -> str:
    if fmt == "csv":
        return export.to_csv(frame)
    if fmt == "json":
        records = frame.to_dict(orient="records") if document is None else document
        return json.dumps(_plain(records), ensure_ascii=False, indent=1) + "\n"
    raise ValueError(f"unknown format {fmt!r}")


def _plain(value: Any) -> Any:
    """JSON-ready: None for a missing value, Python numbers for numpy ones."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if missing(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _grid(header: Sequence[str], rows: list[list[str]], right: set[str]) -> list[str]:
    """Aligned columns: those named in `right` right-aligned (numbers), the others left-aligned."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if h in right else c.ljust(w) for h, c, w in zip(header, cells, widths, strict=True)
        ).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


# --- editions ---------------------------------------------------------------------------------------


def _estimated_share(edition: EditionData) -> float:
    """The share (0–1) of the edition's data rows whose basis is `estimated`."""
    basis = pd.concat([edition.values["basis"], edition.intents["basis"]])
    return float((basis == "estimated").mean()) if len(basis) else 0.0


def editions_table(project: Project, results: Mapping[str, Results]) -> pd.DataFrame:
    """One row per edition, oldest first: id, title, year, countries, ranked, estimated_share (0–1)."""
    rows = [
        {
            "id": edition_id,
            "title": edition.spec.title,
            "year": edition.spec.year,
            "countries": len(results[edition_id].overall),
            "ranked": int(results[edition_id].overall["ranked"].sum()),
            "estimated_share": round(_estimated_share(edition), 4),
        }
        for edition_id, edition in project.editions.items()
    ]
    return pd.DataFrame(rows, columns=["id", "title", "year", "countries", "ranked", "estimated_share"])


def editions(project: Project, results: Mapping[str, Results], fmt: str = "table") -> str:
    frame = editions_table(project, results)
    if fmt != "table":
        return _render(frame, fmt)
    rows = [
        [
            printable(str(r["id"])),
            printable(str(r["title"])),
            str(r["year"]),
            str(r["countries"]),
            str(r["ranked"]),
            f"{r['estimated_share']:.0%}",
        ]
        for r in frame.to_dict(orient="records")
    ]
    header = ["edition", "title", "year", "countries", "ranked", "estimated"]
    out = _grid(header, rows, {"year", "countries", "ranked", "estimated"})
    return (
        "\n".join([*out, "", "estimated: the share of the edition's data rows whose basis is estimated."])
        + "\n"
    )


# --- country ----------------------------------------------------------------------------------------


def _interval(row: Mapping[str, Any]) -> str:
    """`7 (6–15)`: the rank and its 5–95 % interval where the edition has one; `–` when not ranked."""
    text = rank(row["rank"])
    if missing(row.get("rank_low")) or missing(row.get("rank_high")):
        return text
    return f"{text} ({rank(row['rank_low'])}–{rank(row['rank_high'])})"


def country_document(project: Project, results: Mapping[str, Results], iso3: str) -> dict[str, Any]:
    """One country in every edition, oldest first: overall rank (with its interval), score, posture,
    activation, and per objective rank, score (0–100), capability (0–100) and intent (0–1)."""
    editions = []
    for edition_id, result in results.items():
        entry: dict[str, Any] = {"edition": edition_id, "title": result.spec.title, "year": result.spec.year}
        if iso3 not in result.overall.index:
            editions.append({**entry, "in_edition": False})
            continue
        row = result.overall.loc[iso3]
        ranked = bool(row["ranked"])
        share = None
        if ranked and result.intervals is not None:
            found = result.intervals.country(iso3)
            share = round(found.posture_share(row["posture"]), 4) if found else None
        mine = result.objectives[result.objectives["iso3"] == iso3]
        entry |= {
            "in_edition": True,
            "ranked": ranked,
            "rank": row["rank"],
            "rank_low": row["rank_low"],
            "rank_high": row["rank_high"],
            "of": int(result.overall["ranked"].sum()),
            "score": _round(row["score"], 3),
            "capability": _round(row["capability"], 3),
            "intent": _round(row["intent"], 4),
            "posture": row["posture"] if ranked else None,
            "posture_share": share,
            "activation": row["activation"] if ranked else None,
            "reason": row["reason"],
            "basis": row["basis"],
            "objectives": [
                {
                    "objective": o["objective"],
                    "rank": o["rank"],
                    "rank_low": o["rank_low"],
                    "rank_high": o["rank_high"],
                    "score": _round(o["score"], 3),
                    "capability": _round(o["capability"], 3),
                    "intent": _round(o["intent"], 4),
                }
                for o in mine.to_dict(orient="records")
            ],
        }
        editions.append(entry)
    return {"iso3": iso3, "country": str(project.countries.loc[iso3, "name"]), "editions": editions}


def _round(value: object, digits: int) -> object:
    return None if missing(value) else round(float(value), digits)  # type: ignore[arg-type]


def country(project: Project, results: Mapping[str, Results], iso3: str, fmt: str = "table") -> str:
    document = country_document(project, results, iso3)
    if fmt == "json":
        return _render(pd.DataFrame(), fmt, document)
    if fmt == "csv":
        records = []
        for e in document["editions"]:
            if not e["in_edition"]:
                continue
            base = {"iso3": iso3, "edition": e["edition"], "year": e["year"]}
            keep = ("rank", "rank_low", "rank_high", "score", "capability", "intent")
            records.append({**base, "objective": "", **{k: e[k] for k in keep}, "posture": e["posture"]})
            records += [{**base, **o, "posture": None} for o in e["objectives"]]
        columns = ["iso3", "edition", "year", "objective", "rank", "rank_low", "rank_high"]
        return _render(
            pd.DataFrame(records, columns=[*columns, "score", "capability", "intent", "posture"]), fmt
        )
    out = [printable(f"{document['country']} ({iso3})")]
    for e in document["editions"]:
        title = printable(f"{e['title']} ({e['edition']})")
        if not e["in_edition"]:
            out += ["", f"{title}: not in this edition"]
            continue
        if not e["ranked"]:
            out += ["", printable(f"{title}: not ranked: {e['reason']}")]
        else:
            posture = f"posture {e['posture']}, {e['activation']}"
            if e["posture_share"] is not None:
                posture += f" ({e['posture_share']:.0%} of draws agree)"
            estimated = {"estimated": "; estimated values", "assessed": "; analysts' assessed values"}.get(
                e["basis"], ""
            )
            out += [
                "",
                printable(
                    f"{title}: rank {_interval(e)} of {e['of']}, score {number(e['score'])}, "
                    f"{posture}{estimated}"
                ),
            ]
        rows = [
            [
                printable(str(o["objective"])),
                _interval(o),
                number(o["score"]),
                number(o["capability"]),
                number(o["intent"], 3),
            ]
            for o in e["objectives"]
        ]
        out += [
            "  " + line for line in _grid(["objective", "rank", "score", "capability", "intent"], rows, _NUMS)
        ]
    out += [
        "",
        "score, capability: 0–100; intent: 0–1; rank (low–high): the 5–95 % interval of the uncertainty "
        "analysis, where the edition declares one.",
    ]
    return "\n".join(out) + "\n"


_NO_DRIVER = {"new": "new in this edition", "gone": "not in this edition"}
_NUMS = {"rank", "score", "capability", "intent", "was", "moved", "change"}


# --- diff -------------------------------------------------------------------------------------------


def diff_table(before: Results, after: Results) -> pd.DataFrame:
    """Countries whose rank or score changed, or that came or went, largest rank move first: iso3,
    country, rank_before, rank_after, rank_change, score_before, score_after, score_change, in,
    drivers (the objectives whose score changed most, as `defense +1.23`, `; `-separated)."""
    table = change.compare(before, after)
    moved = (table["rank_change"].fillna(0) != 0) | (table["score_change"].abs() >= UNCHANGED)
    moved |= table["in"] != "both"
    moved |= table["rank_before"].isna() != table["rank_after"].isna()
    table = table[moved].copy()
    drivers = change.objective_changes(before, after)
    table["drivers"] = [_drivers(drivers[drivers["iso3"] == iso3]) for iso3 in table.index]
    size = table["rank_change"].abs().astype(float).fillna(-1.0)
    table = table.assign(size=size, by=table["score_change"].abs().fillna(-1.0))
    table = table.sort_values(["size", "by", "rank_after"], ascending=[False, False, True], kind="stable")
    table = table.drop(columns=["size", "by"]).reset_index()
    for column in ("score_before", "score_after", "score_change"):
        table[column] = table[column].round(3)
    return table


def _drivers(changes: pd.DataFrame) -> str:
    parts = []
    for row in changes.to_dict(orient="records"):
        if not missing(row["score_change"]):
            if abs(row["score_change"]) >= 0.005:  # shows as +0.01 or more
                parts.append(f"{row['objective']} {row['score_change']:+.2f}")
        elif not missing(row["score_after"]):
            parts.append(f"{row['objective']} {row['score_after']:.2f} (none before)")
        elif not missing(row["score_before"]):
            parts.append(f"{row['objective']} {row['score_before']:.2f} (none after)")
    return "; ".join(parts[:DRIVERS])


def diff(before: Results, after: Results, labels: tuple[str, str], fmt: str = "table") -> str:
    """Who moved between two results (two editions, or one edition in two data folders) and why."""
    frame = diff_table(before, after)
    if fmt == "json":
        document = {
            "before": labels[0],
            "after": labels[1],
            "changes": [
                {**r, "drivers": r["drivers"].split("; ") if r["drivers"] else []} for r in _records(frame)
            ],
        }
        return _render(frame, fmt, document)
    if fmt == "csv":
        return _render(frame, fmt)
    everyone = change.compare(before, after)
    both = int((everyone["in"] == "both").sum())
    counts = frame["in"].value_counts()
    head = (
        f"{labels[0]} → {labels[1]}: {both} countries in both, {int(counts.get('both', 0))} changed"
        f", {both - int(counts.get('both', 0))} unchanged"
    )
    if counts.get("new", 0) or counts.get("gone", 0):
        head += f"; {int(counts.get('new', 0))} new, {int(counts.get('gone', 0))} gone"
    if frame.empty:
        return printable(head) + "\n"
    rows = [
        [
            rank(r["rank_after"]),
            rank(r["rank_before"]),
            _moved(r["rank_change"]),
            printable(str(r["iso3"])),
            printable(str(r["country"])),
            number(r["score_after"]),
            number(r["score_before"]),
            number(r["score_change"], signed=True),
            printable(r["drivers"] or _NO_DRIVER.get(r["in"], "none: others moved past it")),
        ]
        for r in _records(frame)
    ]
    header = [
        "rank",
        "was",
        "moved",
        "iso3",
        "country",
        "score",
        "was",
        "change",
        "largest objective-score changes",
    ]
    out = [printable(head), "", *_grid(header, rows, _NUMS)]
    out += ["", "moved: places up (+) or down (−); score, change: 0–100 points."]
    return "\n".join(out) + "\n"


def _moved(change: object) -> str:
    return "–" if missing(change) else f"{int(change):+d}" if change else "0"  # type: ignore[call-overload]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [dict(r) for r in frame.to_dict(orient="records")]
