"""Bar and line charts: the ranking, a country's profile, capability and intent, history."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from scoring.method.engine import Results
from scoring.method.memo import per_results
from scoring.outputs.text import possessive
from scoring.pages.charts.base import (
    LINK,
    OBJECTIVE_COLOURS,
    PUBLISHED,
    TENS,
    WIDTH,
    Basis,
    Chart,
    Data,
    Family,
    basis_clause,
    basis_columns,
    basis_noun,
    basis_of,
    country_urls,
    dark_mode,
    in_dark,
    label,
    marked,
    number_tooltip,
    objective_names,
    objective_order,
    objective_places,
    page_url,
    places,
    rank_labels,
)


def ranking(results: Results) -> Chart:
    """Overall ranking, bars stacked by each objective's contribution to the overall score. In an
    edition with estimated or assessed values the tooltips and the table say which values and ranks
    are estimates or the analysts' assessments."""
    spec = results.spec
    names = objective_names(results)
    total_weight = sum(o.weight for o in spec.objectives)
    weights = {o.id: o.weight for o in spec.objectives}
    ranked = results.ranked
    basis = basis_of(results.overall["basis"])
    rows = results.objectives[results.objectives["iso3"].isin(ranked.index)].copy()
    rows["country"] = rows["iso3"].map(ranked["country"])
    rows["objective_name"] = rows["objective"].map(names)
    rows["contribution"] = (rows["score"] * rows["objective"].map(weights) / total_weight).round(3)
    rows["overall"] = rows["iso3"].map(ranked["score"]).round(2)
    rows["rank"] = rows["iso3"].map(ranked["rank"]).astype(int)
    rows["order"] = rows["objective"].map({o: i for i, o in enumerate(spec.objective_ids)})
    rows["url"] = country_urls(rows["iso3"])
    columns = ["iso3", "country", "rank", "overall", "objective_name", "order", "contribution", "url"]
    labels = dict(zip(ranked.index, rank_labels(ranked["rank"], ranked["rank_basis"]), strict=True))
    if basis:
        rows["rank_label"] = rows["iso3"].map(labels)
        columns.append("rank_label")
    data = rows[columns]
    order = tuple(ranked["country"])
    top = ranked.iloc[0]
    description = (
        f"Horizontal bar chart of the {spec.title} ranking: {len(ranked)} countries, from "
        f"{top['country']} (score {top['score']:.1f}) to {ranked.iloc[-1]['country']} "
        f"(score {ranked.iloc[-1]['score']:.1f}); each bar is split into the contributions of the "
        f"{len(spec.objectives)} objectives{basis_clause(basis, 'scores')}."
    )
    table = ranked.reset_index()[["rank", "country", "score"]].assign(score=lambda f: f["score"].round(2))
    if basis:
        table = basis_columns(table.assign(rank=[labels[i] for i in ranked.index]), {"score": 0}, basis)
    title = f"{spec.title}: overall score"
    sort = tuple(names[o] for o in spec.objective_ids)
    built = RANKING.spec([data], title, description, order=order, sort=sort, basis=basis)
    return Chart(f"ranking-{spec.id}", title, description, built, table)


def _ranking(
    data: Data, *, order: tuple[str, ...], sort: tuple[str, ...], basis: Basis = PUBLISHED
) -> alt.TopLevelMixin:
    rank = alt.Tooltip("rank_label:N", title="Rank") if basis else alt.Tooltip("rank:Q", title="Rank")
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("country:N", sort=list(order), title=None),
            x=alt.X("sum(contribution):Q", title=marked("Overall score (0–100)", basis)),
            color=alt.Color(
                "objective_name:N",
                title="Objective",
                sort=list(sort),
                scale=alt.Scale(range=OBJECTIVE_COLOURS),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=140),
            ),
            order=alt.Order("order:Q"),
            href=LINK,
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                rank,
                number_tooltip("overall", places(2, basis), basis, "Overall score"),
                alt.Tooltip("objective_name:N", title="Objective"),
                number_tooltip("contribution", places(2, basis), basis, "Contribution"),
            ],
        )
        .properties(width=WIDTH, height=16 * len(order))
    )


RANKING = Family(_ranking)


