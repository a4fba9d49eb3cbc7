"""Terminal reports that explain a score: `cyberpower explain ISO3` and `cyberpower audit EDITION`.

`decomposition` takes a country's overall score apart: each objective's capability, intent and score,
then (in an indicator-level edition) each indicator's raw value with unit, oriented 0–1 value,
direction, weight, contribution in capability points, basis and source, from `scoring.method.explain`,
the same numbers the country page shows. `audit_report` prints an edition's audit flags and the
remove-one table from `scoring.method.audit`.
"""

from __future__ import annotations

from collections.abc import Sequence

from scoring.inputs.errors import printable
from scoring.method import explain
from scoring.method.audit import Audit
from scoring.method.engine import Results
from scoring.outputs.text import missing, number, rank


def _table(
    header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int], indent: str = ""
) -> list[str]:
    """Aligned columns: the indexes in `right` right-aligned (numbers), the others left-aligned."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        text = "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )
        return printable(indent + text.rstrip())

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def raw_value(value: object) -> str:
    """A raw indicator value as the country page shows it: whole numbers bare, others to 3 decimals."""
    if missing(value):
        return "–"
    return number(value, 0) if float(value) == int(float(value)) else number(value, 3)  # type: ignore[arg-type]


def decomposition(result: Results, iso3: str) -> str:
    """A country's score in one edition, objective by objective and indicator by indicator."""
    spec = result.spec
    row = result.overall.loc[iso3]
    ranked_count = int(result.overall["ranked"].sum())
    out = [f"{row['country']} ({iso3}) in {spec.title} ({spec.id})"]
    if row["ranked"]:
        out.append(
            f"rank {rank(row['rank'])} of {ranked_count}, score {number(row['score'])} (0–100) = the "
            f"{spec.method.overall} mean of the objective scores; capability index "
            f"{number(row['capability'])}, intent index {number(row['intent'], 3)}"
        )
    else:
        out.append(f"not ranked: {row['reason']}")
    objectives = result.objectives[result.objectives["iso3"] == iso3]
    out.append("")
    out += _table(
        ["objective", "capability", "intent", "score", "rank"],
        [
            [o.objective, number(o.capability), number(o.intent, 3), number(o.score), rank(o.rank)]
            for o in objectives.itertuples()
        ],
        {1, 2, 3, 4},
    )
    contributed = explain.contributions(result)
    if contributed is None:
        out += [
            "",
            f"{spec.id} is given per objective: there are no indicator values to take the capabilities "
            "apart.",
        ]
    elif not row["ranked"]:
        out += ["", "Not ranked, so no indicator is normalised; the raw values measured:"]
        own = result.indicators[(result.indicators["iso3"] == iso3) & result.indicators["value"].notna()]
        units = {i.id: i.unit for i in spec.indicators}
        out += _table(
            ["indicator", "value", "unit", "basis", "source"],
            [
                [r.indicator, raw_value(r.value), units.get(r.indicator, ""), r.basis, r.source]
                for r in own.itertuples()
            ],
            {1},
            "  ",
        )
    else:
        units = {i.id: i.unit for i in spec.indicators}
        own = contributed[contributed["iso3"] == iso3]
        capability = objectives.set_index("objective")["capability"]
        for objective in spec.objectives:
            rows = own[own["objective"] == objective.id]
            out += [
                "",
                f"{objective.id}: capability {number(capability[objective.id])} = the sum of the "
                "contributions (points of 0–100)",
            ]
            out += _table(
                [
                    "indicator",
                    "value",
                    "unit",
                    "normalised",
                    "dir",
                    "weight",
                    "contribution",
                    "basis",
                    "source",
                ],
                [
                    [
                        r.indicator,
                        raw_value(r.value),
                        units.get(r.indicator, ""),
                        number(r.normalised, 3),
                        "-" if r.direction == "negative" else "+",
                        number(r.weight, 1),
                        number(r.contribution),
                        str(r.basis),
                        str(r.source),
                    ]
                    for r in rows.itertuples()
                ],
                {1, 3, 5, 6},
                "  ",
            )
        out += [
            "",
            f"normalised: 0–1 over the {ranked_count} ranked countries, direction applied (- = less is "
            "stronger); contribution = capability × weight × normalised ÷ the objective's sum of them.",
        ]
    return "\n".join(out) + "\n"


def audit_report(audit: Audit, result: Results) -> str:
    """An edition's audit: objective checks, flagged pairs and statistics, and the remove-one table."""
    spec = result.spec
    ranked = int(result.overall["ranked"].sum())
    out = [f"{spec.title} ({spec.id}): statistical audit over {ranked} ranked countries", ""]
    alpha = audit.alpha.set_index("objective")
    overall = audit.objective_overall.set_index("objective")
    out += _table(
        ["objective", "alpha", "r with overall", "flags"],
        [
            [
                o,
                number(alpha["alpha"].get(o)),
                number(overall.loc[o, "r"]),
                "; ".join(f for f in (alpha["flag"].get(o, ""), overall.loc[o, "flag"]) if f) or "–",
            ]
            for o in spec.objective_ids
        ],
        {1, 2},
    )
    if spec.has_indicator_level:
        flagged = audit.correlations[audit.correlations["flag"] != ""]
        out += [
            "",
            f"Indicator pairs flagged within an objective ({len(flagged)} of {len(audit.correlations)}):",
        ]
        out += _table(
            ["objective", "indicator", "other", "r", "flag"],
            [[r.objective, r.indicator, r.other, number(r.r, 2, True), r.flag] for r in flagged.itertuples()],
            {3},
            "  ",
        )
        stats = audit.statistics[audit.statistics["flag"] != ""]
        out += ["", f"Indicators flagged ({len(stats)} of {len(audit.statistics)}):"]
        out += _table(
            ["indicator", "coverage", "zeros", "skewness", "kurtosis", "flags"],
            [
                [
                    r.indicator,
                    number(r.coverage),
                    number(r.zeros),
                    number(r.skewness),
                    number(r.kurtosis),
                    r.flag,
                ]
                for r in stats.itertuples()
            ],
            {1, 2, 3, 4},
            "  ",
        )
    else:
        out += ["", f"{spec.id} is given per objective: no indicator checks."]
    removal = audit.removal.sort_values(["mean_shift", "max_shift"], ascending=False, kind="stable")
    out += [
        "",
        "Left out one at a time: change of overall rank (places) over the countries ranked both times:",
    ]
    out += _table(
        ["left out", "kind", "mean change", "largest", "most moved"],
        [
            [
                r.id,
                r.kind,
                number(r.mean_shift),
                number(r.max_shift, 0),
                f"{r.most_moved} {int(r.most_moved_change):+d}" if isinstance(r.most_moved, str) else "–",
            ]
            for r in removal.itertuples()
        ],
        {2, 3},
        "  ",
    )
    return "\n".join(out) + "\n"
