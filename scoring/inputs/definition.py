"""Reading an index definition: `indices/<edition>.toml` parsed once into an `IndexSpec`.

Every problem is collected with its TOML line and column (unknown keys with a "did you mean" hint,
unknown ids, bad values, missing weights), then raised together as one `DefinitionError`.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

from scoring.inputs.errors import Collector, DefinitionError, display_path
from scoring.inputs.files import TOML_MAX_BYTES, read_limited
from scoring.inputs.text import NAME, PARAGRAPH, PROSE, text_problem
from scoring.inputs.tomlpos import KeyPath, locate, positions

from .spec import (
    AGGREGATIONS,
    DATA_LEVELS,
    DIRECTIONS,
    ID,
    INDICATOR_ID,
    NORMALISATIONS,
    WEIGHTINGS,
    IndexSpec,
    Indicator,
    IndicatorUse,
    Method,
    Objective,
    Posture,
    PublishedMethod,
    Uncertainty,
)

WEIGHTS = (0.001, 1000.0)  # a weight's range: below it a weight rounds to nothing in the means
MAX_NESTING = 10
# [method] keys that only an edition given as indicator values uses: key -> what it sets
INDICATOR_LEVEL_SETTINGS = {
    "normalisation": "normalisation",
    "aggregation": "aggregation (indicators → capability)",
}  # brackets and braces open at once; the definitions use at most 3


def load_spec(path: Path, roots: tuple[Path, ...] = ()) -> IndexSpec:
    """Parse and check one definition file; raise DefinitionError listing every problem.

    The file must be a regular file of at most `TOML_MAX_BYTES`, reached by no link leaving `roots`."""
    shown = display_path(path)
    problems = Collector()
    raw = read_limited(path, shown, TOML_MAX_BYTES, problems, roots)
    if raw is None:
        raise DefinitionError(problems.problems)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.add(shown, 1, 0, "the file is not UTF-8 text")
        raise DefinitionError(problems.problems) from None
    deep = too_deep(text, MAX_NESTING)
    if deep:
        problems.add(
            shown,
            *deep,
            f"values are nested more than {MAX_NESTING} deep",
            "an index definition needs tables of values, not lists inside lists",
        )
        raise DefinitionError(problems.problems)
    try:
        document = tomllib.loads(text)
    except RecursionError:  # a nesting `too_deep` could not see; never a traceback
        problems.add(shown, 1, 0, f"values are nested more than {MAX_NESTING} deep")
        raise DefinitionError(problems.problems) from None
    except tomllib.TOMLDecodeError as error:
        line, column = _toml_error_position(str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error)).strip()
        problems.add(shown, line, column, f"TOML syntax error: {message}")
        raise DefinitionError(problems.problems) from None
    spec = _Parser(shown, positions(text), problems, path.stem).parse(document)
    problems.raise_if_any(DefinitionError)
    assert spec is not None
    return spec


def too_deep(text: str, limit: int) -> tuple[int, int] | None:
    """The (line, column) of the first `[` or `{` opened beyond `limit` levels in TOML `text`, skipping
    strings and comments; None when the nesting stays within it. `tomllib` recurses once per level."""
    depth, i, quote = 0, 0, ""
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\" and quote[0] == '"':
                i += 2
                continue
            if text.startswith(quote, i):
                i, quote = i + len(quote), ""
                continue
        elif c == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            continue
        elif c in "[{":
            depth += 1
            if depth > limit:
                return (text.count("\n", 0, i) + 1, i - text.rfind("\n", 0, i))
        elif c in "]}":
            depth = max(0, depth - 1)
        i += 1
    return None


def _toml_error_position(message: str) -> tuple[int, int]:
    found = re.search(r"at line (\d+), column (\d+)", message)
    if found:
        return int(found.group(1)), int(found.group(2))
    return (1, 0)


class _Parser:
    def __init__(
        self, shown: str, found: dict[KeyPath, tuple[int, int]], problems: Collector, stem: str
    ) -> None:
        self.shown, self.found, self.problems, self.stem = shown, found, problems, stem

    def error(self, path: KeyPath, message: str, hint: str = "") -> None:
        line, column = locate(self.found, path)
        self.problems.add(self.shown, line, column, message, hint)

    def table(self, document: dict[str, Any], path: KeyPath, allowed: dict[str, bool]) -> dict[str, Any]:
        """The table at `path`, its unknown keys and missing required keys reported."""
        node: Any = document
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            if any(allowed.values()):
                self.error(path[:-1], f"missing table [{'.'.join(path)}]")
            return {}
        if not isinstance(node, dict):
            self.error(path, f"'{'.'.join(path)}' must be a table, not {_kind(node)}")
            return {}
        for key in node:
            if key not in allowed:
                guess = difflib.get_close_matches(key, list(allowed), n=1)
                self.error(
                    (*path, key),
                    f"unknown key '{key}' in [{'.'.join(path) or 'top level'}]",
                    f"did you mean '{guess[0]}'?" if guess else f"allowed keys: {', '.join(sorted(allowed))}",
                )
        for key, required in allowed.items():
            if required and key not in node:
                self.error(path, f"missing key '{key}' in [{'.'.join(path)}]")
        return node

    def text(
        self,
        node: dict[str, Any],
        path: KeyPath,
        key: str,
        default: str = "",
        *,
        limit: int = 100,
        holds: str = NAME,
    ) -> str:
        """Text at `key`: a name, title or unit (NAME, never blank), or prose; see `inputs.text`."""
        value = node.get(key, default)
        if not isinstance(value, str):
            self.error((*path, key), f"'{key}' must be text, not {_kind(value)}")
            return default
        if holds == NAME and key in node and not value.strip():
            self.error((*path, key), f"'{key}' is empty", "write the text the site shows")
            return default
        found = text_problem(f"'{key}'", value, limit, holds)
        if found:
            self.error((*path, key), *found)
            return default
        return value

    def number(
        self,
        node: dict[str, Any],
        path: KeyPath,
        key: str,
        default: float,
        low: float,
        high: float,
    ) -> float:
        value = node.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.error((*path, key), f"'{key}' must be a number, not {_kind(value)}")
            return default
        if value < low or value > high:
            self.error(
                (*path, key), f"'{key}' is {value:g}; it must be at least {low:g} and at most {high:g}"
            )
            return default
        return float(value)

    def choice(self, node: dict[str, Any], path: KeyPath, key: str, options: tuple[str, ...]) -> str:
        value = node.get(key, options[0])
        if not isinstance(value, str):
            self.error((*path, key), f"'{key}' must be text, not {_kind(value)}")
            return options[0]
        if value not in options:
            self.error((*path, key), f"'{key}' is {value!r}; expected one of: {', '.join(options)}")
            return options[0]
        return str(value)

    def parse(self, document: dict[str, Any]) -> IndexSpec | None:
        self.table(
            document,
            (),
            {
                "edition": True,
                "method": True,
                "posture": True,
                "objectives": True,
                "indicators": False,
                "uncertainty": False,
                "published_method": False,
            },
        )
        edition = self.table(
            document,
            ("edition",),
            {"id": True, "title": True, "year": True, "data_level": True, "sources": True, "summary": False},
        )
        edition_id = self.text(edition, ("edition",), "id", self.stem)
        title = self.text(edition, ("edition",), "title", limit=200)
        summary = self.text(edition, ("edition",), "summary", limit=2000, holds=PARAGRAPH)
        if not re.fullmatch(r"[a-z0-9][a-z0-9\-]*", self.stem):
            self.error(
                (), f"'{self.stem}' is not a valid edition id", "use lower case letters, digits and hyphens"
            )
        if edition and edition_id != self.stem:
            self.error(
                ("edition", "id"), f"edition id '{edition_id}' differs from the file name '{self.stem}'"
            )
        year = edition.get("year", 0)
        if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100:
            self.error(("edition", "year"), f"'year' must be a year such as 2022, not {year!r}")
            year = 0
        data_level = self.choice(edition, ("edition",), "data_level", DATA_LEVELS)
        sources = self.ids(edition, ("edition",), "sources", pattern=re.compile(r"^[a-z0-9][a-z0-9\-]*$"))

        measured = data_level == "indicators"  # only then are there indicators to normalise and combine
        method_node = self.table(
            document,
            ("method",),
            {
                "normalisation": measured,
                "aggregation": measured,
                "overall": True,
                "min_capability_share": True,
            },
        )
        if not measured:
            self.not_applicable(method_node, ("method",), edition_id)
        method = Method(
            normalisation=self.choice(method_node, ("method",), "normalisation", NORMALISATIONS),
            aggregation=self.choice(method_node, ("method",), "aggregation", AGGREGATIONS),
            overall=self.choice(method_node, ("method",), "overall", AGGREGATIONS),
            min_capability_share=self.number(method_node, ("method",), "min_capability_share", 0.6, 0, 1),
        )

        catalogue = self.catalogue(document, data_level)
        objectives = self.objectives(document, data_level, method, {i.id for i in catalogue})
        if data_level == "indicators":
            used = {u.id for o in objectives for u in o.indicators}
            for indicator in catalogue:
                if indicator.id not in used:
                    self.error(
                        ("indicators", indicator.id),
                        f"indicator '{indicator.id}' is in the catalogue but no objective uses it",
                    )

        posture_node = self.table(
            document,
            ("posture",),
            {
                "offense": True,
                "defense": True,
                "attack_heavy_at": True,
                "defensive_at": True,
                "activation_gap": True,
                "niche_below": False,
                "offense_tiers": False,
                "named": False,
            },
        )
        known = {o.id for o in objectives}
        groups = {}
        for group in ("offense", "defense"):
            ids = self.ids(posture_node, ("posture",), group)
            for objective_id in ids:
                if objective_id not in known:
                    self.error(
                        ("posture", group),
                        f"posture group '{group}' names unknown objective '{objective_id}'",
                        f"objectives of this edition: {', '.join(o.id for o in objectives)}",
                    )
            if not ids and group in posture_node:
                self.error(
                    ("posture", group), f"posture group '{group}' is empty", "name at least one objective"
                )
            groups[group] = ids
        if set(groups["offense"]) & set(groups["defense"]):
            both = ", ".join(f"'{o}'" for o in sorted(set(groups["offense"]) & set(groups["defense"])))
            self.error(
                ("posture", "defense"), f"{both} cannot be in both posture groups, offense and defense"
            )
        gap = posture_node.get("activation_gap", 8)
        if not isinstance(gap, int) or isinstance(gap, bool) or gap < 1:
            self.error(
                ("posture", "activation_gap"),
                f"'activation_gap' must be a whole number of ranks ≥ 1, not {gap!r}",
            )
            gap = 8
        tiers = posture_node.get("offense_tiers", 3)
        if not isinstance(tiers, int) or isinstance(tiers, bool) or not 2 <= tiers <= 10:
            self.error(
                ("posture", "offense_tiers"),
                f"'offense_tiers' must be a whole number from 2 to 10, not {tiers!r}",
                "3 splits the cohort into a top, middle and bottom third by offense score",
            )
            tiers = 3
        posture = Posture(
            offense=groups["offense"],
            defense=groups["defense"],
            attack_heavy_at=self.number(posture_node, ("posture",), "attack_heavy_at", 0.2, 0, 1),
            defensive_at=self.number(posture_node, ("posture",), "defensive_at", -0.2, -1, 0),
            activation_gap=gap,
            niche_below=self.number(posture_node, ("posture",), "niche_below", 0.1, 0, 1),
            offense_tiers=tiers,
            named=self.ids(posture_node, ("posture",), "named", pattern=re.compile(r"^[A-Z]{3}$")),
        )
        uncertainty = self.uncertainty(document, data_level, objectives)
        published_method = self.published_method(document, data_level, edition_id)
        if self.problems.problems:
            return None
        return IndexSpec(
            id=edition_id,
            title=title,
            year=year,
            data_level=data_level,
            sources=sources,
            summary=summary,
            method=method,
            posture=posture,
            objectives=objectives,
            indicators=catalogue,
            uncertainty=uncertainty,
            published_method=published_method,
            path=self.shown,
            positions=self.found,
        )

    def published_method(
        self, document: dict[str, Any], data_level: str, edition_id: str
    ) -> PublishedMethod | None:
        """The optional [published_method] table: how the publisher computed the edition, each setting
        the publisher chose required (normalisation and aggregation only with indicator values)."""
        if "published_method" not in document:
            return None
        path = ("published_method",)
        measured = data_level == "indicators"
        node = self.table(
            document,
            path,
            {"normalisation": measured, "aggregation": measured, "overall": True, "weights": True},
        )
        if not measured:
            self.not_applicable(node, path, edition_id)
        return PublishedMethod(
            overall=self.choice(node, path, "overall", AGGREGATIONS),
            weights=self.choice(node, path, "weights", WEIGHTINGS),
            normalisation=self.choice(node, path, "normalisation", NORMALISATIONS) if measured else None,
            aggregation=self.choice(node, path, "aggregation", AGGREGATIONS) if measured else None,
        )

    def not_applicable(self, node: dict[str, Any], path: KeyPath, edition_id: str) -> None:
        """Settings of how indicators become a capability, in an edition given per objective: each an
        error at its line, rather than accepted and silently ignored."""
        for key, what in INDICATOR_LEVEL_SETTINGS.items():
            if key in node:
                self.error(
                    (*path, key),
                    f"{edition_id} gives capabilities per objective, not indicator values "
                    f'(data_level = "objectives"), so {what} does not apply',
                    "remove the line",
                )

    def uncertainty(
        self, document: dict[str, Any], data_level: str, objectives: tuple[Objective, ...]
    ) -> Uncertainty | None:
        """The optional [uncertainty] table: what the Monte Carlo over the method varies."""
        if "uncertainty" not in document:
            return None
        path = ("uncertainty",)
        node = self.table(
            document,
            path,
            {
                "draws": True,
                "seed": True,
                "weight_perturbation": False,
                "normalisations": False,
                "aggregations": False,
                "estimated_capability": False,
                "estimated_intent": False,
                "assessed_capability": False,
                "assessed_intent": False,
            },
        )
        draws, seed = node.get("draws", 1000), node.get("seed", 0)
        if not isinstance(draws, int) or isinstance(draws, bool) or not 1 <= draws <= 1_000_000:
            self.error((*path, "draws"), f"'draws' must be a whole number from 1 to 1000000, not {draws!r}")
            draws = 1000
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            self.error((*path, "seed"), f"'seed' must be a whole number ≥ 0, not {seed!r}")
            seed = 0
        perturbation = self.number(node, path, "weight_perturbation", 0.0, 0, 1)
        if perturbation == 1:
            self.error(
                (*path, "weight_perturbation"),
                "'weight_perturbation' is 1; it must be below 1",
                "a weight times U(0, 2) could be 0; 0.25 means each weight × U(0.75, 1.25)",
            )
        normalisations = self.options(node, path, "normalisations", NORMALISATIONS)
        if normalisations and data_level == "objectives":
            self.error(
                (*path, "normalisations"),
                'an edition with data_level = "objectives" has nothing to normalise',
                "capability is given per objective; remove 'normalisations'",
            )
        if "goalposts" in normalisations:
            lacking = [u.id for o in objectives for u in o.indicators if u.goalposts is None]
            if lacking:
                self.error(
                    (*path, "normalisations"),
                    f"normalisation 'goalposts' needs goalposts for every indicator; '{lacking[0]}' has none",
                    "give each indicator goalposts = [low, high], or remove 'goalposts' from the list",
                )
        return Uncertainty(
            draws=draws,
            seed=seed,
            weight_perturbation=perturbation if perturbation < 1 else 0.0,
            normalisations=normalisations,
            aggregations=self.options(node, path, "aggregations", AGGREGATIONS),
            estimated_capability=self.number(node, path, "estimated_capability", 0.0, 0, 100),
            estimated_intent=self.number(node, path, "estimated_intent", 0.0, 0, 1),
            assessed_capability=self.number(node, path, "assessed_capability", 0.0, 0, 100),
            assessed_intent=self.number(node, path, "assessed_intent", 0.0, 0, 1),
        )

    def options(
        self, node: dict[str, Any], path: KeyPath, key: str, known: tuple[str, ...]
    ) -> tuple[str, ...]:
        """A list of method names from `known`, each at most once."""
        value = node.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            example = ", ".join(f'"{k}"' for k in known[:2])
            self.error((*path, key), f"'{key}' must be a list of names in quotes, such as [{example}]")
            return ()
        for item in value:
            if item not in known:
                guess = difflib.get_close_matches(item, known, n=1)
                self.error(
                    (*path, key),
                    f"unknown {key[:-1]} {item!r} in '{key}'",
                    f"did you mean '{guess[0]}'?" if guess else f"expected some of: {', '.join(known)}",
                )
        if len(set(value)) != len(value):
            self.error((*path, key), f"'{key}' lists a name twice")
        return tuple(v for v in dict.fromkeys(value) if v in known)

    def ids(
        self, node: dict[str, Any], path: KeyPath, key: str, pattern: re.Pattern[str] = ID
    ) -> tuple[str, ...]:
        value = node.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error((*path, key), f"'{key}' must be a list of ids in quotes")
            return ()
        for item in value:
            if not pattern.match(item):
                self.error((*path, key), f"'{item}' in '{key}' is not a valid id")
        if len(set(value)) != len(value):
            self.error((*path, key), f"'{key}' lists an id twice")
        return tuple(value)

    def catalogue(self, document: dict[str, Any], data_level: str) -> tuple[Indicator, ...]:
        node = document.get("indicators")
        if data_level == "objectives":
            if node is not None:
                self.error(
                    ("indicators",), 'an edition with data_level = "objectives" has no indicator catalogue'
                )
            return ()
        if node is not None and not isinstance(node, dict):
            self.error(("indicators",), f"'indicators' must be a table, not {_kind(node)}")
            return ()
        if not node:
            self.error((), "missing table [indicators]: the catalogue of the indicators this edition uses")
            return ()
        catalogue = []
        for indicator_id in node:
            path = ("indicators", indicator_id)
            if not INDICATOR_ID.match(indicator_id):
                self.error(path, f"'{indicator_id}' is not a valid indicator id")
            entry = self.table(document, path, {"name": True, "unit": True, "description": False})
            catalogue.append(
                Indicator(
                    indicator_id,
                    self.text(entry, path, "name", limit=150),
                    self.text(entry, path, "unit", limit=40),
                    self.text(entry, path, "description", limit=1000, holds=PROSE),
                )
            )
        self.distinct_names("indicators", [(i.id, i.name) for i in catalogue], "indicator")
        return tuple(catalogue)

    def objectives(
        self, document: dict[str, Any], data_level: str, method: Method, catalogue: set[str]
    ) -> tuple[Objective, ...]:
        node = document.get("objectives")
        if node is not None and not isinstance(node, dict):
            self.error(("objectives",), f"'objectives' must be a table, not {_kind(node)}")
            return ()
        if not node:
            if node is not None:
                self.error(("objectives",), "[objectives] must hold one table per objective")
            return ()
        keys = {"name": True, "description": True, "weight": True, "indicators": data_level == "indicators"}
        result = []
        for objective_id in node:
            path = ("objectives", objective_id)
            if not ID.match(objective_id):
                self.error(
                    path,
                    f"'{objective_id}' is not a valid objective id",
                    "ids are lower case with underscores, such as information_control",
                )
            entry = self.table(document, path, keys)
            if data_level == "objectives" and "indicators" in entry:
                self.error(
                    (*path, "indicators"), 'an edition with data_level = "objectives" lists no indicators'
                )
            uses = self.uses(entry, document, path, method, catalogue) if data_level == "indicators" else ()
            result.append(
                Objective(
                    id=objective_id,
                    name=self.text(entry, path, "name"),
                    description=self.text(entry, path, "description", limit=1000, holds=PROSE),
                    weight=self.number(entry, path, "weight", 1.0, *WEIGHTS),
                    indicators=uses,
                )
            )
        self.distinct_names("objectives", [(o.id, o.name) for o in result], "objective")
        return tuple(result)

    def distinct_names(self, table: str, named: list[tuple[str, str]], what: str) -> None:
        """Each name once (ignoring case): charts and tables tell entries apart by name."""
        first: dict[str, str] = {}
        for entry_id, name in named:
            key = unicodedata.normalize("NFKC", name).casefold().strip()
            if key and key in first:
                line, _ = locate(self.found, (table, first[key], "name"))
                self.error(
                    (table, entry_id, "name"),
                    f"{what} '{entry_id}' has the name '{name}', as {what} '{first[key]}' at line {line}",
                    f"give each {what} its own name; the site tells them apart by it",
                )
            first.setdefault(key, entry_id)

    def uses(
        self,
        objective: dict[str, Any],
        document: dict[str, Any],
        path: KeyPath,
        method: Method,
        catalogue: set[str],
    ) -> tuple[IndicatorUse, ...]:
        node = objective.get("indicators")
        if node is not None and not isinstance(node, dict):
            self.error((*path, "indicators"), f"'indicators' must be a table, not {_kind(node)}")
            return ()
        if not node:
            if node is not None:
                self.error((*path, "indicators"), f"objective '{path[1]}' lists no indicators")
            return ()
        uses = []
        for indicator_id in node:
            here = (*path, "indicators", indicator_id)
            if indicator_id not in catalogue:
                self.error(here, f"indicator '{indicator_id}' is not in the [indicators] catalogue")
            entry = self.table(document, here, {"direction": True, "weight": True, "goalposts": False})
            goalposts = None
            if "goalposts" in entry or method.normalisation == "goalposts":
                goalposts = self.goalposts(entry, here)
            uses.append(
                IndicatorUse(
                    indicator_id,
                    self.choice(entry, here, "direction", DIRECTIONS),
                    self.number(entry, here, "weight", 1.0, *WEIGHTS),
                    goalposts,
                )
            )
        return tuple(uses)

    def goalposts(self, entry: dict[str, Any], path: KeyPath) -> tuple[float, float] | None:
        value = entry.get("goalposts")
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        ):
            self.error(
                (*path, "goalposts") if value is not None else path,
                "'goalposts' must be [lowest, highest], two numbers"
                if value is not None
                else "normalisation 'goalposts' needs goalposts = [low, high] here",
            )
            return None
        low, high = float(value[0]), float(value[1])
        if not low < high:
            self.error(
                (*path, "goalposts"), f"goalposts [{low:g}, {high:g}]: the first must be below the second"
            )
            return None
        return (low, high)


def _kind(value: object) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a table",
        datetime.date: "a date",
        datetime.datetime: "a date and time",
        datetime.time: "a time",
    }.get(type(value), type(value).__name__)