def rank_intervals(results: Results) -> Chart | None:
    """Each ranked country's rank (a dot) and its 5–95 % interval from the uncertainty analysis (a
    bar), best first; None when the edition has no intervals."""
    spec = results.spec
    ranked = results.ranked
    if ranked.empty or ranked["rank_low"].isna().all():
        return None
    basis = basis_of(ranked["rank_basis"])
    labels = rank_labels(ranked["rank"], ranked["rank_basis"])
    data = pd.DataFrame(
        {
            "country": ranked["country"].to_list(),
            "rank": ranked["rank"].astype(int).to_list(),
            "rank_low": ranked["rank_low"].astype(int).to_list(),
            "rank_high": ranked["rank_high"].astype(int).to_list(),
            "rank_label": labels,
            "url": country_urls(ranked.index.to_series()),
        }
    )
    width = data["rank_high"] - data["rank_low"]
    widest = data.loc[width.idxmax()]
    narrow = int((width == 0).sum())
    description = (
        f"Dot and bar chart of the {spec.title} ranks of {len(data)} countries: a dot at each rank and a "
        f"bar over the range it takes in 90 % of the draws of the uncertainty analysis (5–95 %); the "
        f"widest is {possessive(widest['country'])} ({widest['rank_low']}–{widest['rank_high']}), "
        f"{narrow} {'country keeps its' if narrow == 1 else 'countries keep their'} rank in every such draw"
        f"{_marked_ranks(basis)}."
    )
    table = data[["rank_label", "country", "rank_low", "rank_high"]].rename(
        columns={"rank_label": "rank", "rank_low": "5 % rank", "rank_high": "95 % rank"}
    )
    title = f"{spec.title}: rank with its 5–95 % interval"
    lowest = int(max(data["rank_high"].max(), data["rank"].max()))
    built = RANK_INTERVALS.spec(
        [data], title, description, order=tuple(data["country"]), lowest=lowest, basis=basis
    )
    return Chart(f"intervals-{spec.id}", title, description, built, table)


def _marked_ranks(basis: Basis) -> str:
    # what a description says of marked ranks ("; ranks marked est. are estimates")
    return "".join(f"; ranks marked{label(b)} are {basis_noun((b,))}" for b in basis)


def _rank_intervals(data: Data, *, order: tuple[str, ...], lowest: int, basis: Basis) -> alt.TopLevelMixin:
    tooltip = [
        alt.Tooltip("country:N", title="Country"),
        alt.Tooltip("rank_label:N", title=marked("Rank", basis)),
        alt.Tooltip("rank_low:Q", title="Interval from (5 %)"),
        alt.Tooltip("rank_high:Q", title="Interval to (95 %)"),
    ]
    scale = alt.Scale(domain=[1, lowest], nice=False, zero=False)
    base = alt.Chart().encode(y=alt.Y("country:N", sort=list(order), title=None), tooltip=tooltip, href=LINK)
    bars = base.mark_bar(color="#4e79a7", opacity=0.35, height=10).encode(
        x=alt.X("rank_low:Q", title="Overall rank (1 = highest), 5–95 % interval", scale=scale),
        x2="rank_high:Q",
    )
    # dark blue on a light page, light blue on a dark one (7.4:1 against Material's slate)
    dots = base.mark_point(color=in_dark("#1f3b57", "#8ab4e0"), filled=True, size=50, opacity=1).encode(
        x=alt.X("rank:Q", scale=scale)
    )
    layered = alt.layer(bars, dots, data=data).add_params(dark_mode())
    return layered.properties(width=WIDTH, height=16 * len(order))


RANK_INTERVALS = Family(_rank_intervals)


def profile(results: Results, iso3: str) -> Chart:
    """One country's objective scores, with the cohort median of each objective as a tick."""
    spec = results.spec
    data, table = _profile_rows(results)[iso3]
    country = results.overall.loc[iso3, "country"]
    basis = basis_of([results.overall.loc[iso3, "basis"]])
    table = basis_columns(table, {"score": 0, "median": 0, "rank": None}, basis)
    best = data.loc[data["score"].sort_values(ascending=False).index[0]]
    description = (
        f"Bar chart of {possessive(country)} {len(data)} objective scores in {spec.title}, "
        "each against the median of the ranked countries (red tick); "
        f"highest: {best['objective_name']} at {best['score']:.{places(1, basis)}f}"
        f"{basis_clause(basis, 'scores')}."
    )
    title = f"{spec.title}: {country}, objective scores against the median"
    built = PROFILE.spec(
        [data], title, description, sort=objective_order(results), bars=len(data), basis=basis
    )
    return Chart(f"profile-{spec.id}-{iso3.lower()}", title, description, built, table)


