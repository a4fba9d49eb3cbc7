"""Index definitions of any shape: a value of the wrong type anywhere is a located problem.

Each `key = value` line of the tiny definitions is given, in turn, a value of every TOML type; the
parser must answer with its own `DefinitionError` (or accept the file), never another exception.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.inputs.definition import load_spec
from scoring.inputs.errors import DefinitionError

from .conftest import FIXTURES

WRONG = {
    "text": '"x"',
    "number": "7",
    "float": "0.5",
    "bool": "true",
    "date": "2020-01-01",
    "list": '["a", 1]',
    "empty list": "[]",
    "table": "{ a = 1 }",
    "empty table": "{}",
    "nested": "[[[1]]]",
}
KEY_LINE = re.compile(r"^(\s*[A-Za-z0-9_\-.\"]+\s*=\s*)(.*)$")


@pytest.mark.parametrize("edition", ["tiny-2020", "tiny-2022"])
@pytest.mark.parametrize("kind", sorted(WRONG))
def test_every_value_of_every_type(edition: str, kind: str, tmp_path: Path) -> None:
    lines = (FIXTURES / "tiny" / "indices" / f"{edition}.toml").read_text().splitlines()
    target = tmp_path / f"{edition}.toml"
    checked = 0
    for number, line in enumerate(lines):
        found = KEY_LINE.match(line)
        if not found:
            continue
        changed = [*lines[:number], found.group(1) + WRONG[kind], *lines[number + 1 :]]
        target.write_text("\n".join(changed) + "\n")
        try:
            load_spec(target)
        except DefinitionError as error:
            assert error.problems and all(p.line >= 1 for p in error.problems), error
        checked += 1
    assert checked >= 15


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        ('defense = "Defense"', "'objectives.defense' must be a table, not text"),
        ("defense = [1, 2]", "'objectives.defense' must be a table, not a list"),
        ("defense = 2020-01-01", "'objectives.defense' must be a table, not a date"),
    ],
)
def test_objective_that_is_not_a_table(replacement: str, message: str, tmp_path: Path) -> None:
    text = (FIXTURES / "tiny" / "indices" / "tiny-2022.toml").read_text()
    text = text.replace(
        '[objectives.defense]\nname = "Defense"\ndescription = "Defending."\nweight = 1\n',
        f"[objectives]\n{replacement}\n",
    )
    target = tmp_path / "tiny-2022.toml"
    target.write_text(text)
    with pytest.raises(DefinitionError) as raised:
        load_spec(target)
    assert [p.message for p in raised.value.problems] == [message]
