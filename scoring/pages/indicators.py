"""Contexts of the indicator pages: the indicators index and one page per capability indicator.

An indicator page says what the indicator measures, its unit and sources, its direction and weight in
each objective of each edition that uses it and its effective weight (`scoring.method.weights`), every
listed country's raw value (sortable) and which countries lack it.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.method import explain, weights
from scoring.method.engine import Results
from scoring.method.rank import rank_descending
from scoring.pages import charts
from scoring.pages.charts import Chart
from scoring.pages.contexts import Edition, SiteContext, Source, _plain, _source, edition, source_line


def indicator_ids(site: SiteContext) -> list[str]:
    """Every capability indicator some indicator-level edition uses, oldest edition's order first."""
    return list(dict.fromkeys(i for e in reversed(site.editions) for i in e.spec.used_indicators()))


def indicator_name(site: SiteContext, indicator: str) -> str:
    return _catalogue_entry(site, indicator)[0]


def _catalogue_entry(site: SiteContext, indicator: str) -> tuple[str, str, str]:
    for e in site.editions:  # newest first: the newest catalogue's words
        for i in e.spec.indicators:
            if i.id == indicator:
                return i.name, i.unit, i.description
    return indicator, "", ""


@dataclass(frozen=True)
class IndicatorEntry:
    """A row of the indicators index: effective weight (0–1) by edition title, None where unused."""

    id: str
    name: str
    unit: str
    weights: dict[str, float | None]


@dataclass(frozen=True)
class IndicatorsPage:
    editions: list[Edition]  # the indicator-level editions, newest first (the columns)
    rows: list[IndicatorEntry]


def indicators_page(site: SiteContext, ids: list[str]) -> IndicatorsPage:
    editions = [e for e in site.editions if e.spec.has_indicator_level]
    totals = {e.spec.id: weights.indicator_weights(e.spec) for e in editions}
    rows = []
    for i in ids:
        name, unit, _ = _catalogue_entry(site, i)
        shares = {e.spec.id: _plain(totals[e.spec.id].get(i)) for e in editions}
        rows.append(IndicatorEntry(i, name, unit, shares))
    return IndicatorsPage([edition(site, e) for e in editions], rows)


@dataclass(frozen=True)
class Use:
    """How one objective uses the indicator: weight as declared, share of the objective's indicator
    weights (0–1) and effective weight (0–1, the nominal share of the overall score)."""

    objective: str
    name: str
    direction: str
    weight: float
    share: float
    effective_weight: float


@dataclass(frozen=True)
class Value:
    """A listed country's raw value; `normalised` 0–1 over the ranked countries before direction and
    `rank` among them (1 = highest value) only for a ranked country with a value."""

    iso3: str
    country: str
    ranked: bool
    value: float | None
    normalised: float | None
    rank: int | None
    basis: str
    source: str


@dataclass(frozen=True)
class IndicatorSection:
    edition: Edition
    uses: list[Use]
    effective_weight: float  # summed over the uses
    sources: list[Source]  # the sources of this indicator's values
    rows: list[Value]  # every listed country, highest value first, missing last
    missing: list[str]  # names of the listed countries without a value
    chart: Chart | None  # every country's value as a bar, highest first; None when no country has one
    source: str  # the chart's source line


@dataclass(frozen=True)
class IndicatorPage:
    id: str
    name: str
    unit: str
    description: str
    editions: list[IndicatorSection]  # the editions that use it, newest first


def editions_using(site: SiteContext, indicator: str) -> list[Results]:
    """The indicator-level editions that use the indicator, newest first."""
    return [e for e in site.editions if e.spec.has_indicator_level and indicator in e.spec.used_indicators()]


def indicator_page(site: SiteContext, indicator: str) -> IndicatorPage:
    name, unit, description = _catalogue_entry(site, indicator)
    sections = [_section(site, e, indicator) for e in editions_using(site, indicator)]
    return IndicatorPage(indicator, name, unit, description, sections)


def _section(site: SiteContext, result: Results, indicator: str) -> IndicatorSection:
    spec = result.spec
    uses = weights.effective_weights(spec)
    mine = uses[uses["indicator"] == indicator]
    within = uses.groupby("objective")["weight"].sum()
    values = explain.indicator_values(result)
    assert values is not None
    rows = values[values["indicator"] == indicator].set_index("iso3")
    rows = rows.reindex(result.overall.index)  # every listed country, even one without a row
    rows["country"] = result.overall["country"]
    rows["ranked"] = result.overall["ranked"]
    rows["rank"] = rank_descending(rows["value"].where(rows["ranked"]))
    rows = rows.sort_values(["value", "country"], ascending=[False, True], na_position="last")
    cited = [str(s) for s in dict.fromkeys(rows["source"].dropna()) if s in site.sources.index]
    return IndicatorSection(
        edition=edition(site, result),
        uses=[
            Use(
                objective=u.objective,
                name=spec.objective(u.objective).name,
                direction=u.direction,
                weight=float(u.weight),
                share=float(u.weight / within[u.objective]),
                effective_weight=float(u.effective_weight),
            )
            for u in mine.itertuples()
        ],
        effective_weight=float(mine["effective_weight"].sum()),
        sources=[_source(s, site.sources.loc[s]) for s in cited],
        rows=[
            Value(
                iso3=str(iso3),
                country=str(r["country"]),
                ranked=bool(r["ranked"]),
                value=_plain(r["value"]),
                normalised=_plain(r["normalised"]),
                rank=_plain(r["rank"]),
                basis=str(r["basis"]) if isinstance(r["basis"], str) else "missing",
                source=str(r["source"]) if isinstance(r["source"], str) else "",
            )
            for iso3, r in rows.iterrows()
        ],
        missing=sorted(str(c) for c in rows.loc[rows["value"].isna(), "country"]),
        chart=charts.indicator_values(result, indicator),
        source=source_line(result, site),
    )
