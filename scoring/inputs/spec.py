"""Index definitions as frozen, typed objects (`IndexSpec`); `scoring/definition.py` reads them from
`indices/<edition>.toml`.

A definition declares everything the scoring does for an edition: its objectives, the indicators of each
with direction and weight, the level its data is given at, normalisation, aggregation, the coverage rule,
the posture groups and thresholds, and what the uncertainty analysis varies. A variant of an index is
`dataclasses.replace(spec, ...)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from scoring.inputs.tomlpos import KeyPath, locate

NORMALISATIONS = ("minmax", "zscore", "rank", "goalposts")
AGGREGATIONS = ("arithmetic", "geometric")
DATA_LEVELS = ("indicators", "objectives")
DIRECTIONS = ("positive", "negative")
WEIGHTINGS = ("equal",)  # how a publisher weighted: "equal", every objective and indicator alike
ID = re.compile(r"^[a-z][a-z0-9_]*$")
INDICATOR_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class IndicatorUse:
    """An indicator as one objective uses it."""

    id: str
    direction: str  # "positive": more is stronger; "negative": less is stronger
    weight: float
    goalposts: tuple[float, float] | None = None  # fixed (worst, best) for "goalposts" normalisation
    # True: the value is the objective's capability itself, already on 0–100, passed through as it is
    # (not normalised, not oriented). Never written in a definition: loading gives each objective of an
    # edition with data_level = "objectives" one such use (`with_given_capabilities`).
    given: bool = False


@dataclass(frozen=True)
class Objective:
    id: str
    name: str
    description: str
    weight: float
    indicators: tuple[IndicatorUse, ...] = ()


@dataclass(frozen=True)
class Indicator:
    """An entry of the indicator catalogue: what a raw indicator measures."""

    id: str
    name: str
    unit: str
    description: str = ""


@dataclass(frozen=True)
class Method:
    normalisation: str = "minmax"
    aggregation: str = "arithmetic"  # indicators -> capability
    overall: str = "arithmetic"  # objective scores -> overall score
    min_capability_share: float = 0.6  # 0-1: capability data a country needs to be ranked


@dataclass(frozen=True)
class PublishedMethod:
    """The `[published_method]` table: how the index's publisher computed the edition, so the
    methodology page can say plainly where this definition's `[method]` or weights differ from it.
    `normalisation` and `aggregation` are None in an edition given per objective (they cannot apply)."""

    overall: str
    weights: str  # one of WEIGHTINGS
    normalisation: str | None = None
    aggregation: str | None = None


@dataclass(frozen=True)
class Posture:
    """The `[posture]` table: this project's posture reading (`scoring/method/posture.py`)."""

    offense: tuple[str, ...]
    defense: tuple[str, ...]
    attack_heavy_at: float  # orientation (−1…+1) at or above which a country is "attack-heavy"
    defensive_at: float  # orientation at or below which it is "defensive" (unless its offense is strong)
    activation_gap: int  # rank gap between capability and intent indices that reads as passive/eager
    niche_below: float = 0.1  # an objective with a cohort median intent (0–1) below this: not in orientation
    offense_tiers: int = 3  # equal tiers of the cohort by offense score: the top one strong, the bottom weak
    named: tuple[str, ...] = ()  # countries (iso3) the methodology page's comparison of rules shows


@dataclass(frozen=True)
class Uncertainty:
    """What the Monte Carlo of `scoring/method/uncertainty.py` varies, from `[uncertainty]`.

    Each of `draws` draws (from a generator seeded with `seed`) multiplies every weight by
    U(1 − `weight_perturbation`, 1 + `weight_perturbation`), picks a normalisation from
    `normalisations` and an aggregation from `aggregations` (uniformly; empty: the `[method]` choice
    only), and adds U(−e, +e) to each value whose basis is `estimated`, clipped to its range:
    e = `estimated_capability` (points on 0–100) for capabilities, `estimated_intent` (0–1) for intents;
    likewise `assessed_capability` and `assessed_intent` for the analysts' own values (basis `assessed`),
    which by default (0) are taken as exact.
    """

    draws: int
    seed: int
    weight_perturbation: float = 0.0  # 0 ≤ p < 1
    normalisations: tuple[str, ...] = ()
    aggregations: tuple[str, ...] = ()
    estimated_capability: float = 0.0  # ± points on 0–100
    estimated_intent: float = 0.0  # ± on 0–1
    assessed_capability: float = 0.0  # ± points on 0–100 (0: the analysts' values taken as exact)
    assessed_intent: float = 0.0  # ± on 0–1


