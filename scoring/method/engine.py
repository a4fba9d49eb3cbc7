"""The scoring pipeline: one edition's data and definition in, frozen results out.

`run(edition, countries)` is the one entry point. It is pure (no disk), vectorised over countries, and
every choice it makes is read from the edition's `IndexSpec`, so a variant is `run(replace(...))`.
It leaves the rank intervals empty: `with_intervals` adds them from the uncertainty analysis (many
variants at once, in `uncertainty.py`), and `run_all` does both for every edition.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from scoring.inputs.errors import Collector, DefinitionError
from scoring.inputs.load import EditionData, Project
from scoring.inputs.spec import IndexSpec
from scoring.method import aggregate, normalise, posture, uncertainty
from scoring.method.facts import published_ranks
from scoring.method.rank import rank_descending


@dataclass(frozen=True)
class Results:
    """One edition's results.

    - `overall`: one row per country (index iso3), best first: country, score, capability, intent,
      rank, offense, defense, balance, offense_intent, defense_intent, orientation, offense_rank,
      offense_tier, posture, capability_rank, intent_rank, activation, ranked, coverage, reason, basis,
      rank_basis, rank_low, rank_high (the posture readings: `posture.py`); score, capability, offense,
      defense on 0–100, intent, offense_intent, defense_intent and coverage 0–1, balance and
      orientation −1…+1; rank <NA> when not ranked; rank_low and
      rank_high (the 5–95 % rank interval) <NA> without `intervals`. A working frame read by column name:
      what the downloads publish, and in which order, is declared in `scoring/outputs/columns.py`.
    - `objectives`: one row per country and objective: iso3, objective, capability (0–100),
      intent (0–1), score (0–100), rank, basis, rank_low, rank_high.
    - `normalised`: the oriented 0–1 value of each (country, objective, indicator) used, long format:
      iso3, objective, indicator, value; no rows in an edition given per objective (a given
      capability is not normalised).
    - `indicators`: the raw indicator rows as read (iso3, indicator, value, basis, source), so every
      figure can be traced to its value and source; no rows in an edition given per objective.

    Both kinds of edition give the same shape: only `spec.has_indicator_level` tells them apart.
    """

    spec: IndexSpec
    overall: pd.DataFrame
    objectives: pd.DataFrame
    normalised: pd.DataFrame
    indicators: pd.DataFrame
    intervals: uncertainty.Intervals | None = None  # the uncertainty analysis, when it was run

    @property
    def estimated(self) -> bool:
        """Whether any value of the edition is an estimate (basis `estimated`)."""
        return bool((self.overall["basis"] == "estimated").any())

    @property
    def estimated_ranks(self) -> bool:
        """Whether any rank of the edition is an estimate (rank_basis `estimated`)."""
        return bool((self.overall["rank_basis"] == "estimated").any())

    @property
    def assessed(self) -> bool:
        """Whether any country's figures rest on this project's analysts' own values (basis `assessed`)."""
        return bool((self.overall["basis"] == "assessed").any())

    @property
    def assessed_ranks(self) -> bool:
        """Whether any rank of the edition is the analysts' assessment (rank_basis `assessed`)."""
        return bool((self.overall["rank_basis"] == "assessed").any())

    @functools.cached_property
    def ranked(self) -> pd.DataFrame:
        """The ranked countries, best first (computed once: every country page asks)."""
        return self.overall[self.overall["ranked"]].sort_values(["rank", "country"])


