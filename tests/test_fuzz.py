"""Property tests for the loader: any bytes, any CSV-shaped text, any TOML-ish text in a data or
definition file ends in a loaded project or in the project's own error, never in another exception."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.inputs.errors import ProjectError
from scoring.inputs.load import load_project

from .conftest import FIXTURES

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TARGETS = [
    "data/tiny-2020/intents.csv",
    "data/tiny-2020/indicators.csv",
    "data/tiny-2022/objectives.csv",
    "data/countries.csv",
    "data/sources.csv",
    "data/notes.csv",
]
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "KOR",
            "PRK",
            "USA",
            "defense",
            "destructive",
            "firms",
            "0.5",
            "1.3",
            "-1",
            "NaN",
            "published",
            "estimated",
            "missing",
            "tiny-source",
            "tiny-2022",
            '"',
            '""',
            "1e400",
            " ",
        ]
    ),
    st.text(max_size=12),
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(FIXTURES / "tiny", target)
    return target


def _load_or_project_error(root: Path) -> None:
    try:
        load_project(root / "data", root / "indices")
    except ProjectError as error:
        assert error.problems, "a ProjectError always lists its problems"
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1 and problem.message


@SETTINGS
@given(target=st.sampled_from(TARGETS), content=st.binary(max_size=600))
def test_arbitrary_bytes(project: Path, target: str, content: bytes) -> None:
    original = (FIXTURES / "tiny" / target).read_bytes()
    (project / target).write_bytes(content)
    try:
        _load_or_project_error(project)
    finally:
        (project / target).write_bytes(original)


@SETTINGS
@given(
    target=st.sampled_from(TARGETS),
    keep_header=st.booleans(),
    rows=st.lists(st.lists(CELLS, min_size=0, max_size=8), max_size=12),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_csv_shaped_text(
    project: Path, target: str, keep_header: bool, rows: list[list[str]], newline: str
) -> None:
    original = (FIXTURES / "tiny" / target).read_bytes()
    header = original.decode().splitlines()[0]
    lines = ([header] if keep_header else []) + [",".join(row) for row in rows]
    (project / target).write_bytes(newline.join(lines).encode("utf-8", "surrogatepass"))
    try:
        _load_or_project_error(project)
    finally:
        (project / target).write_bytes(original)


@SETTINGS
@given(target=st.sampled_from(["indices/tiny-2020.toml", "indices/tiny-2022.toml"]), data=st.data())
def test_toml_mutations(project: Path, target: str, data: st.DataObject) -> None:
    original = (FIXTURES / "tiny" / target).read_text("utf-8")
    lines = original.splitlines()
    at = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    replacement = data.draw(
        st.one_of(
            st.text(max_size=40),
            st.sampled_from(
                [
                    "weight = -1",
                    'weight = "x"',
                    "[objectives.x]",
                    'offense = ["x"]',
                    "data_level = 3",
                    "goalposts = [1]",
                    'direction = "up"',
                    "[[edition]]",
                    "x = { y = 1 }",
                    "year = 1e9",
                ]
            ),
        )
    )
    lines[at] = replacement
    (project / target).write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    try:
        _load_or_project_error(project)
    finally:
        (project / target).write_text(original, encoding="utf-8")
