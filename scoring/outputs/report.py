"""A plain-text ranking table for the terminal (`cyberpower score EDITION`).

Its columns, headers, alignment and number formats come from `columns.TERMINAL`: a number is
right-aligned with the column's `terminal_decimals`, text left-aligned; a missing value is an en dash.
Where the edition has rank intervals, the rank reads `7 (5–9)`: the rank, then its 5–95 % interval.
"""

from __future__ import annotations

from scoring.inputs.errors import printable
from scoring.method.engine import Results
from scoring.outputs.columns import TERMINAL, Column
from scoring.outputs.text import missing, number, rank


def _cell(column: Column, value: object) -> str:
    if column.terminal_decimals is not None:
        return number(value, column.terminal_decimals)
    return "–" if missing(value) or value == "" else printable(str(value))


def _rank_cell(column: Column, row: dict[str, object]) -> str:
    """The rank, followed by its 5–95 % interval when the edition has one: `7 (5–9)`."""
    cell = _cell(column, row["rank"])
    if missing(row["rank_low"]) or missing(row["rank_high"]):
        return cell
    return f"{cell} ({rank(row['rank_low'])}–{rank(row['rank_high'])})"


def table(results: Results) -> str:
    """The edition's overall results: ranked countries first, then the unranked with their reason."""
    spec = results.spec
    header = [c.name for c in TERMINAL]
    rows = [
        [_rank_cell(c, row) if c.name == "rank" else _cell(c, row[c.name]) for c in TERMINAL]
        for row in results.overall.reset_index().to_dict("records")
    ]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(width) if column.terminal_decimals is not None else cell.ljust(width)
            for column, cell, width in zip(TERMINAL, cells, widths, strict=True)
        ).rstrip()

    out = [
        printable(
            f"{spec.title} ({spec.id}): {int(results.overall['ranked'].sum())} ranked of "
            f"{len(results.overall)} countries"
        ),
        "",
        line(header),
        line(["-" * w for w in widths]),
    ]
    out += [line(r) for r in rows]
    unranked = results.overall[~results.overall["ranked"]]
    if len(unranked):
        out += ["", "Not ranked:"] + [
            printable(f"  {iso3} {r['country']}: {r['reason']}") for iso3, r in unranked.iterrows()
        ]
    if results.estimated:
        out += [
            "",
            "Values marked estimated in the data: this edition's figures are estimates, "
            "not published values.",
        ]
    if results.assessed:
        out += [
            "",
            "Values marked assessed in the data: figures resting on them are this project's analysts' "
            "assessment, not published values.",
        ]
    out += [
        "",
        "score, capability, offense, defense: 0–100; intent: 0–1; "
        "balance: (offense − defense) / (offense + defense).",
    ]
    if results.intervals is not None:
        out.append(
            f"rank (low–high): the 5–95 % interval of the rank over {results.intervals.settings.draws} "
            "draws of the uncertainty analysis declared in the index definition."
        )
    return "\n".join(out) + "\n"