def run(edition: EditionData, countries: pd.DataFrame) -> Results:
    """Score one edition. `countries` is indexed by iso3 with a `name` column.

    Capabilities, scores, offense and defense come out on 0–100, intents on 0–1. Only ranked countries
    get capabilities, scores and a posture; every listed country keeps its intents.
    """
    spec = edition.spec
    objective_ids = list(spec.objective_ids)
    s = _scored(edition)
    index, intents, scores, capability, ranked = s.index, s.intents, s.scores, s.capability, s.ranked
    coverage, per_objective, has_intents = s.coverage, s.per_objective, s.has_intents
    basis_rows = pd.concat([edition.values[["iso3", "basis"]], edition.intents[["iso3", "basis"]]])
    share = spec.method.min_capability_share

    weights = pd.Series({o.id: o.weight for o in spec.objectives})
    overall = pd.DataFrame(index=index)
    overall["country"] = countries["name"].reindex(index)
    overall["score"] = s.score
    overall["capability"] = aggregate.weighted_mean(capability, weights, "arithmetic")
    overall["intent"] = aggregate.weighted_mean(intents, weights, "arithmetic")
    overall["rank"] = rank_descending(overall["score"])
    overall = overall.join(posture.classify(scores, intents, spec.posture))
    overall["capability_rank"] = rank_descending(overall["capability"])
    overall["intent_rank"] = rank_descending(overall["intent"].where(ranked))
    overall["activation"] = posture.activation(
        overall["capability_rank"], overall["intent_rank"], spec.posture.activation_gap
    )
    overall["ranked"] = ranked
    overall["coverage"] = coverage
    overall["reason"] = _reasons(coverage, per_objective, has_intents, share, spec)
    overall["basis"] = _country_basis(basis_rows, index)
    overall["rank_basis"] = _rank_basis(overall, published_ranks(edition.facts))
    overall["rank_low"] = overall["rank_high"] = pd.array([pd.NA] * len(overall), dtype="Int64")
    overall.index.name = "iso3"
    overall = overall.sort_values(["rank", "country"], na_position="last")

    objective_ranks = rank_descending(scores)
    long = pd.DataFrame(
        {
            "capability": capability.stack(future_stack=True),
            "intent": intents.stack(future_stack=True),
            "score": scores.stack(future_stack=True),
            "rank": objective_ranks.stack(future_stack=True),
        }
    )
    long.index.names = ["iso3", "objective"]
    long = long.reset_index()
    long["basis"] = long["iso3"].map(overall["basis"])
    long["rank_low"] = long["rank_high"] = pd.array([pd.NA] * len(long), dtype="Int64")
    order = {o: i for i, o in enumerate(objective_ids)}
    long = long.sort_values(["iso3", "objective"], key=lambda s: s.map(order) if s.name == "objective" else s)
    given = {u.id for o in spec.objectives for u in o.indicators if u.given}
    measured = edition.values[~edition.values["indicator"].isin(given)]
    return Results(spec, overall, long.reset_index(drop=True), s.normalised, measured)


@dataclass(frozen=True)
class Scored:
    """The steps of `run` that the overall rank rests on, by country (`index`)."""

    index: pd.Index
    intents: pd.DataFrame  # wide: one column an objective
    coverage: pd.Series
    per_objective: pd.DataFrame  # whether the country has a value for some indicator of each objective
    has_intents: pd.Series
    ranked: pd.Series  # also the normalisation cohort
    capability: pd.DataFrame
    normalised: pd.DataFrame
    scores: pd.DataFrame  # NaN for every country that is not ranked
    score: pd.Series  # overall
    spec: IndexSpec  # the definition it was scored by
    wide: tuple[pd.DataFrame, pd.DataFrame]  # the edition's values and intents, one column each


def _scored(edition: EditionData, normalised: bool = True, like: Scored | None = None) -> Scored:
    """With `normalised` False, `Scored.normalised` is left empty: the ranks do not need it. `like`:
    what `_scored` gave for another definition of the same data (`overall_ranks`)."""
    spec = edition.spec
    wide = (
        like.wide
        if like
        else (_wide(edition.values, "indicator", "value"), _wide(edition.intents, "objective", "intent"))
    )
    intents = wide[1].reindex(columns=list(spec.objective_ids))
    values = wide[0].reindex(columns=list(spec.capability_inputs()))
    index = intents.index.union(values.index)
    values, intents = values.reindex(index), intents.reindex(index)
    coverage = values.notna().mean(axis=1)
    per_objective = pd.DataFrame(
        {o.id: values[[u.id for u in o.indicators]].notna().any(axis=1) for o in spec.objectives}
    )
    has_intents = intents.notna().all(axis=1)
    ranked = (coverage >= spec.method.min_capability_share) & per_objective.all(axis=1) & has_intents
    # an objective defined as in `like`, over the same cohort, has the same capabilities: each indicator
    # is normalised over the cohort on its own (`normalise`)
    same: dict[str, pd.Series] = {}
    if like is not None and like.spec.method == spec.method and like.ranked.equals(ranked):
        before = {o.id: o for o in like.spec.objectives}
        same = {o.id: like.capability[o.id] for o in spec.objectives if before.get(o.id) == o}
    capability, used = _capabilities(spec, values[ranked], normalised, same)
    capability = capability.reindex(index)
    scores = capability * intents
    weights = pd.Series({o.id: o.weight for o in spec.objectives})
    score = aggregate.weighted_mean(scores, weights, spec.method.overall, scale=100.0)
    return Scored(
        index,
        intents,
        coverage,
        per_objective,
        has_intents,
        ranked,
        capability,
        used,
        scores,
        score,
        spec,
        wide,
    )


