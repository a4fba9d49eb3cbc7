"""Context of an edition's audit page: the statistical audit of `scoring.method.audit`, as rows."""

from __future__ import annotations

from dataclasses import dataclass

from scoring.method import audit
from scoring.method.engine import Results
from scoring.pages import charts
from scoring.pages.charts import Chart
from scoring.pages.contexts import Edition, SiteContext, _plain, edition, source_line


@dataclass(frozen=True)
class Pair:
    """Two indicators of one objective: Pearson r (−1…+1) over n ranked countries."""

    objective: str  # name
    indicator: str
    other: str
    r: float | None
    n: int
    flag: str


@dataclass(frozen=True)
class ObjectiveCheck:
    """One objective: Cronbach's alpha of its indicators (None in an objective-level edition) and the
    correlation of its score with the overall score."""

    objective: str
    name: str
    k: int | None  # indicators
    alpha: float | None
    alpha_flag: str
    r_overall: float | None
    r_flag: str


@dataclass(frozen=True)
class Statistic:
    """One indicator: coverage and share of zeros 0–1, skewness, excess kurtosis, over n countries."""

    indicator: str
    name: str
    coverage: float
    zeros: float | None
    skewness: float | None
    kurtosis: float | None
    n: int
    flag: str


@dataclass(frozen=True)
class Removal:
    """Leaving one indicator or objective out: mean and largest absolute change of overall rank
    (places) over n countries, and the country that moved most (change + = moved up)."""

    kind: str
    id: str
    name: str
    mean_shift: float
    max_shift: float
    n: int
    most_moved: str | None  # country name
    most_moved_change: int | None


@dataclass(frozen=True)
class Matrix:
    """An objective's correlation matrix: `values[i][j]` is r between `indicators[i]` and `[j]`."""

    objective: str
    name: str
    indicators: list[str]
    values: list[list[float | None]]
    chart: Chart | None  # the matrix as a heatmap; None with fewer than two indicators


@dataclass(frozen=True)
class Thresholds:
    high_correlation: float
    low_alpha: float
    low_coverage: float
    many_zeros: float
    skew: float
    kurtosis: float


THRESHOLDS = Thresholds(
    audit.HIGH_CORRELATION, audit.LOW_ALPHA, audit.LOW_COVERAGE, audit.MANY_ZEROS, audit.SKEW, audit.KURTOSIS
)


@dataclass(frozen=True)
class AuditPage:
    edition: Edition
    has_indicator_level: bool  # False: capability is given per objective, there are no indicators
    n: int  # ranked countries
    thresholds: Thresholds
    flagged: list[Pair]  # the flagged pairs, by objective then r
    pairs: int  # pairs checked
    objectives: list[ObjectiveCheck]
    statistics: list[Statistic]
    indicators: list[Removal]  # most moving first
    removed_objectives: list[Removal]
    matrices: list[Matrix]
    overall_chart: Chart  # each objective's r with the overall score, as bars
    source: str  # the charts' source line


def audit_page(site: SiteContext, result: Results) -> AuditPage:
    spec = result.spec
    found = site.audits[spec.id]
    names = {o.id: o.name for o in spec.objectives}
    catalogue = {i.id: i.name for i in spec.indicators}
    countries = result.overall["country"]
    alpha = found.alpha.set_index("objective")
    overall = found.objective_overall.set_index("objective")
    pairs = found.correlations
    flagged = pairs[pairs["flag"] != ""]
    removal = found.removal.sort_values(["mean_shift", "max_shift"], ascending=False, kind="stable")

    def removals(kind: str) -> list[Removal]:
        rows = removal[removal["kind"] == kind]
        return [
            Removal(
                kind=kind,
                id=r.id,
                name=names[r.id] if kind == "objective" else catalogue.get(r.id, r.id),
                mean_shift=float(r.mean_shift),
                max_shift=float(r.max_shift),
                n=int(r.n),
                most_moved=str(countries[r.most_moved]) if isinstance(r.most_moved, str) else None,
                most_moved_change=_plain(r.most_moved_change),
            )
            for r in rows.itertuples()
        ]

    return AuditPage(
        edition=edition(site, result),
        has_indicator_level=spec.has_indicator_level,
        n=int(result.overall["ranked"].sum()),
        thresholds=THRESHOLDS,
        flagged=[
            Pair(names[r.objective], r.indicator, r.other, _plain(r.r), int(r.n), r.flag)
            for r in flagged.itertuples()
        ],
        pairs=len(pairs),
        objectives=[
            ObjectiveCheck(
                objective=o.id,
                name=o.name,
                k=_plain(alpha["k"].get(o.id)),
                alpha=_plain(alpha["alpha"].get(o.id)),
                alpha_flag=str(alpha["flag"].get(o.id, "")),
                r_overall=_plain(overall.loc[o.id, "r"]),
                r_flag=str(overall.loc[o.id, "flag"]),
            )
            for o in spec.objectives
        ],
        statistics=[
            Statistic(
                indicator=r.indicator,
                name=catalogue.get(r.indicator, r.indicator),
                coverage=float(r.coverage),
                zeros=_plain(r.zeros),
                skewness=_plain(r.skewness),
                kurtosis=_plain(r.kurtosis),
                n=int(r.n),
                flag=r.flag,
            )
            for r in found.statistics.itertuples()
        ],
        indicators=removals("indicator"),
        removed_objectives=removals("objective"),
        matrices=[
            Matrix(
                objective=o,
                name=names[o],
                indicators=list(m.columns),
                values=[[_plain(v) for v in row] for row in m.to_numpy().tolist()],
                chart=charts.correlations(result, found, o),
            )
            for o, m in found.matrices.items()
        ],
        overall_chart=charts.objective_overall(result, found),
        source=source_line(result, site),
    )
