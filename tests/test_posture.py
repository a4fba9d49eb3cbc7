"""The posture rule: exact readings on hand-made cohorts, the acceptance checks on the shipped editions,
robustness to a niche objective, the comparison of candidate rules and the `[posture]` table."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scoring.inputs.definition import load_spec
from scoring.inputs.errors import DefinitionError
from scoring.inputs.load import EditionData, Project
from scoring.inputs.spec import IndicatorUse, Objective, Posture
from scoring.method import posture, posture_rules
from scoring.method.engine import Results, run

RULE = Posture(("attack", "spy", "niche"), ("guard",), 0.2, -0.2, 8, niche_below=0.1, offense_tiers=3)
COLUMNS = ["attack", "spy", "niche", "guard"]


def _cohort() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Six countries: intents by hand, capability 50 everywhere except A's strong attack capability."""
    intents = pd.DataFrame(
        [
            [0.9, 0.9, 1.0, 0.2],  # A: offense-leaning
            [0.6, 0.6, 0.0, 1.0],  # B: defense-leaning, but the strongest offense (capability 100)
            [0.5, 0.5, 0.0, 0.5],  # C: even
            [0.2, 0.2, 0.0, 0.8],  # D: defense-leaning
            [0.1, 0.1, 0.0, 0.9],  # E
            [0.0, 0.0, 0.0, 0.4],  # F: pursues no offense
        ],
        index=list("ABCDEF"),
        columns=COLUMNS,
    )
    capability = pd.DataFrame(50.0, index=intents.index, columns=COLUMNS)
    capability.loc["B", ["attack", "spy"]] = 100.0
    return capability * intents, intents


def test_readings_by_hand() -> None:
    scores, intents = _cohort()
    frame = posture.classify(scores, intents, RULE)
    # niche has a median intent of 0 < 0.1: left out of orientation, kept in the offense score
    assert frame.loc["A", "offense_intent"] == pytest.approx(0.9)
    assert frame.loc["A", "orientation"] == pytest.approx((0.9 - 0.2) / 1.1)
    assert frame.loc["A", "offense"] == pytest.approx((45 + 45 + 50) / 3)
    assert frame.loc["F", "orientation"] == pytest.approx(-1.0)
    assert list(frame["offense_rank"]) == [1, 2, 3, 4, 5, 6]  # B: (60 + 60 + 0) / 3 = 40
    # standing (6 − rank) / 5: strong ≥ 2/3 (ranks 1–2), weak ≤ 1/3 (ranks 5–6)
    assert list(frame["offense_tier"]) == ["strong", "strong", "moderate", "moderate", "weak", "weak"]
    # B leans to defense (−0.25) but its offense is strong: balanced, not defensive
    assert list(frame["posture"]) == [
        "attack-heavy",
        "balanced",
        "balanced",
        "defensive",
        "defensive",
        "defensive",
    ]


def test_rows_outside_the_cohort_get_no_reading() -> None:
    scores, intents = _cohort()
    scores.loc["F", "guard"] = np.nan  # F is not ranked
    frame = posture.classify(scores, intents, RULE)
    assert frame.loc["F", "posture"] is None and frame.loc["F", "offense_tier"] is None
    assert pd.isna(frame.loc["F", "orientation"]) and pd.isna(frame.loc["F", "offense_rank"])
    assert frame.loc["E", "offense_tier"] == "weak"  # the cohort is five countries now


def test_a_group_of_only_niche_objectives_still_counts() -> None:
    intents = np.array([[0.0, 0.5], [0.0, 0.4], [0.3, 0.2]])
    shared = posture.common(intents, 0.1)
    assert list(shared) == [False, True]
    assert posture.group_intent(intents, shared, [0]) == pytest.approx([0.0, 0.0, 0.3])


def test_the_array_helpers_take_draws_as_a_leading_axis() -> None:
    scores, intents = _cohort()
    one = posture.classify(scores, intents, RULE)
    stacked = np.stack([intents.to_numpy()] * 3)  # draws × countries × objectives
    shared = posture.common(stacked, RULE.niche_below)
    assert shared.shape == (3, 4)
    orientation = posture.balance(
        posture.group_intent(stacked, shared, [0, 1, 2]), posture.group_intent(stacked, shared, [3])
    )
    assert np.allclose(orientation, one["orientation"].to_numpy()[None, :])


# --- the shipped editions ------------------------------------------------------------------------------


def test_acceptance_on_both_editions(results: dict[str, Results]) -> None:
    """From the data alone: North Korea 2022 attack-heavy; the Republic of Korea 2022 defensive and
    passive; the strongest attackers not defensive in either edition."""
    latest = results["ncpi-2022"].overall
    assert latest.loc["PRK", "posture"] == "attack-heavy"
    assert (latest.loc["KOR", "posture"], latest.loc["KOR", "activation"]) == ("defensive", "passive")
    for result in results.values():
        for iso3 in ("CHN", "RUS", "USA", "GBR", "ISR", "IRN"):
            assert result.overall.loc[iso3, "posture"] != "defensive", (result.spec.id, iso3)
    # China: 3rd on offense of 30 (Russia passes it once the estimates put Russia above the UK on
    # intelligence, as the 2022 report says), its intents lean a little to defense
    assert latest.loc["CHN", "offense_rank"] == 3 and latest.loc["CHN", "offense_tier"] == "strong"
    assert latest.loc["CHN", "orientation"] == pytest.approx(-0.091, abs=0.001)