@dataclass(frozen=True)
class IndexSpec:
    """One edition's index definition."""

    id: str
    title: str
    year: int
    data_level: str
    sources: tuple[str, ...]
    summary: str
    method: Method
    posture: Posture
    objectives: tuple[Objective, ...]
    indicators: tuple[Indicator, ...] = ()
    uncertainty: Uncertainty | None = None  # None: the edition's ranks get no intervals
    published_method: PublishedMethod | None = None  # None: the definition records no publisher's method
    path: str = field(default="", compare=False)
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def locate(self, key: KeyPath) -> tuple[int, int]:
        """The (line, column) of a key of the definition file, for a problem found after parsing."""
        return locate(self.positions, key)

    @property
    def objective_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.objectives)

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.indicators)

    @property
    def has_indicator_level(self) -> bool:
        """Whether capability is computed from measured indicators (data_level "indicators"), so the
        edition has an indicator level to show; False when capability is given per objective."""
        return self.data_level == "indicators"

    def differences_from_published(self) -> tuple[str, ...]:
        """Where this definition's method differs from its publisher's (`published_method`), one phrase
        each, such as "normalisation zscore, where the publisher used minmax"; empty when it is the
        same or no publisher's method is recorded."""
        published = self.published_method
        if published is None:
            return ()
        found = [
            f"{what} {ours}, where the publisher used {theirs}"
            for what, ours, theirs in (
                ("normalisation", self.method.normalisation, published.normalisation),
                ("aggregation of indicators", self.method.aggregation, published.aggregation),
                ("aggregation of objectives", self.method.overall, published.overall),
            )
            if theirs is not None and ours != theirs
        ]
        if published.weights == "equal" and not self.equal_weights():
            found.append(
                "unequal weights, where the publisher weighted every objective and indicator equally"
            )
        return tuple(found)

    def equal_weights(self) -> bool:
        """Whether every objective has the same weight, and every indicator the same weight as the
        others of its objective."""
        groups = [[o.weight for o in self.objectives]] + [
            [u.weight for u in o.indicators] for o in self.objectives
        ]
        return all(len(set(weights)) <= 1 for weights in groups)

    def objective(self, objective_id: str) -> Objective:
        return next(o for o in self.objectives if o.id == objective_id)

    def used_indicators(self) -> tuple[str, ...]:
        """Indicator ids used by at least one objective, in catalogue order."""
        used = {u.id for o in self.objectives for u in o.indicators}
        return tuple(i for i in self.indicator_ids if i in used)

    def capability_inputs(self) -> tuple[str, ...]:
        """The ids of the values capabilities come from: the used indicators in catalogue order, then
        the given capabilities (each objective's own id in an objective-level edition). The coverage
        rule counts these."""
        given = (u.id for o in self.objectives for u in o.indicators if u.given)
        return (*self.used_indicators(), *dict.fromkeys(given))


def with_given_capabilities(spec: IndexSpec) -> IndexSpec:
    """An objective-level definition in the one shape the scoring reads: each objective gets one
    indicator use, its own id, whose value is the given capability (0–100) passed through. An
    indicator-level definition comes back as it is."""
    if spec.has_indicator_level:
        return spec
    objectives = tuple(
        replace(o, indicators=(IndicatorUse(o.id, "positive", 1.0, given=True),)) for o in spec.objectives
    )
    return replace(spec, objectives=objectives)
