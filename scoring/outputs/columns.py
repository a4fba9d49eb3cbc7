"""The download columns: one declaration of the public data API of PRODUCT.md.

Each download file is an ordered tuple of `Column`s: its name, what it means to a reader, its unit,
the decimals the downloads round it to, and how the `cyberpower score` table shows it. From this
declaration `export` writes the files (column order, rounding, cells emptied for unranked countries),
`report` draws the terminal table (columns, headers, alignment, number formats), and the data page
renders its column tables. The order is the contract: a new column goes after the existing ones.

Why here, not in `scoring/method`: the engine's `Results.overall` is a working frame, with columns the
downloads leave out (`capability_rank`, `intent_rank`, `coverage`), in no promised order, read by name.
What is published, in which order, rounded how and explained in which words is an output decision, so
it is declared once in the outputs layer, and the engine keeps no column list at all: nothing about
the downloads is written twice. Every declared column must be one the engine (or `change.movement`)
computes; `export` selects them by name, so a missing one fails loudly.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.inputs.schema import ColumnLookup


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str  # Markdown, for readers of the downloads (the data page)
    unit: str = ""  # the range of the values; empty for text, ids and ranks
    decimals: int | None = None  # the downloads round to this many decimals; None: as computed
    terminal_decimals: int | None = None  # a number in the terminal table, so many decimals; None: text
    ranked_only: bool = False  # empty for a country that is not ranked
    with_previous: bool = False  # only in an edition that has a previous one (the change since it)

    @property
    def description(self) -> str:
        """The meaning with its unit and when the cell is empty, as the data page shows it."""
        text = f"{self.meaning}, {self.unit}" if self.meaning and self.unit else self.meaning or self.unit
        return f"{text}; empty when not ranked" if self.ranked_only else text


@dataclass(frozen=True)
class Download(ColumnLookup[Column]):
    name: str  # file name in downloads/<edition>/
    columns: tuple[Column, ...]
    about: str = ""  # Markdown: what a row is, and anything a reader must know (the data page)


_SCORE = "0–100"
_INTENT = "0–1"
_BASIS = (
    "`published`, `assessed` (resting on this project's analysts' own values, not the publisher's) "
    "or `estimated` (resting on a value filled in by this project's model)"
)
_INTERVAL = (
    "of the rank's 5–95 % interval over the draws of the uncertainty analysis (the index definition's "
    "`[uncertainty]`; empty without one)"
)

OVERALL = Download(
    "overall.csv",
    (
        Column("iso3", "ISO 3166-1 alpha-3 country code"),
        Column("country", "English name"),
        Column("rank", "overall rank, 1 = highest", terminal_decimals=0, ranked_only=True),
        Column("score", "overall score", _SCORE, decimals=3, terminal_decimals=2, ranked_only=True),
        Column("capability", "capability index", _SCORE, decimals=3, terminal_decimals=2, ranked_only=True),
        Column("intent", "intent index", _INTENT, decimals=4, terminal_decimals=3),
        Column(
            "offense",
            "mean score on the offensive objectives",
            _SCORE,
            decimals=3,
            terminal_decimals=2,
            ranked_only=True,
        ),
        Column(
            "defense",
            "mean score on the defensive objectives",
            _SCORE,
            decimals=3,
            terminal_decimals=2,
            ranked_only=True,
        ),
        Column(
            "posture",
            "`attack-heavy`, `balanced` or `defensive`: this project's reading, not a Belfer Center class; "
            "since this version from `orientation` and `offense_tier` (the methodology page), no longer "
            "from `balance`",
            ranked_only=True,
        ),
        Column(
            "balance",
            "(offense − defense) ÷ (offense + defense), descriptive: the first posture rule's reading",
            "−1 to +1",
            decimals=4,
            terminal_decimals=2,
            ranked_only=True,
        ),
        Column("activation", "`passive`, `assertive` or `matched`", ranked_only=True),
        Column("ranked", "`True` or `False`: whether the country is ranked"),
        Column("reason", "why a country is not ranked"),
        Column(
            "basis",
            f"{_BASIS}: what the country's figures rest on; `estimated` when any input is an estimate, "
            "else `assessed` when any is the analysts' own",
        ),
        Column(
            "rank_basis",
            "`published` where the rank was published (a rank the authors published and the data "
            "reproduces); otherwise `assessed` in an edition with the analysts' own values (unless the "
            "country's own values include an estimate), `estimated` else",
            ranked_only=True,
        ),
        Column(
            "rank_change",
            "places moved up (+) or down (−) since the previous edition, where the country is ranked in "
            "both; `change_basis` says whether both ranks were published (not in the first edition's "
            "file)",
            with_previous=True,
        ),
        Column(
            "score_change",
            "score now minus score in the previous edition; empty unless both scores are published",
            decimals=3,
            with_previous=True,
        ),
        Column("rank_low", f"the better (lower) end {_INTERVAL}", ranked_only=True),
        Column("rank_high", f"the worse (higher) end {_INTERVAL}", ranked_only=True),
        Column(
            "offense_intent",
            "mean intent on the offensive objectives, leaving out any whose median intent is below the "
            "definition's `niche_below`",
            _INTENT,
            decimals=4,
            ranked_only=True,
        ),
        Column(
            "defense_intent",
            "mean intent on the defensive objectives, likewise",
            _INTENT,
            decimals=4,
            ranked_only=True,
        ),
        Column(
            "orientation",
            "(offense_intent − defense_intent) ÷ (offense_intent + defense_intent): where the country "
            "points its effort",
            "−1 to +1",
            decimals=4,
            ranked_only=True,
        ),
        Column("offense_rank", "rank of `offense` among ranked countries, 1 = highest", ranked_only=True),
        Column(
            "offense_tier",
            "`strong`, `moderate` or `weak`: the tier of `offense_rank` (top, middle or bottom of the "
            "definition's `offense_tiers` equal tiers)",
            ranked_only=True,
        ),
        Column(
            "change_basis",
            "what `rank_change` compares: `published` when both ranks were published, `estimated` when "
            "either is an estimate, `assessed` when either is the analysts' assessment (and neither an "
            "estimate); empty without a change (not in the first edition's file)",
            with_previous=True,
        ),
    ),
)

OBJECTIVES = Download(
    "objectives.csv",
    (
        Column("iso3", "country code"),
        Column("objective", "objective id"),
        Column("capability", "", _SCORE, decimals=3, ranked_only=True),
        Column("intent", "", _INTENT, decimals=4),
        Column("score", "capability × intent", _SCORE, decimals=3, ranked_only=True),
        Column("rank", "rank on the objective among ranked countries", ranked_only=True),
        Column("basis", _BASIS),
        Column("rank_low", f"the better (lower) end {_INTERVAL}", ranked_only=True),
        Column("rank_high", f"the worse (higher) end {_INTERVAL}", ranked_only=True),
    ),
)

INDICATORS = Download(
    "indicators.csv",
    (
        Column("iso3", "country code"),
        Column("indicator", "indicator id (the edition's catalogue, on the methodology page)"),
        Column("value", "the raw value as given in the data, in the indicator's unit; empty when missing"),
        Column(
            "normalised",
            "the value scaled over the ranked countries by the edition's normalisation, before direction "
            "(an objective that counts the indicator negatively uses 1 − normalised)",
            _INTENT,
            decimals=6,
            ranked_only=True,
        ),
        Column("basis", "`published`, `assessed`, `estimated` or `missing`, as in the data"),
        Column("source", "id of the value's source (the sources page)"),
    ),
    "One row per country and capability indicator. An edition given per objective (no indicators, "
    "such as NCPI 2022) has this file with its header and no rows: its capabilities are in "
    "`objectives.csv`.",
)

WEIGHTS = Download(
    "weights.csv",
    (
        Column("objective", "objective id"),
        Column("indicator", "indicator id; empty in an edition given per objective"),
        Column("direction", "`positive` (more is stronger) or `negative`; empty without an indicator"),
        Column(
            "weight", "the weight declared in the index definition (of the indicator within its objective)"
        ),
        Column(
            "effective_weight",
            "the indicator's nominal share of the overall score through this objective: objective weight "
            "share × indicator weight share within the objective; the column sums to 1",
            _INTENT,
            decimals=9,
        ),
    ),
    "One row per objective and indicator it uses, in the index definition's order; an indicator used "
    "by several objectives has a row in each. In an edition given per objective, one row per objective "
    "with its weight and share.",
)

AUDIT = Download(
    "audit.csv",
    (
        Column(
            "check",
            "`correlation` (two indicators of an objective), `objective_overall` (an objective's score "
            "with the overall score), `cronbach_alpha`, `coverage`, `zeros`, `skewness`, `kurtosis` "
            "(an indicator), `remove_indicator`, `remove_objective` (the remove-one test)",
        ),
        Column("objective", "objective id, where the check concerns one"),
        Column("indicator", "indicator id, where the check concerns one (a pair's first)"),
        Column("other", "a correlation pair's second indicator"),
        Column(
            "value",
            "Pearson r (−1 to +1), Cronbach's alpha, a share (0–1), skewness, excess kurtosis, or for "
            "the remove-one test the mean absolute change of overall rank (places) when it is left out",
            decimals=4,
        ),
        Column("n", "countries the figure is computed over"),
        Column("flag", "what is flagged (such as `negative`, `above 0.9`); empty when nothing is"),
        Column("max_rank_change", "remove-one test: the largest absolute change of overall rank (places)"),
        Column("most_moved", "remove-one test: the country that moved most"),
    ),
    "The statistical audit (the audit page of each edition explains every check and threshold). "
    "Correlations and alphas use the oriented 0–1 values of the ranked countries; an edition given per "
    "objective has only the objective rows.",
)

DOWNLOADS = (OVERALL, OBJECTIVES, INDICATORS, WEIGHTS, AUDIT)

# the `cyberpower score` table: the overall columns it shows, in its order (rank first); where the
# edition has rank intervals, its rank column reads `rank (rank_low–rank_high)`, such as `7 (5–9)`
TERMINAL = tuple(
    OVERALL.column(name)
    for name in (
        "rank",
        "iso3",
        "country",
        "score",
        "capability",
        "intent",
        "offense",
        "defense",
        "balance",
        "posture",
        "activation",
    )
)
