"""What each page template gets: one frozen dataclass per template, built from the results.

Pure functions of the results (no files, no Jinja): the registry (`scoring.pages.registry`) names the
builder of each page and `pages.render` hands the built context to its template as `page`. Contexts
hold plain values only (str, int, float, None, lists and small row dataclasses; charts as `Chart`), so
templates format and never compute: no pandas, no lookups. A missing number is None (shown as "–").
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
from markupsafe import Markup

from scoring import __version__
from scoring.inputs.load import Project
from scoring.inputs.spec import IndexSpec
from scoring.method import facts, posture_rules, weights
from scoring.method import posture as posture_method
from scoring.method.audit import Audit
from scoring.method.engine import Results
from scoring.method.memo import Same, kept, per_results
from scoring.outputs import columns
from scoring.outputs.text import digits, missing, number, ordinal
from scoring.pages import charts
from scoring.pages.charts import Chart
from scoring.pages.charts import compare as compare_chart
from scoring.pages.charts.base import objective_names, objective_places
from scoring.pages.charts.geo import map_data
from scoring.pages.charts.scatter import tier_share
from scoring.pages.drilldown import Drilldown, drilldowns
from scoring.pages.rows import records


@dataclass(frozen=True)
class SiteContext:
    """What the builders read (not given to templates): the scored editions and the project's tables."""

    editions: list[Results]  # newest first
    countries: pd.DataFrame  # index iso3: name, short_name, region
    sources: pd.DataFrame  # index id
    notes: pd.DataFrame
    history: pd.DataFrame  # change.history: iso3, edition, title, year, rank, rank_basis, score, ... changes
    project: Project = field(repr=False)
    audits: dict[str, Audit] = field(default_factory=dict, repr=False)  # by edition id: each has a page
    # by edition id: the edition's method note (data/<edition>/METHOD.md, project-authored Markdown)
    method_notes: dict[str, str] = field(default_factory=dict, repr=False)
    _memo: dict[tuple[str, str], Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def latest(self) -> Results:
        return self.editions[0]

    def memo(self, key: tuple[str, str], build: Callable[[], Any]) -> Any:
        """`build()` once per key: a per-edition table that many pages read (the drill-downs)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def fact_checks(self, result: Results) -> list[facts.FactCheck]:
        """The edition's published figures against the computed ones (empty without a facts.csv)."""
        return list(
            self.memo(
                (result.spec.id, "fact_checks"),
                lambda: facts.check(
                    self.project.editions[result.spec.id].facts,
                    result,
                    facts.previous_edition(result, self.editions),
                ),
            )
        )


# --- rows shared by several pages ----------------------------------------------------------------------


@dataclass(frozen=True)
class Edition:
    """One edition as a page names it, with what its estimate note says."""

    id: str
    title: str
    year: int
    summary: str
    estimated: bool  # any value of the edition is an estimate
    estimated_ranks: bool  # any rank of the edition is an estimate
    figures_published: int  # published figures checked against the computed ones
    figures_reproduced: int  # of those, how many the computed figures reproduce
    method_note: bool = False  # the edition has a method note page (how its estimates were made)
    assessed: bool = False  # some country's figures rest on this project's analysts' own values
    assessed_ranks: bool = False  # some rank is the analysts' assessment (rank_basis `assessed`)

    @property
    def approximate(self) -> bool:
        """Whether the edition's values are shown as estimates are (`digits`): estimated or assessed."""
        return self.estimated or self.assessed


def edition(site: SiteContext, result: Results) -> Edition:
    """The edition as pages name it (made once per site)."""
    return cast(Edition, site.memo((result.spec.id, "edition"), lambda: _edition(site, result)))


def _edition(site: SiteContext, result: Results) -> Edition:
    checks = site.fact_checks(result) if result.estimated else []
    return Edition(
        id=result.spec.id,
        title=result.spec.title,
        year=result.spec.year,
        summary=result.spec.summary,
        estimated=result.estimated,
        estimated_ranks=result.estimated_ranks,
        figures_published=len(checks),
        figures_reproduced=sum(c.agrees for c in checks),
        method_note=result.spec.id in site.method_notes,
        assessed=result.assessed,
        assessed_ranks=result.assessed_ranks,
    )


@dataclass(frozen=True)
class CountryResult:
    """One country's overall result in one edition (a row of `Results.overall`): scores 0–100,
    intents 0–1, balance and orientation −1…+1; rank, the posture readings and activation None when not
    ranked."""

    iso3: str
    country: str
    ranked: bool
    reason: str | None
    basis: str
    rank: int | None
    rank_basis: str | None
    score: float | None
    capability: float | None
    capability_rank: int | None
    intent: float | None
    intent_rank: int | None
    offense: float | None
    defense: float | None
    balance: float | None
    posture: str | None
    activation: str | None
    change: int | None = None  # places moved since the previous edition, where ranked in both
    change_basis: str | None = None  # what `change` rests on: published, assessed or estimated
    rank_low: int | None = None  # the 5–95 % rank interval of the uncertainty analysis; None without one
    rank_high: int | None = None
    offense_intent: float | None = None  # the posture readings of `scoring/method/posture.py`
    defense_intent: float | None = None
    orientation: float | None = None
    offense_rank: int | None = None
    offense_tier: str | None = None


@dataclass(frozen=True)
class ObjectiveResult:
    """One country's result on one objective: capability 0–100, intent 0–1, score 0–100; `place`, the
    rank in words, shared ranks marked ("tied 4th (27 countries at 0)": `objective_places`)."""

    objective: str
    name: str
    iso3: str
    country: str
    capability: float | None
    intent: float | None
    score: float | None
    rank: int | None
    place: str = "–"


@dataclass(frozen=True)
class Source:
    """A row of sources.csv, with what cites it (on the sources page)."""

    id: str
    title: str
    publisher: str
    url: str
    date: str
    note: str
    cited: list[str] = field(default_factory=list)


def _plain(value: Any) -> Any:
    """A pandas or numpy scalar as a plain Python value; missing (NA, NaN) as None."""
    if missing(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _fields(cls: type, record: dict[str, Any], **extra: Any) -> dict[str, Any]:
    names = cls.__dataclass_fields__  # type: ignore[attr-defined]
    return {k: _plain(v) for k, v in {**record, **extra}.items() if k in names}


def _records(cls: type, frame: pd.DataFrame) -> list[dict[str, Any]]:
    return records(frame, cls.__dataclass_fields__)  # type: ignore[attr-defined]


def country_results(overall: pd.DataFrame, changes: pd.DataFrame | None = None) -> list[CountryResult]:
    """`Results.overall` (or a slice of it) as rows, in its order; `changes` (rank_change and
    change_basis of `change.history`) by iso3 when known."""
    known = pd.DataFrame(columns=["rank_change", "change_basis"]) if changes is None else changes
    return [
        CountryResult(
            **_fields(
                CountryResult,
                r,
                change=known["rank_change"].get(r["iso3"]),
                change_basis=known["change_basis"].get(r["iso3"]),
            )
        )
        for r in _records(CountryResult, overall)
    ]


def objective_results(result: Results, rows: pd.DataFrame) -> list[ObjectiveResult]:
    """Rows of `Results.objectives` (keeping its index, by which `objective_places` are found) as rows,
    in their order."""
    names = {o.id: o.name for o in result.spec.objectives}
    countries = result.overall["country"]
    places = objective_places(result)
    return [
        ObjectiveResult(
            **_fields(
                ObjectiveResult,
                r,
                name=names[r["objective"]],
                country=countries[r["iso3"]],
                place=places[i] or "–",
            )
        )
        for i, r in zip(rows.index, _records(ObjectiveResult, rows), strict=True)
    ]


def _source(id: str, row: pd.Series, cited: list[str] | None = None) -> Source:
    return Source(id=id, **_fields(Source, row.to_dict()), cited=cited or [])


def objective_name(site: SiteContext, objective: str) -> str:
    for e in site.editions:
        if objective in e.spec.objective_ids:
            return e.spec.objective(objective).name
    return objective


def source_line(result: Results, site: SiteContext) -> str:
    names = [str(site.sources.loc[s, "publisher"]) for s in result.spec.sources if s in site.sources.index]
    return f"{result.spec.title}; " + "; ".join(dict.fromkeys(names))


@dataclass(frozen=True)
class PostureRule:
    """An edition's posture reading (`scoring/method/posture.py`), in words and numbers for the pages:
    the objective names of each group, the orientation thresholds (−1…+1), the objectives left out of
    the orientation in this edition's data, and the offense tiers of its ranked cohort."""

    offense: list[str]  # names of the offensive objectives
    defense: list[str]
    attack_heavy_at: float  # orientation at or above which a country reads attack-heavy
    defensive_at: float  # at or below which it reads defensive, unless its offense is strong
    niche_below: float  # median intent (0–1) below which an objective is left out of the orientation
    niche: list[str]  # names of this edition's offensive or defensive objectives left out
    tiers: int  # equal tiers of the cohort by offense score
    tier_share: str  # "third" for 3 tiers
    cohort: int  # ranked countries
    strong_up_to: int  # the lowest offense rank still in the strong tier
    weak_from: int  # the highest offense rank in the weak tier
    activation_gap: int


@per_results
def posture_rule(result: Results) -> PostureRule:
    p, spec = result.spec.posture, result.spec
    n = int(result.overall["ranked"].sum())
    _, intents = posture_rules.cohort_frames(result)
    shared = posture_method.common(intents.to_numpy(dtype=float), p.niche_below) if n else None
    grouped = [*p.offense, *p.defense]
    niche = [] if shared is None else [o for o, k in zip(intents.columns, shared, strict=True) if not k]
    tiers = posture_method.tier_index(np.arange(1, n + 1), p.offense_tiers) if n else np.zeros(0, dtype=int)
    return PostureRule(
        [spec.objective(o).name for o in p.offense],
        [spec.objective(o).name for o in p.defense],
        p.attack_heavy_at,
        p.defensive_at,
        p.niche_below,
        [spec.objective(o).name for o in grouped if o in niche],
        p.offense_tiers,
        tier_share(p),
        n,
        int(np.flatnonzero(tiers == 0)[-1]) + 1 if (tiers == 0).any() else 0,
        int(np.flatnonzero(tiers == 2)[0]) + 1 if (tiers == 2).any() else n + 1,
        p.activation_gap,
    )


def posture_text(row: pd.Series, rule: PostureRule) -> str:
    """Why a ranked country reads as its posture class, in words, from its readings and the rule.
    Orientation shows 3 decimals, so a value just below a threshold never reads as on it."""
    orientation = f"an orientation of {number(row['orientation'], 3, signed=True)}"
    standing = f"its offense score ranks {ordinal(row['offense_rank'])} of {rule.cohort}"
    top = f"the top {rule.tier_share}"
    upper, lower = number(rule.attack_heavy_at, 2, signed=True), number(rule.defensive_at, 2, signed=True)
    if row["posture"] == "attack-heavy":
        return f"its intent leans to offense, {orientation}, at or above {upper}, and {standing}"
    if row["posture"] == "defensive":
        return (
            f"its intent leans to defense, {orientation}, at or below {lower}, and {standing}, outside {top}"
        )
    if row["orientation"] <= rule.defensive_at:
        return (
            f"its intent leans to defense, {orientation}, but {standing}, in {top}, and a country with "
            "that much offense is not called defensive"
        )
    return f"its intent is about even between offense and defense, {orientation}, and {standing}"


# --- home ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountryLink:
    """A country of the home page's pair: its page is `link("country", iso3)`."""

    iso3: str
    name: str


@dataclass(frozen=True)
class HomePage:
    """The home page: the latest edition's headline ranking, posture counts and the default pair."""

    edition: Edition
    countries: int  # countries listed in the latest edition
    objectives: int
    ranking: Chart
    posture: Chart
    counts: dict[str, int]  # posture -> ranked countries with it
    pair: list[CountryLink]  # the two countries compared; empty when either is missing
    pair_sentences: list[str]
    source: str
    top: list[CountryResult]  # the ten best ranked


def home_page(site: SiteContext, pair: tuple[str, str]) -> HomePage:
    latest = site.latest
    return HomePage(
        edition=edition(site, latest),
        countries=len(latest.overall),
        objectives=len(latest.spec.objectives),
        ranking=charts.ranking(latest),
        posture=charts.posture_map(latest),
        counts={str(k): int(v) for k, v in latest.ranked["posture"].value_counts().items()},
        pair=[CountryLink(i, latest.overall.loc[i, "country"]) for i in pair]
        if all(i in latest.overall.index for i in pair)
        else [],
        pair_sentences=pair_comparison(latest, *pair),
        source=source_line(latest, site),
        top=country_results(latest.ranked.head(10)),
    )


def pair_comparison(result: Results, first: str, second: str) -> list[str]:
    """Sentences comparing two countries in one edition, drawn only from the results."""
    overall = result.overall
    n = int(overall["ranked"].sum())
    objectives = result.objectives.set_index(["iso3", "objective"])
    names = {o.id: o.name.lower() for o in result.spec.objectives}
    sentences = []
    rule = posture_rule(result)
    for iso3 in (first, second):
        if iso3 not in overall.index:
            continue
        row = overall.loc[iso3]
        if not row["ranked"]:
            sentences.append(f"{row['country']} is not ranked in {result.spec.title}: {row['reason']}.")
            continue
        ranks = objectives.loc[iso3]["rank"].astype(int).sort_values()
        best, worst = ranks.index[0], ranks.index[-1]
        sentences.append(
            f"{row['country']} ranks {ordinal(row['rank'])} of {n} overall with "
            f"{'an' if str(row['posture'])[0] in 'aeiou' else 'a'} {row['posture']} posture "
            f"({posture_text(row, rule)}); it is {ordinal(ranks[best])} on {names[best]} and "
            f"{ordinal(ranks[worst])} on {names[worst]}. Its capability index ranks "
            f"{ordinal(row['capability_rank'])} and its intent index {ordinal(row['intent_rank'])} "
            f"({ACTIVATION[str(row['activation'])]})."
        )
    return sentences


ACTIVATION = {
    "passive": "capable but passive: capability ranks well above intent",
    "assertive": "assertive: intent ranks well above capability",
    "matched": "capability and intent rank alike",
    "None": "not ranked",
}


# --- compare -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompareSection:
    """One edition's compare section: the charts of the countries it starts with (objective scores;
    capability, intent and posture), None when fewer than two are ranked, and notes on any stand-in."""

    edition: Edition
    chart: Chart | None
    capint: Chart | None
    notes: list[str]
    source: str


@dataclass(frozen=True)
class ComparePage:
    """`data`: every edition's countries and tables for compare.js, as JSON safe inside a <script
    type="application/json"> element (data, never run)."""

    sections: list[CompareSection]
    data: Markup
    max_countries: int


def compare_page(site: SiteContext, pair: tuple[str, ...]) -> ComparePage:
    sections = [compare_section(site, e, pair) for e in site.editions]
    editions = [
        compare_chart.page_data(e, s.chosen) for e, s in zip(site.editions, sections, strict=True) if s.chosen
    ]
    return ComparePage([s.section for s in sections], compare_json(editions), compare_chart.MAX_COUNTRIES)


def compare_json(editions: list[dict[str, object]]) -> Markup:
    """The compare page's data as JSON with no '<', '>' or '&' as such: nothing in it can end the
    <script type="application/json"> element it goes in."""
    data = {"editions": editions, "max": compare_chart.MAX_COUNTRIES, "palette": compare_chart.PALETTE}
    return _script_json(json.dumps(data, ensure_ascii=False))


def _script_json(text: str) -> Markup:
    """JSON text for a <script type="application/json"> element, with no '<', '>' or '&' as such, so
    that no text from the data can end the element."""
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@dataclass(frozen=True)
class _Compared:
    section: CompareSection
    chosen: list[str]  # empty when fewer than two countries are ranked


def compare_section(site: SiteContext, result: Results, pair: tuple[str, ...]) -> _Compared:
    """The charts start with `pair`, or, for a country missing or not ranked there, with the
    best-ranked other country, saying why."""
    ranked = list(result.ranked.index)
    chosen: list[str] = []
    notes = []
    for iso3 in pair:
        if iso3 in ranked and iso3 not in chosen:
            chosen.append(iso3)
            continue
        stand_in = next((c for c in ranked if c not in chosen and c not in pair), None)
        if stand_in is None:
            continue
        chosen.append(stand_in)
        name = result.overall.loc[stand_in, "country"]
        if iso3 in result.overall.index:
            row = result.overall.loc[iso3]
            why = f"{row['country']} is not ranked in {result.spec.title}: {row['reason']}"
        else:
            why = f"{iso3} is not in {result.spec.title}"
        notes.append(f"{why}. The charts start with {name} in its place.")
    if len(chosen) < 2:
        notes.append(f"{result.spec.title} ranks fewer than two countries: there is nothing to compare.")
        chosen = []
    chart = compare_chart.scores(result, chosen) if chosen else None
    capint = compare_chart.capability_intent(result, chosen) if chosen else None
    section = CompareSection(edition(site, result), chart, capint, notes, source_line(result, site))
    return _Compared(section, chosen)


# How each kind of published figure reads on a page (for an objective kind: after the objective's name).
FACT_LABELS = {
    "overall_rank": "Overall rank",
    "overall_score": "Overall score",
    "overall_capability": "Capability index",
    "overall_intent": "Intent index",
    "objective_rank": "rank",
    "objective_score": "score",
    "objective_capability": "capability",
    "objective_above": "rank, above another country",
    "objective_rise": "rank, risen since the previous edition",
}


@dataclass(frozen=True)
class FactSource:
    """A source of a published figure as the figures table names it: title, publisher and date."""

    id: str
    title: str
    publisher: str
    date: str


@dataclass(frozen=True)
class FactRow:
    """One published figure on a ranking page."""

    check: facts.FactCheck
    country: str  # the country's name
    figure: str  # what the figure is, in words ("Financial score", "Overall rank")
    digits: int  # 0 for a rank, 3 otherwise: the precision of the check
    sources: list[FactSource] = field(default_factory=list)  # in the order facts.csv gives them
    # a statement that is not a single figure, in words ("5th or 6th", "above North Korea") and what was
    # computed for it ("6th", "5 places above"); None for a single figure (shown as a number)
    published: str | None = None
    computed: str | None = None


def fact_rows(site: SiteContext, result: Results, checks: list[facts.FactCheck]) -> list[FactRow]:
    names = objective_names(result)
    countries = site.countries["name"].to_dict()
    titles = {e.spec.id: e.spec.title for e in site.editions}
    rows = []
    for c in checks:
        published, computed = _statement(c, countries, titles)
        rows.append(
            FactRow(
                c,
                countries.get(c.iso3, c.iso3),
                f"{names.get(c.objective, c.objective)} {FACT_LABELS[c.fact]}"
                if c.objective
                else FACT_LABELS[c.fact],
                0 if c.is_rank else 3,
                [_fact_source(site, s) for s in c.sources.split()],
                published,
                computed,
            )
        )
    return rows


def _fact_source(site: SiteContext, id: str) -> FactSource:
    if id not in site.sources.index:
        return FactSource(id, id, "", "")
    row = site.sources.loc[id]
    return FactSource(id, str(row["title"]), _or_empty(row["publisher"]), _or_empty(row["date"]))


def _or_empty(value: object) -> str:
    return "" if missing(value) else str(value)


def _statement(
    c: facts.FactCheck, countries: dict[str, str], titles: dict[str, str]
) -> tuple[str | None, str | None]:
    # the words for a statement that is not a single figure; (None, None) for a single figure
    done = c.computed is not None and not missing(c.computed)
    if c.fact == "objective_above":
        places = int(c.computed) if done else None  # type: ignore[arg-type]
        said = (
            "–"
            if places is None
            else f"{places} place{'s' if abs(places) != 1 else ''} {'above' if places > 0 else 'below'}"
            if places
            else "tied"
        )
        return f"above {countries.get(c.other, c.other)}", said
    if c.fact == "objective_rise":
        since = titles.get(c.previous, c.previous or "the previous edition")
        places = int(c.computed) if done else None  # type: ignore[arg-type]
        said = (
            "–"
            if places is None
            else f"{'up' if places > 0 else 'down'} {abs(places)} place{'s' if abs(places) != 1 else ''}"
            if places
            else "no change"
        )
        return f"risen since {since}", said
    if c.is_rank and not c.is_point:
        low, high = math.ceil(c.low), math.floor(c.high)
        words = " or ".join(ordinal(r) for r in range(low, high + 1))
        return words, ordinal(c.computed) if done else "–"
    return None, None


def _kind_label(kind: str) -> str:
    return f"Objective {FACT_LABELS[kind]}" if kind.startswith("objective_") else FACT_LABELS[kind]


@dataclass(frozen=True)
class FactKind:
    label: str
    count: int
    agreeing: int
    largest: float | None  # the largest difference between published and computed
    digits: int  # 0 for ranks, 4 otherwise


@dataclass(frozen=True)
class FactSummary:
    count: int
    agreeing: int
    kinds: list[FactKind]
    largest: float | None  # the largest difference over every figure that is not a rank; None without


def fact_summary(checks: list[facts.FactCheck]) -> FactSummary:
    kinds = [
        FactKind(
            _kind_label(s.fact),
            s.count,
            s.agreeing,
            s.largest_difference,
            0 if s.fact.endswith("_rank") or s.fact in facts.AT_LEAST else 4,
        )
        for s in facts.summarise(checks)
    ]
    differences = [c.difference for c in checks if not c.is_rank and c.difference is not None]
    return FactSummary(len(checks), sum(c.agrees for c in checks), kinds, max(differences, default=None))


# --- rankings and countries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingPage:
    """One edition's ranking: every listed country (ranked first), the published figures checked."""

    edition: Edition
    others: list[Edition]  # the other editions, newest first
    previous: str | None  # title of the previous edition, if any
    chart: Chart
    intervals: Chart | None  # each rank with its 5–95 % interval; None without the uncertainty analysis
    source: str
    rows: list[CountryResult]
    facts: list[FactRow]  # the published figures, checked
    fact_summary: FactSummary


def ranking_page(site: SiteContext, result: Results) -> RankingPage:
    history = site.history[site.history["edition"] == result.spec.id].set_index("iso3")
    previous = [e for e in site.editions if e.spec.year < result.spec.year]
    checks = site.fact_checks(result)
    return RankingPage(
        edition=edition(site, result),
        others=[edition(site, e) for e in site.editions if e is not result],
        previous=previous[0].spec.title if previous else None,
        chart=charts.ranking(result),
        intervals=charts.rank_intervals(result),
        source=source_line(result, site),
        rows=country_results(result.overall, history[["rank_change", "change_basis"]]),
        facts=fact_rows(site, result, checks),
        fact_summary=fact_summary(checks),
    )


@dataclass(frozen=True)
class CountryRanks:
    """A row of the countries index: overall rank and its basis by edition id (None: not ranked or
    not listed)."""

    iso3: str
    name: str
    region: str
    ranks: dict[str, int | None]
    bases: dict[str, str | None]
    aliases: tuple[str, ...] = ()  # other names a reader may search for (countries.csv `aliases`)


@dataclass(frozen=True)
class CountriesPage:
    editions: list[Edition]  # the columns, newest first
    rows: list[CountryRanks]  # the countries with a page, by name


def countries_page(site: SiteContext, profiled: list[str]) -> CountriesPage:
    """`profiled`: the countries the registry gave a page."""

    def cell(result: Results, iso3: str, column: str) -> Any:
        return _plain(result.overall.loc[iso3, column]) if iso3 in result.overall.index else None

    rows = [
        CountryRanks(
            iso3=str(iso3),
            name=country["name"],
            region=country["region"],
            aliases=country["aliases"],
            ranks={e.spec.id: cell(e, iso3, "rank") for e in site.editions},
            bases={e.spec.id: cell(e, iso3, "rank_basis") for e in site.editions},
        )
        for iso3, country in site.countries.loc[profiled].sort_values("name").iterrows()
    ]
    return CountriesPage(
        editions=[edition(site, e) for e in site.editions],
        rows=rows,
    )


@dataclass(frozen=True)
class Measured:
    """A raw indicator value measured for a country (shown for an unranked country)."""

    id: str
    name: str
    unit: str
    value: float
    basis: str


@dataclass(frozen=True)
class CountrySection:
    """One edition on a country page. For a ranked country: `profile`, strengths and weaknesses (its
    best and worst ranked objectives) and the posture reading; for an unranked one: `measured`."""

    edition: Edition
    row: CountryResult
    estimated: bool  # the country's figures in this edition include an estimate
    n: int  # ranked countries
    source: str
    objectives: list[ObjectiveResult]
    capint: Chart
    profile: Chart | None = None
    strengths: list[ObjectiveResult] = field(default_factory=list)
    weaknesses: list[ObjectiveResult] = field(default_factory=list)
    posture_text: str = ""
    activation_text: str = ""
    rule: PostureRule | None = None
    measured: list[Measured] = field(default_factory=list)
    uncertainty: str = ""  # what the uncertainty analysis says of the rank and posture, in words
    has_indicator_level: bool = True  # False: capability is given per objective, nothing to drill into
    drilldown: Drilldown | None = None  # a ranked country's indicators, in an indicator-level edition
    assessed: bool = False  # the country's figures rest on the analysts' assessed values (and no estimate)

    @property
    def approximate(self) -> bool:
        """Whether the country's values are shown as estimates are (`digits`): estimated or assessed."""
        return self.estimated or self.assessed


@dataclass(frozen=True)
class HistoryRow:
    edition: str  # its id: the row links to the edition's ranking, as the history chart's points do
    title: str
    ranked: bool
    rank: int | None
    of: int  # ranked countries in the edition
    rank_basis: str | None
    score: float | None
    basis: str | None  # of the country's values in the edition: published, assessed or estimated
    rank_change: int | None
    change_basis: str | None  # what rank_change rests on: published, assessed or estimated

    @property
    def approximate(self) -> bool:
        """Whether the score is shown as estimates are (`digits`)."""
        return self.basis in ("estimated", "assessed")


@dataclass(frozen=True)
class Note:
    edition_title: str
    note: str
    source: str


@dataclass(frozen=True)
class CountryPage:
    iso3: str
    name: str
    editions: list[CountrySection]  # the editions that list the country, newest first
    history: list[HistoryRow]  # newest first
    history_chart: Chart | None  # None until the country is ranked in two editions
    history_statement: str  # in words instead of a chart, when it is ranked in one edition only
    history_estimated: str | bool  # "partly" when some edition shown is estimated
    objective_counts: list[str]  # "8 in NCPI 2022", ... when editions measure different numbers
    notes: list[Note]
    sources: list[Source]
    aliases: tuple[str, ...] = ()  # other names a reader may search for (countries.csv `aliases`)


def country_page(site: SiteContext, iso3: str) -> CountryPage:
    name = site.countries.loc[iso3, "name"]
    sections = [_country_section(site, r, iso3) for r in site.editions if iso3 in r.overall.index]
    history = site.history[site.history["iso3"] == iso3].sort_values("year", ascending=False)
    notes = site.notes[site.notes["iso3"] == iso3]
    titles = {e.spec.id: e.spec.title for e in site.editions}
    specs = [e.spec for e in site.editions if iso3 in e.overall.index]
    row_sources = [
        str(s)
        for e in site.editions
        if iso3 in e.overall.index
        for s in e.indicators.loc[e.indicators["iso3"] == iso3, "source"].dropna().unique()
    ]
    cited = list(
        dict.fromkeys([s for spec in specs for s in spec.sources] + row_sources + notes["source"].tolist())
    )
    counts = [(len(spec.objectives), spec.title) for spec in specs]
    return CountryPage(
        iso3=iso3,
        name=name,
        editions=sections,
        history=[HistoryRow(**_fields(HistoryRow, h)) for h in _records(HistoryRow, history)],
        history_chart=charts.history(history, name, iso3) if history["ranked"].sum() >= 2 else None,
        history_statement=single_history(history) if history["ranked"].sum() == 1 else "",
        history_estimated="partly" if any(s.estimated for s in sections) else False,
        objective_counts=[f"{n} in {title}" for n, title in counts]
        if len({n for n, _ in counts}) > 1
        else [],
        notes=[Note(titles.get(n.edition, n.edition), n.note, n.source) for n in notes.itertuples()],
        sources=[_source(s, site.sources.loc[s]) for s in cited if s in site.sources.index],
        aliases=site.countries.loc[iso3, "aliases"],
    )


def single_history(history: pd.DataFrame) -> str:
    """The history of a country ranked in one edition only, in words (a chart of one point says less):
    "Only in NCPI 2022: ranked 7th of 30, with a score of 23.41." `history` is its rows of
    `change.history`; an estimated rank or score is marked as one, an assessed one "(assessed)", and
    either is shown to the whole point."""
    row = history[history["ranked"]].iloc[0]
    marks = {"estimated": " (an estimate)", "assessed": " (assessed)"}
    rank = f"{ordinal(row['rank'])} of {row['of']}{marks.get(row['rank_basis'], '')}"
    score = f"{number(row['score'], digits(2, row['basis'] in marks))}{marks.get(row['basis'], '')}"
    unranked = history.loc[~history["ranked"], "title"].tolist()
    if not unranked:
        return f"Only in {row['title']}: ranked {rank}, with a score of {score}."
    return (
        f"Ranked only in {row['title']}: {rank}, with a score of {score}; listed but not ranked in "
        f"{', '.join(unranked)}."
    )


def _country_section(site: SiteContext, result: Results, iso3: str) -> CountrySection:
    """One edition's section of a country's page (kept with the edition's results, `kept`)."""
    named, source = edition(site, result), source_line(result, site)
    return kept(result, ("country", iso3), (named, source), lambda: _section_of(result, iso3, named, source))


def _section_of(result: Results, iso3: str, named: Edition, source: str) -> CountrySection:
    row = _country_rows(result)[iso3]
    objectives = _objective_rows(result).get(iso3, [])
    common: dict[str, Any] = dict(
        edition=named,
        row=row,
        estimated=row.basis == "estimated",
        assessed=row.basis == "assessed",
        n=_ranked_count(result),
        source=source,
        objectives=objectives,
        capint=charts.capability_intent(result, iso3),
        has_indicator_level=result.spec.has_indicator_level,
    )
    if not row.ranked:
        return CountrySection(**common, measured=_measured(result, iso3))
    # by rank, then score, highest first (no rank or no score last); a shared rank at a score of 0 (no
    # intent at all) is no strength
    ranked = sorted(objectives, key=lambda r: (r.rank is None, r.rank or 0, r.score is None, -(r.score or 0)))
    strengths = [r for r in ranked if r.score is not None and r.score > 0][:2]
    rest = [r for r in ranked if all(r is not s for s in strengths)]
    rule = posture_rule(result)
    return CountrySection(
        **common,
        uncertainty=uncertainty_sentence(result, iso3, str(row.posture)),
        profile=charts.profile(result, iso3),
        strengths=strengths,
        weaknesses=rest[-2:][::-1],
        posture_text=posture_text(result.overall.loc[iso3], rule),
        activation_text=ACTIVATION[str(row.activation)],
        rule=rule,
        drilldown=drilldowns(result).get(iso3),
    )


@per_results
def _country_rows(result: Results) -> dict[str, CountryResult]:
    """Each country's row of `Results.overall`, made once for every country page."""
    return {r.iso3: r for r in country_results(result.overall)}


@per_results
def _objective_rows(result: Results) -> dict[str, list[ObjectiveResult]]:
    """Each country's rows of `Results.objectives`, in their order, made once for every country page."""
    by_country: dict[str, list[ObjectiveResult]] = {}
    for r in objective_results(result, result.objectives):
        by_country.setdefault(r.iso3, []).append(r)
    return by_country


@per_results
def _ranked_count(result: Results) -> int:
    return int(result.overall["ranked"].sum())


def uncertainty_sentence(result: Results, iso3: str, posture: str) -> str:
    """The rank interval and posture stability of a ranked country in words ("" without an analysis)."""
    found = result.intervals.country(iso3) if result.intervals is not None else None
    if found is None or result.intervals is None:
        return ""
    settings, rank = result.intervals.settings, found.overall
    varied = [f"weights ×{1 - settings.weight_perturbation:g}–{1 + settings.weight_perturbation:g}"]
    if settings.normalisations:
        varied.append("normalisation (" + ", ".join(settings.normalisations) + ")")
    if settings.aggregations:
        varied.append("aggregation (" + ", ".join(settings.aggregations) + ")")
    if settings.estimated_capability or settings.estimated_intent:
        varied.append(
            f"estimated values ±{settings.estimated_capability:g} capability points and "
            f"±{settings.estimated_intent:g} intent"
        )
    if result.assessed:  # the analysts' own values: exact unless [uncertainty] gives them an error
        varied.append(
            f"the analysts' assessed values ±{settings.assessed_capability:g} capability points and "
            f"±{settings.assessed_intent:g} intent"
            if settings.assessed_capability or settings.assessed_intent
            else "the analysts' assessed values not at all (taken as exact)"
        )
    where = (
        f"stays {ordinal(rank.low)}"
        if rank.low == rank.high
        else f"lies between {ordinal(rank.low)} and {ordinal(rank.high)} (median {ordinal(rank.median)})"
    )
    return (
        f"Across {settings.draws:,} draws that vary the method's assumptions ({'; '.join(varied)}), "
        f"the rank {where} in 90 % of draws, and the posture reading stays {posture} in "
        f"{found.posture_share(posture) * 100:.0f} % of them."
    )


def _measured(result: Results, iso3: str) -> list[Measured]:
    """The raw indicators measured for a country (value, unit, basis), for an unranked country's page."""
    table = result.indicators  # no rows when capability is given per objective
    rows = table[(table["iso3"] == iso3) & table["value"].notna()]
    catalogue = {i.id: i for i in result.spec.indicators}
    return [
        Measured(
            r.indicator, catalogue[r.indicator].name, catalogue[r.indicator].unit, _plain(r.value), r.basis
        )
        for r in rows.itertuples()
        if r.indicator in catalogue
    ]


# --- objectives ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveSection:
    edition: Edition
    chart: Chart
    source: str
    rows: list[ObjectiveResult]  # every listed country, by rank (unranked last), then name


@dataclass(frozen=True)
class ObjectivePage:
    id: str
    name: str
    description: str
    editions: list[ObjectiveSection]  # the editions that have the objective, newest first


def objective_page(site: SiteContext, objective: str) -> ObjectivePage:
    sections = []
    description = ""
    for result in site.editions:
        if objective not in result.spec.objective_ids:
            continue
        description = description or result.spec.objective(objective).description
        named, source = edition(site, result), source_line(result, site)
        make = functools.partial(_objective_section, result, objective, named, source)
        sections.append(kept(result, ("objective", objective), (named, source), make))
    return ObjectivePage(objective, objective_name(site, objective), description, sections)


def _objective_section(result: Results, objective: str, named: Edition, source: str) -> ObjectiveSection:
    rows = result.objectives[(result.objectives["objective"] == objective)].copy()
    rows["country"] = rows["iso3"].map(result.overall["country"])
    rows = rows.sort_values(["rank", "country"], na_position="last")
    return ObjectiveSection(
        named, charts.quadrant(result, objective), source, objective_results(result, rows)
    )


@dataclass(frozen=True)
class ObjectiveEntry:
    id: str
    name: str
    editions: list[str]  # titles of the editions that have it


@dataclass(frozen=True)
class ObjectivesPage:
    objectives: list[ObjectiveEntry]


def objectives_page(site: SiteContext, objective_ids: list[str]) -> ObjectivesPage:
    return ObjectivesPage(
        [
            ObjectiveEntry(
                o, objective_name(site, o), [e.spec.title for e in site.editions if o in e.spec.objective_ids]
            )
            for o in objective_ids
        ]
    )


# --- posture, map, methodology, data -------------------------------------------------------------------


@dataclass(frozen=True)
class PostureSection:
    edition: Edition
    rule: PostureRule
    chart: Chart
    rows: list[CountryResult]  # the ranked countries, most attack-heavy first


@dataclass(frozen=True)
class PosturePage:
    editions: list[PostureSection]


def posture_page(site: SiteContext) -> PosturePage:
    return PosturePage(
        [
            PostureSection(
                edition=edition(site, e),
                rule=posture_rule(e),
                chart=charts.posture_map(e),
                rows=country_results(e.ranked.sort_values(["orientation", "rank"], ascending=[False, True])),
            )
            for e in site.editions
        ]
    )


@dataclass(frozen=True)
class MapSection:
    """One edition's world map (overall score by default; the reader picks another measure)."""

    edition: Edition
    chart: Chart
    # what map.js colours the shared shapes with (`charts.map_data`), as JSON safe inside a <script>
    data: Markup


def _map_json(data: dict[str, Any]) -> Markup:
    return _script_json(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


@dataclass(frozen=True)
class MapPage:
    editions: list[MapSection]
    dots: list[str]  # ranked countries drawn as a dot (too small for the map's scale)
    absent: list[str]  # ranked countries not on the map at all


def map_page(
    site: SiteContext,
    topology: dict[str, Any],
    dots: pd.DataFrame | None,
    links: Callable[[str], str] | None = None,
) -> MapPage:
    """Which ranked countries are drawn as dots, and which are not on the map at all; `links(iso3)`
    is a country page's URL from the site's root, which the map links each country to."""
    ranked = {c: e.overall.loc[c, "country"] for e in site.editions for c in e.ranked.index}
    where = charts.placement(sorted(ranked), topology, dots)
    by = {how: sorted(ranked[c] for c, h in where.items() if h == how) for how in ("dot", "absent")}
    return MapPage(
        [_map_section(site, e, topology, dots, links) for e in site.editions], by["dot"], by["absent"]
    )


def _map_section(
    site: SiteContext,
    result: Results,
    topology: dict[str, Any],
    dots: pd.DataFrame | None,
    links: Callable[[str], str] | None,
) -> MapSection:
    """One edition's map (kept with the edition's results, `kept`): the same while the edition as
    pages name it, the map (the same objects) and the country pages' URLs are."""
    named = edition(site, result)
    urls = tuple(links(i) for i in result.overall.index) if links else None

    def make() -> MapSection:
        chart = charts.world_map(result, topology, dots, links)
        return MapSection(named, chart, _map_json(map_data(result, links)))

    return kept(result, ("map", ""), (named, Same(topology), Same(dots), urls), make)


@dataclass(frozen=True)
class RuleRow:
    """A candidate posture rule on one edition (`scoring.method.posture_rules`): countries per class
    (in the order of `classes`), the class of each named country (None: not ranked) and the countries
    whose class the niche objective changes."""

    name: str
    counts: list[int]
    named: list[str | None]
    changed: list[str]  # country names
    chosen: bool  # the rule in use


@dataclass(frozen=True)
class Stability:
    """A named country's posture and the share of the uncertainty analysis's draws (0–1) that agree."""

    country: str
    posture: str | None
    share: float | None  # None: not ranked


@dataclass(frozen=True)
class MethodologySection:
    spec: IndexSpec  # the index definition, as parsed (frozen dataclasses of plain values)
    rule: PostureRule
    classes: list[str]  # the posture classes, the columns of the comparison
    named: list[CountryLink]  # the definition's named countries, in its order
    rules: list[RuleRow]  # the comparison of candidate posture rules
    leader: str  # the country given the niche objective in the comparison: the highest offense score
    stability: list[Stability]  # empty without the uncertainty analysis
    draws: int  # of the uncertainty analysis; 0 without one
    effective: dict[str, float] = field(default_factory=dict)  # indicator -> effective weight (0–1)
    shares: dict[str, float] = field(default_factory=dict)  # objective -> share of the overall (0–1)
    # where the method differs from the publisher's (`IndexSpec.differences_from_published`)
    differences: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MethodologyPage:
    editions: list[MethodologySection]
    method_notes: list[Edition] = field(default_factory=list)  # editions with a method note page


def methodology_page(site: SiteContext) -> MethodologyPage:
    return MethodologyPage(
        [_methodology_section(site, e) for e in site.editions],
        [edition(site, e) for e in site.editions if e.spec.id in site.method_notes],
    )


@dataclass(frozen=True)
class MethodNotePage:
    """An edition's method note: how its estimated values were made, as the project wrote it.

    `markdown` is data/<edition>/METHOD.md as is: project-authored Markdown, reviewed in the repository
    like a template, so it is rendered, not escaped (its headings, lists and emphasis are the point).
    No CSV value goes into it, and the build still refuses any page with an inline script (publish/csp).
    """

    edition: Edition
    markdown: Markup
    path: str  # where the note lives in the project, e.g. data/ncpi-2022/METHOD.md


def method_note_page(site: SiteContext, result: Results) -> MethodNotePage:
    text = site.method_notes[result.spec.id]
    return MethodNotePage(edition(site, result), Markup(text), f"data/{result.spec.id}/METHOD.md")


def _methodology_section(site: SiteContext, result: Results) -> MethodologySection:
    """One edition's section of the methodology page (kept with the edition's results, `kept`)."""
    named = list(result.spec.posture.named)
    country = {i: str(site.countries.loc[i, "name"]) if i in site.countries.index else i for i in named}
    make = functools.partial(_methodology_of, result, named, country)
    return kept(result, ("methodology", ""), (tuple(country.items()),), make)


def _methodology_of(result: Results, named: list[str], country: dict[str, str]) -> MethodologySection:
    overall = result.overall
    rows = [
        RuleRow(
            r.rule.name,
            list(r.counts.values()),
            [r.named[i] for i in named],
            [str(overall.loc[i, "country"]) for i in r.changed],
            r.rule.id == "posture",
        )
        for r in posture_rules.compare(result)
    ]
    intervals = result.intervals
    stability = []
    if intervals is not None:
        for iso3 in named:
            label = _plain(overall["posture"].get(iso3))
            found = intervals.country(iso3)
            stability.append(Stability(country[iso3], label, found.posture_share(label) if found else None))
    ranked = result.ranked
    return MethodologySection(
        spec=result.spec,
        rule=posture_rule(result),
        classes=list(posture_method.CLASSES),
        named=[CountryLink(i, country[i]) for i in named],
        rules=rows,
        leader=str(ranked.loc[ranked["offense"].idxmax(), "country"]) if len(ranked) else "",
        stability=stability,
        draws=intervals.settings.draws if intervals is not None else 0,
        effective={str(k): float(v) for k, v in weights.indicator_weights(result.spec).items()},
        shares={
            o.id: o.weight / sum(p.weight for p in result.spec.objectives) for o in result.spec.objectives
        },
        differences=list(result.spec.differences_from_published()),
    )


@dataclass(frozen=True)
class DownloadColumn:
    name: str
    meaning: Markup  # Markdown written in scoring/outputs/columns.py, so it passes unescaped


@dataclass(frozen=True)
class DownloadFile:
    name: str  # overall.csv, objectives.csv, ...
    columns: list[DownloadColumn]
    about: Markup  # Markdown written in scoring/outputs/columns.py


@dataclass(frozen=True)
class DataPage:
    editions: list[Edition]
    downloads: list[DownloadFile]  # each download file of scoring/outputs/columns.py, in order
    version: str = ""  # the package version ("0.1.0"), for citing this site
    built: str = ""  # the build date (YYYY-MM-DD) of a dated build, else ""


def data_page(site: SiteContext, provenance: dict[str, Any] | None = None) -> DataPage:
    downloads = [
        DownloadFile(
            d.name, [DownloadColumn(c.name, Markup(c.description)) for c in d.columns], Markup(d.about)
        )
        for d in columns.DOWNLOADS
    ]
    provenance = provenance or {}
    version = str(provenance.get("package", "")).removeprefix("cyberpower ")
    built = str(provenance.get("built", ""))[:10]
    return DataPage([edition(site, e) for e in site.editions], downloads, version, built)


# --- sources and about ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourcesPage:
    sources: list[Source]  # every row of sources.csv, with what cites it
    home_pages: int  # how many link to an outlet rather than to the report


def sources_page(site: SiteContext) -> SourcesPage:
    cited: dict[str, list[str]] = {}
    for result in site.editions:
        for s in result.spec.sources:
            cited.setdefault(s, []).append(f"{result.spec.title} (edition)")
        published = site.project.editions[result.spec.id].facts
        for cell in published["sources"]:
            for s in str(cell).split():
                cited.setdefault(s, []).append(f"{result.spec.title} (published figures)")
    for note in site.notes.itertuples():
        cited.setdefault(str(note.source), []).append("analyst notes")
    rows = [_source(str(i), row, sorted(set(cited.get(str(i), [])))) for i, row in site.sources.iterrows()]
    return SourcesPage(rows, sum(1 for r in rows if r.url and _outlet_page(r.url)))


def _outlet_page(url: str) -> bool:
    """An address of an outlet or one of its sections (https://www.rfa.org/korean/), not of a report:
    only the outlet and date of the report are known."""
    path = urlsplit(url).path
    return path in ("", "/") or (path.endswith("/") and path.count("/") == 2)


@dataclass(frozen=True)
class AboutPage:
    version: str  # the package version
    built: str  # the build date, from SOURCE_DATE_EPOCH; "" when not set
    inputs: dict[str, str]  # input file -> SHA-256
    editions: list[str]  # titles, newest first


def about_page(site: SiteContext, provenance: dict[str, Any]) -> AboutPage:
    return AboutPage(
        __version__, provenance.get("built", ""), provenance["inputs"], [e.spec.title for e in site.editions]
    )