@per_results
def _profile_rows(results: Results) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Each country's profile rows (objective_name, score, median, capability, intent, place: the rank
    in words, url: the objective's page) and table."""
    names = objective_names(results)
    objectives = results.objectives
    ranked_ids = results.overall.index[results.overall["ranked"]]
    median = objectives[objectives["iso3"].isin(ranked_ids)].groupby("objective")["score"].median()
    rows = objectives.copy()
    rows["objective_name"] = rows["objective"].map(names)
    rows["median"] = rows["objective"].map(median).round(2)
    rows["score"] = rows["score"].round(2)
    rows["capability"] = rows["capability"].round(1)
    rows["intent"] = rows["intent"].round(2)
    rows["place"] = objective_places(results)
    rows["url"] = [page_url("objective", o) for o in rows["objective"]]
    data = rows[["objective_name", "score", "median", "capability", "intent", "place", "url"]]
    table = data.rename(columns={"objective_name": "objective"})[["objective", "score", "median", "place"]]
    table = table.rename(columns={"place": "rank"})
    tables = dict(list(table.groupby(rows["iso3"], sort=False)))
    return {iso3: (frame, tables[iso3]) for iso3, frame in data.groupby(rows["iso3"], sort=False)}


def _profile(data: Data, *, sort: tuple[str, ...], bars: int, basis: Basis = PUBLISHED) -> alt.TopLevelMixin:
    tooltip = [
        alt.Tooltip("objective_name:N", title="Objective"),
        number_tooltip("score", places(2, basis), basis, "Score"),
        number_tooltip("median", places(2, basis), basis, "Median of ranked countries"),
        number_tooltip("capability", places(1, basis), basis, "Capability"),
        number_tooltip("intent", places(2, basis, unit_scale=True), basis, "Intent"),
        alt.Tooltip("place:N", title=marked("Rank", basis)),
    ]
    base = alt.Chart().encode(y=alt.Y("objective_name:N", sort=list(sort), title=None), href=LINK)
    axis_title = marked("Objective score (0–100)", basis)
    score = base.mark_bar(color="#4e79a7").encode(
        x=alt.X("score:Q", title=axis_title, scale=alt.Scale(domain=[0, 100]), axis=TENS),
        tooltip=tooltip,
    )
    # the tick's legend: a red stroke like the tick, naming what it marks
    median = alt.Color(
        "mark:N",
        scale=alt.Scale(domain=[MEDIAN], range=["#e15759"]),
        legend=alt.Legend(orient="bottom", title=None, symbolType=TICK_SYMBOL, symbolStrokeWidth=0),
    )
    ticks = (
        base.mark_tick(thickness=3, size=18)
        .encode(x="median:Q", color=median, tooltip=tooltip)
        .transform_calculate(mark=f"'{MEDIAN}'")
    )
    # the data goes on the layer once: Altair would otherwise compare the subcharts' frames by repr()
    return alt.layer(score, ticks, data=data).properties(width=WIDTH, height=28 * bars)


PROFILE = Family(_profile)
MEDIAN = "median of the ranked countries"
TICK_SYMBOL = "M-0.15,-1H0.15V1H-0.15Z"  # an upright bar, the shape of the median tick (a legend symbol)


def capability_intent(results: Results, iso3: str) -> Chart:
    """One country's capability (0–100) and intent (shown ×100) per objective, side by side."""
    spec = results.spec
    order = objective_order(results)
    long = _capability_intent_rows(results).get(iso3, _NO_MEASURES)
    country = results.overall.loc[iso3, "country"]
    basis = basis_of([results.overall.loc[iso3, "basis"]])
    description = (
        f"Paired bar chart of {possessive(country)} capability and intent on each objective of {spec.title}; "
        "intent is shown multiplied by 100 to share the 0–100 axis"
        f"{basis_clause(basis, 'values')}."
    )
    values = long["value"]
    if basis:  # a capability to the whole point, an intent to one decimal (×100: tens)
        values = values.where(long["measure"] == CAPABILITY, (values / 100).round(1) * 100).round(0)
        shown = basis_columns(values.to_frame(), {"value": 0}, basis)
        long = long.assign(shown=shown[marked("value", basis)])
    # one column per measure the country has a value of, one row per objective
    by_measure: dict[str, dict[str, float]] = {}
    for name, measure, value in zip(long["objective_name"], long["measure"], values, strict=True):
        by_measure.setdefault(measure, {})[name] = value
    table = pd.DataFrame(
        {"objective": list(order)}
        | {measure: [by_measure[measure].get(o, math.nan) for o in order] for measure in sorted(by_measure)}
    )
    table = basis_columns(table, dict.fromkeys(sorted(by_measure), 0), basis)
    title = f"{spec.title}: {country}, capability and intent"
    built = CAPABILITY_INTENT.spec([long], title, description, sort=order, basis=basis)
    return Chart(f"capint-{spec.id}-{iso3.lower()}", title, description, built, table)


CAPABILITY, INTENT = "Capability (0–100)", "Intent (0–1, ×100)"
_NO_MEASURES = pd.DataFrame({"objective_name": [], "measure": [], "value": [], "url": []}).astype(
    {"objective_name": object, "measure": object, "value": float, "url": object}
)


