"""The `cyberpower` command line: help for every command, and published-figure agreement after an edit."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from scoring.cli import _parser, main
from scoring.outputs import agreement
from scoring.publish import build as build_module

from .conftest import ROOT

FIGURES = [  # KOR's 2020 defense intent 0.8 → 0.4: KOR drops below JPN
    "data/tiny-2020/facts.csv:4:4: warning: published figure not reproduced: KOR overall rank is 2, computed 3",
    "data/tiny-2020/facts.csv:5:4: warning: published figure not reproduced: KOR overall score is 14.5, "
    "computed 8.5 (tolerance 0.001)",
    "data/tiny-2020/facts.csv:8:4: warning: published figure not reproduced: JPN overall rank is 3, computed 2",
]
HINT = "; hint: fix the data, or correct facts.csv if the published figure was wrong"


def _edit(tiny_copy: Path) -> None:
    intents = tiny_copy / "data" / "tiny-2020" / "intents.csv"
    intents.write_text(intents.read_text("utf-8").replace("KOR,defense,0.8,", "KOR,defense,0.4,"), "utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_help_lists_every_command_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    block = out.split("  COMMAND\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert [line.split()[0] for line in block] == [
        "validate",
        "score",
        "build",
        "editions",
        "country",
        "diff",
        "explain",
        "audit",
    ]
    assert all(len(line.split()) > 2 for line in block)  # each with its one line, none wrapped


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_every_command_has_help_with_an_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: cyberpower {command} ")
    example = out.split("\nexample:\n", 1)[1]
    assert example.lstrip().startswith(f"cyberpower {command}")  # kept as written (RawDescription)


def test_validate_reports_agreement(tiny_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        "ok: 2 editions valid: tiny-2020 (4 countries), tiny-2022 (4 countries); "
        "published figures: tiny-2020 8 of 8 reproduced\n"
    )
    assert captured.err == ""


def test_validate_warns_of_each_figure_no_longer_reproduced(
    tiny_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(tiny_copy)
    assert main(["validate"]) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        "ok: 2 editions valid: tiny-2020 (4 countries), tiny-2022 (4 countries); "
        "published figures: tiny-2020 5 of 8 reproduced\n"
    )
    assert captured.err.splitlines() == [*FIGURES, "cyberpower: 3 warnings; --strict makes them errors"]


def test_validate_strict_makes_them_errors(tiny_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(tiny_copy)
    assert main(["validate", "--strict"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        *(line.replace(" warning:", "") + HINT for line in FIGURES),
        "cyberpower: 3 problems found",
    ]


def test_strict_passes_when_every_figure_reproduces(tiny_copy: Path) -> None:
    assert main(["validate", "--strict"]) == 0


def test_build_strict_stops_before_rendering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    objectives = data / "ncpi-2022" / "objectives.csv"
    text = objectives.read_text("utf-8")
    assert "KOR,defense,64.719,0.6843," in text
    objectives.write_text(text.replace("KOR,defense,64.719,0.6843,", "KOR,defense,64.719,0.3843,"), "utf-8")
    monkeypatch.chdir(tmp_path)

    def never(*args: object) -> None:
        raise AssertionError("rendered although a published figure is no longer reproduced")

    monkeypatch.setattr(build_module, "generate", never)
    args = ["build", "--strict", "--site-dir", "site", "--config", str(ROOT / "mkdocs.yml")]
    assert main([*args, "--indices", str(ROOT / "indices")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        "data/ncpi-2022/facts.csv:8:4: published figure not reproduced: KOR overall rank is 7, computed 16"
        + HINT
    )
    assert len(err) == 11 and err[-1] == "cyberpower: 10 problems found"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # no site, no staging folder


def _summary(figures: tuple[agreement.Agreement, ...]) -> build_module.Summary:
    return build_module.Summary(Path("build/site"), {"tiny-2020": (3, 1)}, 12, 40, 1.25, figures)


def test_build_summary_and_warnings(
    tiny_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from scoring.inputs.load import load_project
    from scoring.method.engine import run_all

    _edit(tiny_copy)
    project = load_project(Path("data"), Path("indices"))
    figures = tuple(agreement.check(project, run_all(project, draws=0)))
    seen: list[bool] = []

    def fake(*args: object) -> build_module.Summary:
        seen.append(bool(args[-1]))  # strict
        return _summary(figures)

    monkeypatch.setattr(build_module, "build", fake)
    (tiny_copy / "mkdocs.yml").write_text("site_name: tiny\n")
    assert main(["build"]) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        "built build/site in 1.2 s: 1 editions (tiny-2020: 3 ranked, 1 not ranked); 12 pages, 40 files; "
        "published figures: tiny-2020 5 of 8 reproduced; strict mode, 3 warnings\n"
    )
    assert captured.err.splitlines() == [*FIGURES, "cyberpower: 3 warnings; --strict makes them errors"]
    assert main(["build", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.splitlines()) == 4  # warnings stay
    assert seen == [False, False]


def test_build_summary_without_warnings() -> None:
    figures = (agreement.Agreement("tiny-2020", 8, 8, ()), agreement.Agreement("tiny-2022", 0, 0, ()))
    assert str(_summary(figures)).endswith(
        "12 pages, 40 files; published figures: tiny-2020 8 of 8 reproduced; strict mode, no warnings"
    )


def test_quiet_and_verbose_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["build", "--quiet", "--verbose"])
    assert done.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