def overall_ranks(edition: EditionData, like: Scored | None = None) -> pd.Series:
    """`run(edition, countries).overall["rank"]`, by iso3, without the rest of `run` (posture, ranks
    per objective, bases): for the audit's many variants of an edition. `like`: `scored(...)` of an
    edition with the same data (`values`, `intents`) and another definition, whose steps are taken
    where they are the same (the data in wide form, the capabilities of objectives defined alike)."""
    return rank_descending(_scored(edition, normalised=False, like=like).score)


def scored(edition: EditionData) -> Scored:
    """The steps of scoring `edition` that its overall ranks rest on (`overall_ranks`' `like`)."""
    return _scored(edition, normalised=False)


def _country_basis(rows: pd.DataFrame, index: pd.Index) -> np.ndarray:
    """Per country, what its figures rest on: `estimated` when any of its values is (model-filled),
    else `assessed` when any is this project's analysts' own, else `published`."""
    flags = rows.assign(e=rows["basis"].eq("estimated"), a=rows["basis"].eq("assessed")).groupby("iso3")
    estimated = flags["e"].any().reindex(index, fill_value=False)
    assessed = flags["a"].any().reindex(index, fill_value=False)
    return np.where(estimated, "estimated", np.where(assessed, "assessed", "published"))


def _rank_basis(overall: pd.DataFrame, published: dict[str, float]) -> pd.Series:
    """`published` where the rank equals the overall rank the authors published (a fact in the
    edition's facts.csv), None when not ranked; otherwise `assessed` when the edition has analysts'
    assessed values and none of the country's own values is estimated, else `estimated`. The same rule
    for every edition: a rank computed from published data but never published itself is not called
    published."""
    confirmed = (
        pd.Series(overall.index.map(lambda i: published.get(i)), index=overall.index) == overall["rank"]
    )
    assessed = overall["basis"].eq("assessed") | (
        overall["basis"].eq("published") & overall["basis"].eq("assessed").any()
    )
    basis = np.where(confirmed.fillna(False), "published", np.where(assessed, "assessed", "estimated"))
    return pd.Series(basis, index=overall.index, dtype=object).where(overall["ranked"], None)


def _wide(frame: pd.DataFrame, column: str, value: str) -> pd.DataFrame:
    return frame.pivot(index="iso3", columns=column, values=value).astype(float)