@per_results
def _capability_intent_rows(results: Results) -> dict[str, pd.DataFrame]:
    """Each country's capability and intent values (objective_name, measure, value, url: the objective's
    page), long, without gaps."""
    rows = results.objectives
    names = rows["objective"].map(objective_names(results))
    values = {CAPABILITY: rows["capability"].round(1), INTENT: (rows["intent"] * 100).round(1)}
    long = pd.concat(
        [pd.DataFrame({"objective_name": names, "measure": m, "value": v}) for m, v in values.items()],
        ignore_index=True,
    )
    urls = [page_url("objective", o) for o in rows["objective"]]
    long["url"] = urls + urls
    country = pd.concat([rows["iso3"], rows["iso3"]], ignore_index=True)
    present = long["value"].notna()
    return dict(list(long[present].groupby(country[present], sort=False)))


def _capability_intent(long: Data, *, sort: tuple[str, ...], basis: Basis = PUBLISHED) -> alt.TopLevelMixin:
    value = (
        alt.Tooltip("shown:N", title=marked("Value", basis))
        if basis
        else alt.Tooltip("value:Q", title="Value", format=".1f")
    )
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("objective_name:N", sort=list(sort), title=None),
            yOffset=alt.YOffset("measure:N"),
            x=alt.X(
                "value:Q", title="Capability and intent (×100)", scale=alt.Scale(domain=[0, 100]), axis=TENS
            ),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(
                    domain=["Capability (0–100)", "Intent (0–1, ×100)"], range=["#59a14f", "#f28e2b"]
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            href=LINK,
            tooltip=[
                alt.Tooltip("objective_name:N", title="Objective"),
                alt.Tooltip("measure:N", title="Measure"),
                value,
            ],
        )
        .properties(width=WIDTH, height=24 * len(sort))
    )


CAPABILITY_INTENT = Family(_capability_intent)


def history(history_rows: pd.DataFrame, country: str, iso3: str) -> Chart:
    """A country's overall rank across editions; `history_rows` are its rows of `change.history`.
    Editions mix published, estimated and assessed values, so an estimate or an assessed value is marked
    on its point: in the tooltip and the table a rank reads "17 est." or "17 assessed", a score "44 est."
    or "44 assessed" (to the whole point, `places`)."""
    ranked = history_rows[history_rows["rank"].notna()]
    data = pd.DataFrame(
        {
            "edition": ranked["title"],
            "year": ranked["year"],
            "rank": ranked["rank"].astype(int),
            "score": ranked["score"].round(2),
            # a point stands for the country in one edition: it links to that edition's ranking
            "url": [page_url("ranking", e) for e in ranked["edition"]],
        }
    )
    labelled = bool(basis_of(ranked["basis"], ranked["rank_basis"]))
    table = data[["edition", "rank", "score"]]
    if labelled:
        scores = [
            f"{s:.{places(2, basis_of([b]))}f}{label(b)}"
            for s, b in zip(ranked["score"], ranked["basis"], strict=True)
        ]
        data = data.assign(rank_label=rank_labels(ranked["rank"], ranked["rank_basis"]), score_label=scores)
        table = data[["edition", "rank_label", "score_label"]].rename(
            columns={"rank_label": "rank", "score_label": "score"}
        )
    ranks = ", ".join(f"{year}: {rank}" for year, rank in zip(data["year"], table["rank"], strict=True))
    by_edition = ranks or "not ranked in any edition"
    description = f"Line chart of {possessive(country)} overall rank by edition ({by_edition})."
    title = f"{country}: rank across editions"
    built = HISTORY.spec([data], title, description, lowest=int(history_rows["of"].max()), labelled=labelled)
    return Chart(f"history-{iso3.lower()}", title, description, built, table)


def _history(data: Data, *, lowest: int, labelled: bool = False) -> alt.TopLevelMixin:
    tooltip = (
        [
            alt.Tooltip("edition:N"),
            alt.Tooltip("rank_label:N", title="rank"),
            alt.Tooltip("score_label:N", title="score"),
        ]
        if labelled
        else [alt.Tooltip("edition:N"), alt.Tooltip("rank:Q"), alt.Tooltip("score:Q", format=".2f")]
    )
    base = alt.Chart().encode(
        x=alt.X("year:O", title="Edition year"),
        y=alt.Y(
            "rank:Q", title="Overall rank (1 = highest)", scale=alt.Scale(reverse=True, domain=[1, lowest])
        ),
        tooltip=tooltip,
    )
    # the points, not the line, link (to the edition's ranking): a link per point would cut the line up
    line = base.mark_line()
    points = base.mark_point(filled=True, size=80, opacity=1).encode(href=LINK)
    return alt.layer(line, points, data=data).properties(width=WIDTH, height=180)


HISTORY = Family(_history)
