"""Change between editions: how a country's rank and score moved since the edition before.

Scores of two editions are not strictly comparable (each normalises over its own cohort, and editions
may measure different objectives); rank movement is the safer reading, and both are reported.
"""

from __future__ import annotations

import pandas as pd

from scoring.method.engine import Results


def movement(previous: Results, current: Results) -> pd.DataFrame:
    """Per country of `current`: previous_rank, rank_change (positive = moved up), previous_score,
    score_change (0–100 points).

    A change is given only between figures that are both published: rank_change where both ranks'
    `rank_basis` is published, score_change where both countries' `basis` is published. A movement
    between estimates would be an artefact of the estimation, not news."""
    columns = {
        "rank": "previous_rank",
        "score": "previous_score",
        "rank_basis": "previous_rank_basis",
        "basis": "previous_basis",
    }
    before = previous.overall[list(columns)].rename(columns=columns)
    table = current.overall[["rank", "score", "rank_basis", "basis"]].join(before, how="left")
    ranks = (table["rank_basis"] == "published") & (table["previous_rank_basis"] == "published")
    scores = (table["basis"] == "published") & (table["previous_basis"] == "published")
    table["rank_change"] = (table["previous_rank"] - table["rank"]).where(ranks).astype("Int64")
    table["score_change"] = (table["score"] - table["previous_score"]).where(scores & table["score"].notna())
    return table[["previous_rank", "rank_change", "previous_score", "score_change"]]


def previous_of(results: dict[str, Results], edition_id: str) -> Results | None:
    """The latest edition published before `edition_id` (by year), if any."""
    current = results[edition_id].spec
    earlier = [r for r in results.values() if (r.spec.year, r.spec.id) < (current.year, current.id)]
    return max(earlier, key=lambda r: (r.spec.year, r.spec.id)) if earlier else None


def history(results: dict[str, Results]) -> pd.DataFrame:
    """Every country's rank and score in every edition, oldest first, with the change since the
    previous edition: iso3, edition, title, year, rank, rank_basis (published or estimated), score,
    basis (of the country's values: published or estimated), ranked, of (ranked countries),
    rank_change, score_change."""
    frames = []
    for edition_id, result in results.items():
        frame = result.overall[["rank", "rank_basis", "score", "basis", "ranked"]].reset_index()
        frame["edition"], frame["title"], frame["year"] = edition_id, result.spec.title, result.spec.year
        frame["of"] = int(result.overall["ranked"].sum())
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    table["rank_change"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table["score_change"] = float("nan")
    for edition_id, result in results.items():
        previous = previous_of(results, edition_id)
        if previous is None:
            continue
        moved = movement(previous, result)
        rows = table["edition"] == edition_id
        table.loc[rows, "rank_change"] = table.loc[rows, "iso3"].map(moved["rank_change"]).to_numpy()
        table.loc[rows, "score_change"] = table.loc[rows, "iso3"].map(moved["score_change"]).to_numpy()
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