def _capabilities(
    spec: IndexSpec, cohort: pd.DataFrame, normalised: bool = True, known: dict[str, pd.Series] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Capability (0–100) per cohort country and objective, and the oriented 0–1 values used (in long
    form; with `normalised` False, none: making them is most of the time that the capabilities take).
    The capabilities of the objectives in `known` are taken from it (with `normalised` False only).

    An objective's capability is 100 × the weighted mean (`method.aggregation`) of its indicators'
    values, normalised over the cohort and oriented; a given capability (`IndicatorUse.given`) is
    the value itself, passed through."""
    method = spec.method.normalisation
    measured = cohort[list(spec.used_indicators())]
    scaled = None if method == "goalposts" else normalise.scale(measured, method)
    capabilities = {}
    pieces = []
    for objective in spec.objectives:
        if known and objective.id in known and not normalised:
            capabilities[objective.id] = known[objective.id]
            continue
        given = [u.id for u in objective.indicators if u.given]
        if given:
            capabilities[objective.id] = cohort[given[0]]
            continue
        ids = [u.id for u in objective.indicators]
        if scaled is None:  # goalposts may differ per objective
            posts = {u.id: u.goalposts for u in objective.indicators if u.goalposts is not None}
            part = normalise.scale(cohort[ids], "goalposts", posts)
        else:
            part = scaled[ids]
        oriented = normalise.orient(part, {u.id: u.direction for u in objective.indicators})
        weights = pd.Series({u.id: u.weight for u in objective.indicators})
        capabilities[objective.id] = 100.0 * aggregate.weighted_mean(
            oriented, weights, spec.method.aggregation
        )
        if not normalised:
            continue
        piece = oriented.stack(future_stack=True).rename("value").reset_index()
        piece.columns = ["iso3", "indicator", "value"]
        pieces.append(piece.assign(objective=objective.id))
    capability = pd.DataFrame(capabilities, index=cohort.index)
    columns = ["iso3", "objective", "indicator", "value"]
    used = pd.concat(pieces, ignore_index=True)[columns] if pieces else _empty(columns)
    return capability, used


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float if c == "value" else object) for c in columns})


def _reasons(
    coverage: pd.Series, per_objective: pd.DataFrame, has_intents: pd.Series, share: float, spec: IndexSpec
) -> pd.Series:
    """Why each unranked country is not ranked ('' for the ranked)."""
    what = "indicators" if spec.has_indicator_level else "objectives"  # what the inputs are called
    total = len(spec.capability_inputs())
    reasons = pd.Series("", index=coverage.index, dtype=object)
    for iso3 in coverage.index:
        if coverage[iso3] < share:
            reasons[iso3] = (
                f"capability data for {round(coverage[iso3] * total)} of {total} {what} "
                f"({coverage[iso3]:.0%}); ranking needs at least {share:.0%}"
            )
        elif not per_objective.loc[iso3].all():
            missing = ", ".join(o for o in per_objective.columns if not per_objective.loc[iso3, o])
            reasons[iso3] = f"no capability data for {missing}"
        elif not has_intents[iso3]:
            reasons[iso3] = "intent is missing for at least one objective"
    return reasons


def with_intervals(results: Results, edition: EditionData, draws: int | None = None) -> Results:
    """`results` with the uncertainty analysis of its ranked countries: `intervals`, and the 5–95 %
    interval in the rank_low and rank_high columns of `overall` and `objectives`.

    `draws`: None takes the definition's `draws`; 0, or a definition without `[uncertainty]`, leaves
    the results as they are."""
    ranked = results.overall.index[results.overall["ranked"]]
    intervals = uncertainty.analyse(edition, list(ranked), draws)
    if intervals is None:
        return results
    overall = results.overall.copy()
    for column in ("rank_low", "rank_high"):
        overall[column] = intervals.overall[column].reindex(overall.index).astype("Int64")
    keys = ["iso3", "objective"]
    found = results.objectives[keys].merge(intervals.objectives, on=keys, how="left")
    objectives = results.objectives.copy()
    for column in ("rank_low", "rank_high"):
        objectives[column] = found[column].astype("Int64").to_numpy()
    return replace(results, overall=overall, objectives=objectives, intervals=intervals)


def run_all(
    project: Project, draws: int | None = None, known: Mapping[str, Results] | None = None
) -> dict[str, Results]:
    """Results of every edition of a loaded `Project`, oldest first, with rank intervals where the
    definition asks for them (`draws`: None, each definition's own number; 0, none). `known`: results
    of editions scored before from the very same inputs (edition files, definition, countries, `draws`),
    taken as they are.

    An edition in which no country meets the ranking rule has no ranking to show: that raises a
    DefinitionError at the definition's coverage setting, with the first country's reason."""
    known = known or {}
    results = {
        edition_id: known[edition_id]
        if edition_id in known
        else with_intervals(run(edition, project.countries), edition, draws)
        for edition_id, edition in project.editions.items()
    }
    problems = Collector()
    for edition_id, result in results.items():
        if not result.overall["ranked"].any():
            first = result.overall.iloc[0] if len(result.overall) else None
            why = f" ({first['country']}: {first['reason']})" if first is not None else ""
            line, column = result.spec.locate(("method", "min_capability_share"))
            problems.add(
                result.spec.path,
                line,
                column,
                f"no country of {edition_id} can be ranked{why}",
                "add capability and intent data, or lower min_capability_share",
            )
    problems.raise_if_any(DefinitionError)
    return results