def _with_niche_objective(edition: EditionData, iso3: str) -> EditionData:
    """The edition with one more offensive objective on which every country has capability 0 and
    intent 0, except `iso3` (capability 100, intent 1)."""
    spec = edition.spec
    niche = Objective(
        "niche",
        "Niche",
        "Pursued by one country.",
        1.0,
        (IndicatorUse("niche", "positive", 1.0, given=True),),
    )
    spec = replace(
        spec,
        objectives=(*spec.objectives, niche),
        posture=replace(spec.posture, offense=(*spec.posture.offense, "niche")),
    )
    countries = edition.intents["iso3"].unique()
    one = (countries == iso3).astype(float)
    rows = pd.DataFrame({"iso3": countries, "basis": "estimated", "source": "synthetic"})
    values = rows.assign(indicator="niche", value=100.0 * one)
    intents = rows.assign(objective="niche", intent=one)
    return replace(
        edition,
        spec=spec,
        values=pd.concat([edition.values, values], ignore_index=True),
        intents=pd.concat([edition.intents, intents], ignore_index=True),
    )


@pytest.mark.parametrize("iso3", ["PRK", "USA"])
def test_a_niche_objective_flips_no_class(project: Project, iso3: str) -> None:
    """An offensive objective on which every country but one scores 0 multiplies the others' offense
    scores by one factor (their order stays) and is left out of the orientation (its median intent is
    0): no posture class changes, nor any orientation or tier."""
    edition = project.editions["ncpi-2022"]
    before = run(edition, project.countries).ranked
    after = run(_with_niche_objective(edition, iso3), project.countries).ranked.reindex(before.index)
    assert (after["posture"] == before["posture"]).all()
    assert (after["offense_tier"] == before["offense_tier"]).all()
    assert np.allclose(after["orientation"], before["orientation"])
    assert after.loc[iso3, "offense"] > before.loc[iso3, "offense"]  # it does add offense


def test_the_first_rule_flips_where_the_new_one_does_not(results: dict[str, Results]) -> None:
    compared = {r.rule.id: r for r in posture_rules.compare(results["ncpi-2022"])}
    assert list(compared) == ["score", "intent", "cohort", "orientation", "posture"]
    first, chosen = compared["score"], compared["posture"]
    assert first.counts == {"attack-heavy": 1, "balanced": 4, "defensive": 25}
    assert first.named["CHN"] == "defensive" and first.changed  # the reading that misled
    assert chosen.counts == {"attack-heavy": 1, "balanced": 9, "defensive": 20}
    assert chosen.changed == [] and compared["orientation"].changed == []
    assert compared["intent"].changed  # the plain mean of intents is diluted by the niche objective
    assert compared["cohort"].named["KOR"] == "balanced"  # relative to the cohort, KOR is typical
    assert chosen.named == {i: results["ncpi-2022"].overall.loc[i, "posture"] for i in chosen.named}


def test_compare_on_an_edition_without_named_countries(tiny_project: Project) -> None:
    result = run(tiny_project.editions["tiny-2022"], tiny_project.countries)
    compared = posture_rules.compare(result)
    assert [r.named for r in compared] == [{}] * len(posture_rules.RULES)
    n = int(result.overall["ranked"].sum())
    assert all(sum(r.counts.values()) == n for r in compared)


# --- the [posture] table -------------------------------------------------------------------------------

TABLE = """[edition]
id = "x-2030"
title = "X"
year = 2030
data_level = "objectives"
sources = []

[method]
# normalisation: none, capability is given per objective
# aggregation: none, there are no indicators to combine
overall = "arithmetic"
min_capability_share = 0.6

[posture]
offense = ["destructive"]
defense = ["defense"]
attack_heavy_at = 0.2
defensive_at = -0.2
activation_gap = 8
{extra}

[objectives.defense]
name = "Defense"
description = ""
weight = 1

[objectives.destructive]
name = "Destructive"
description = ""
weight = 1
"""


def _problems(tmp_path: Path, extra: str) -> list[str]:
    path = tmp_path / "x-2030.toml"
    path.write_text(TABLE.format(extra=extra), encoding="utf-8")
    try:
        load_spec(path)
    except DefinitionError as error:
        return [p.message for p in error.problems]
    return []


def test_the_posture_table_reads_its_settings(tmp_path: Path) -> None:
    path = tmp_path / "x-2030.toml"
    path.write_text(
        TABLE.format(extra='niche_below = 0.05\noffense_tiers = 4\nnamed = ["KOR", "PRK"]'), encoding="utf-8"
    )
    rule = load_spec(path).posture
    assert (rule.niche_below, rule.offense_tiers, rule.named) == (0.05, 4, ("KOR", "PRK"))
    assert _problems(tmp_path, "") == []  # the three are optional: 0.1, 3 and none


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("offense_tiers = 1", "'offense_tiers' must be a whole number from 2 to 10, not 1"),
        ("offense_tiers = 2.5", "'offense_tiers' must be a whole number from 2 to 10, not 2.5"),
        ("niche_below = 1.5", "'niche_below' is 1.5; it must be at least 0 and at most 1"),
        ('named = ["kor"]', "'kor' in 'named' is not a valid id"),
        ("tiers = 3", "unknown key 'tiers' in [posture]"),
    ],
)
def test_the_posture_table_reports_bad_settings(tmp_path: Path, extra: str, message: str) -> None:
    assert _problems(tmp_path, extra) == [message]


def test_an_empty_cohort_reads_nothing() -> None:
    scores, intents = _cohort()
    frame = posture.classify(scores * np.nan, intents, RULE)
    assert frame["posture"].isna().all() and frame["orientation"].isna().all()
