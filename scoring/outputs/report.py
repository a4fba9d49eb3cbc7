"""A plain-text ranking table for the terminal (`cyberpower score EDITION`)."""

from __future__ import annotations

import pandas as pd

from scoring.inputs.errors import printable
from scoring.method.engine import Results
from scoring.outputs.text import number


def table(results: Results) -> str:
    """The edition's overall results: ranked countries first, then the unranked with their reason."""
    spec = results.spec
    header = [
        "rank",
        "iso3",
        "country",
        "score",
        "capability",
        "intent",
        "offense",
        "defense",
        "balance",
        "posture",
        "activation",
    ]
    rows = []
    for iso3, row in results.overall.iterrows():
        rows.append(
            [
                "–" if pd.isna(row["rank"]) else str(row["rank"]),
                str(iso3),
                printable(str(row["country"])),
                number(row["score"], 2),
                number(row["capability"], 2),
                number(row["intent"], 3),
                number(row["offense"], 2),
                number(row["defense"], 2),
                number(row["balance"], 2),
                row["posture"] or "–",
                row["activation"] or "–",
            ]
        )
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    numeric = {0, 3, 4, 5, 6, 7, 8}

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
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
    out += [
        "",
        "score, capability, offense, defense: 0–100; intent: 0–1; "
        "balance: (offense − defense) / (offense + defense).",
    ]
    return "\n".join(out) + "\n"
