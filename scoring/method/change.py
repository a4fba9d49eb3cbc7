"""Change between editions: how a country's rank and score moved since the edition before.

Scores of two editions are not strictly comparable (each normalises over its own cohort, and editions
may measure different objectives); rank movement is the safer reading, and both are reported.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.method.engine import Results


def change_basis(before: pd.Series, after: pd.Series) -> pd.Series:
    """What a change between two ranks rests on, from their `rank_basis`: `published` when both are,
    `estimated` when either is an estimate, `assessed` when either is the analysts' assessment (and
    neither an estimate); None when either is missing (not ranked)."""
    estimated = before.isin(["estimated"]) | after.isin(["estimated"])
    assessed = before.isin(["assessed"]) | after.isin(["assessed"])
    words = np.where(estimated, "estimated", np.where(assessed, "assessed", "published"))
    basis = pd.Series(words, index=after.index, dtype=object)
    return basis.where(before.notna() & after.notna(), None)


def movement(previous: Results, current: Results) -> pd.DataFrame:
    """Per country of `current`: previous_rank, rank_change (positive = moved up), change_basis,
    previous_score, score_change (0–100 points).

    A rank change is given between any two ranks, whatever they rest on, and `change_basis` says what
    that is, so a move between estimates is never read as published news. A score change is
    given only where both countries' `basis` is published: scores of estimated editions carry no
    information in their gaps."""
    columns = {
        "rank": "previous_rank",
        "score": "previous_score",
        "rank_basis": "previous_rank_basis",
        "basis": "previous_basis",
    }
    before = previous.overall[list(columns)].rename(columns=columns)
    table = current.overall[["rank", "score", "rank_basis", "basis"]].join(before, how="left")
    scores = (table["basis"] == "published") & (table["previous_basis"] == "published")
    table["rank_change"] = (table["previous_rank"] - table["rank"]).astype("Int64")
    table["change_basis"] = change_basis(table["previous_rank_basis"], table["rank_basis"])
    table["score_change"] = (table["score"] - table["previous_score"]).where(scores & table["score"].notna())
    return table[["previous_rank", "rank_change", "change_basis", "previous_score", "score_change"]]


def previous_of(results: dict[str, Results], edition_id: str) -> Results | None:
    """The latest edition published before `edition_id` (by year), if any."""
    current = results[edition_id].spec
    earlier = [r for r in results.values() if (r.spec.year, r.spec.id) < (current.year, current.id)]
    return max(earlier, key=lambda r: (r.spec.year, r.spec.id)) if earlier else None


def history(results: dict[str, Results]) -> pd.DataFrame:
    """Every country's rank and score in every edition, oldest first, with the change since the
    previous edition: iso3, edition, title, year, rank, rank_basis (published, assessed or estimated),
    score, basis (of the country's values: the same words), ranked, of (ranked countries),
    rank_change, score_change, change_basis (what rank_change rests on: `change_basis`)."""
    frames = []
    for edition_id, result in results.items():
        frame = result.overall[["rank", "rank_basis", "score", "basis", "ranked"]].reset_index()
        frame["edition"], frame["title"], frame["year"] = edition_id, result.spec.title, result.spec.year
        frame["of"] = int(result.overall["ranked"].sum())
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    table["rank_change"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table["score_change"] = float("nan")
    table["change_basis"] = None
    for edition_id, result in results.items():
        previous = previous_of(results, edition_id)
        if previous is None:
            continue
        moved = movement(previous, result)
        rows = table["edition"] == edition_id
        table.loc[rows, "rank_change"] = table.loc[rows, "iso3"].map(moved["rank_change"]).to_numpy()
        table.loc[rows, "score_change"] = table.loc[rows, "iso3"].map(moved["score_change"]).to_numpy()
        table.loc[rows, "change_basis"] = table.loc[rows, "iso3"].map(moved["change_basis"]).to_numpy()
    table = table.sort_values(["iso3", "year"])
    columns = [
        "iso3",
        "edition",
        "title",
        "year",
        "rank",
        "rank_basis",
        "score",
        "basis",
        "ranked",
        "of",
        "rank_change",
        "score_change",
        "change_basis",
    ]
    return table[columns].reset_index(drop=True)


def compare(before: Results, after: Results) -> pd.DataFrame:
    """Every country of either edition, as a reviewer reads a change: country, rank_before,
    rank_after, rank_change (places up, +; Int64), score_before, score_after, score_change (0–100
    points), in (`both`, `new` or `gone`).

    Unlike `movement`, every figure is compared, estimated or published: this is for reviewing an
    edit (two data folders) or a new edition, not for publishing a change as news."""
    a = before.overall[["country", "rank", "score"]].rename(columns=lambda c: f"{c}_before")
    b = after.overall[["country", "rank", "score"]].rename(columns=lambda c: f"{c}_after")
    table = a.join(b, how="outer")
    table["country"] = table["country_after"].fillna(table["country_before"])
    table["rank_change"] = (table["rank_before"] - table["rank_after"]).astype("Int64")
    table["score_change"] = table["score_after"] - table["score_before"]
    table["in"] = "both"
    table.loc[~table.index.isin(after.overall.index), "in"] = "gone"
    table.loc[~table.index.isin(before.overall.index), "in"] = "new"
    table.index.name = "iso3"
    columns = ["country", "rank_before", "rank_after", "rank_change", "score_before", "score_after"]
    return table[[*columns, "score_change", "in"]]


def objective_changes(before: Results, after: Results) -> pd.DataFrame:
    """Per country and objective of either edition: iso3, objective, score_before, score_after,
    score_change (0–100 points; NaN where either side has no score, such as an objective one edition
    does not measure), ordered by country, then by the size of the change, largest first."""
    a = before.objectives.set_index(["iso3", "objective"])["score"].rename("score_before")
    b = after.objectives.set_index(["iso3", "objective"])["score"].rename("score_after")
    table = pd.concat([a, b], axis=1).reset_index()
    table["score_change"] = table["score_after"] - table["score_before"]
    size = table["score_change"].abs().fillna(table["score_after"].fillna(table["score_before"]).abs())
    table = table.assign(size=size).sort_values(["iso3", "size"], ascending=[True, False], kind="stable")
    return table.drop(columns="size").reset_index(drop=True)
