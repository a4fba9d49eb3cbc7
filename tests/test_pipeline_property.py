"""The whole pipeline over generated projects: whatever `validate` accepts builds, and shows as typed.

Each example is a copy of the tiny project (its objective-level edition, 2–4 countries, its two
objectives) with arbitrary Unicode in every text field: country names, short names and regions, the
note, the source's title, publisher and note, the edition title and summary, objective names and
descriptions. If `validate` finds no problem, the pages, downloads and chart images must generate; no
generated text holding markup that no template writes (`<b>`, `<img`) appears literally in a
page or an SVG; and the CSV downloads read back to the same country names.

CI runs a few examples; for a long run: `CYBERPOWER_EXAMPLES=500 pytest tests/test_pipeline_property.py`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scoring.method.validate import validate
from scoring.outputs.export import FORMULA_STARTS
from scoring.publish.sitegen import Paths, load_and_generate

from .conftest import FIXTURES, ROOT

EXAMPLES = int(os.environ.get("CYBERPOWER_EXAMPLES", "15"))
COUNTRIES = ("JPN", "KOR", "PRK", "USA")
# markup that no template writes, so that finding it in a page means a generated text was not escaped
MARKERS = ("<b>", "<img")

# markup, formula signs and other scripts, which validation lets through; and what it refuses
ALLOWED_PIECES = st.sampled_from(
    [
        "<b>",
        "</script>",
        "<img src=x onerror=alert(1)>",
        "&amp;",
        "[x](javascript:1)",
        "{{ x }}",
        "=1+1",
        "\uff1dSUM(1)",
        "**",
        "`",
        "|",
        '"',
        "'",
        "#",
        "- ",
        "한국",
        " ",
    ]
)
REFUSED_PIECES = st.sampled_from(["\\", "\u202e", "\x0c", "\x1b", "\u200b", "\n", "\t", "\x85", "\u2028"])
# Any plane: Vega truncates a long label by UTF-16 units, which can split a character beyond U+FFFF
# (an emoji) into a lone surrogate that vl-convert cannot read back (test_astral_label); the static
# images are then rendered with such characters shown as U+FFFD (scoring/publish/svg.py).
LETTERS = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), max_size=6)
CLEAN = (
    st.lists(st.one_of(ALLOWED_PIECES, LETTERS), min_size=1, max_size=6)
    .map("".join)
    .filter(lambda t: 0 < len(t.strip()) <= 40)
)
ANY = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), max_codepoint=0xFFFF), max_size=40),
    st.lists(st.one_of(ALLOWED_PIECES, REFUSED_PIECES, LETTERS), max_size=6).map("".join),
)
FIELDS = 4 + 1 + 3 + 2 + 2 + 8  # regions, note, source, title, summary, descriptions; names


def _toml(text: str) -> str:
    """A TOML basic string holding `text` exactly (JSON's escapes are TOML's, but for DEL)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), "utf-8")


@st.composite
def projects(draw: st.DrawFn) -> dict[str, object]:
    """Clean text in every field but at most one, which holds anything (so some examples are refused)."""
    chosen = draw(st.lists(st.sampled_from(COUNTRIES), min_size=2, max_size=4, unique=True))
    wild = draw(st.integers(0, 2 * FIELDS))  # which field holds anything; most often none
    counter = iter(range(8, FIELDS))  # 0-7: the names and short names below

    def text() -> str:
        return draw(ANY if next(counter) == wild else CLEAN)

    def distinct(size: int) -> list[str]:  # names the site tells apart (validation refuses twins)
        return draw(st.lists(CLEAN, min_size=size, max_size=size, unique_by=_folded))

    names, short_names = distinct(4), distinct(4)
    countries = {iso3: [names[i], short_names[i], text()] for i, iso3 in enumerate(COUNTRIES)}
    if wild < 8:  # the wild field is a name or short name
        countries[COUNTRIES[wild // 2]][wild % 2] = draw(ANY)
    objective_names = distinct(2)
    return {
        "countries": countries,
        "chosen": sorted(chosen),
        "note": text(),
        "source": [text() for _ in range(3)],
        "title": text(),
        "summary": text(),
        "objectives": [(name, text()) for name in objective_names],
    }


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _write(root: Path, project: dict[str, object]) -> dict[str, str]:
    """Write `project` over a copy of the tiny project at `root`; the country names it holds."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(FIXTURES / "tiny", root)
    (root / "indices" / "tiny-2020.toml").unlink()
    shutil.rmtree(root / "data" / "tiny-2020")
    countries = {iso3: project["countries"][iso3] for iso3 in project["chosen"]}  # type: ignore[index]
    _csv(
        root / "data" / "countries.csv",
        ["iso3", "name", "short_name", "region"],
        [[iso3, *texts] for iso3, texts in countries.items()],
    )
    objectives = root / "data" / "tiny-2022" / "objectives.csv"
    lines = objectives.read_text().splitlines()
    dropped = set(COUNTRIES) - set(countries)
    objectives.write_text("\n".join(line for line in lines if line[:3] not in dropped) + "\n")
    note_country = next(iter(countries))
    _csv(
        root / "data" / "notes.csv",
        ["iso3", "edition", "note", "source"],
        [[note_country, "tiny-2022", str(project["note"]), "tiny-source"]],
    )
    title, publisher, note = project["source"]  # type: ignore[misc]
    _csv(
        root / "data" / "sources.csv",
        ["id", "title", "publisher", "url", "date", "note"],
        [["tiny-source", title, publisher, "https://example.org/tiny", "2020", note]],
    )
    definition = root / "indices" / "tiny-2022.toml"
    text = definition.read_text()
    text = text.replace(
        'title = "Tiny index 2022"',
        f"title = {_toml(str(project['title']))}\nsummary = {_toml(str(project['summary']))}",
    )
    for (name, description), old in zip(project["objectives"], ("Defense", "Destructive"), strict=True):  # type: ignore[call-overload]
        old_description = {"Defense": "Defending.", "Destructive": "Destroying."}[old]
        text = text.replace(f'name = "{old}"', f"name = {_toml(name)}")
        text = text.replace(f'description = "{old_description}"', f"description = {_toml(description)}")
    definition.write_text(text, "utf-8")
    return {iso3: texts[0].strip() for iso3, texts in countries.items()}


def _texts(project: dict[str, object]) -> list[str]:
    countries = {iso3: project["countries"][iso3] for iso3 in project["chosen"]}  # type: ignore[index]
    found = [t for texts in countries.values() for t in texts] + [
        str(project[k]) for k in ("note", "title", "summary")
    ]
    found += list(project["source"])  # type: ignore[call-overload]
    found += [t for pair in project["objectives"] for t in pair]  # type: ignore[attr-defined]
    return [t.strip() for t in found]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pipeline")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(project=projects())
def test_what_validates_builds_and_shows_as_typed(workspace: Path, project: dict[str, object]) -> None:
    root = workspace / "project"
    names = _write(root, project)
    problems = validate(root / "data", root / "indices")
    event("valid" if not problems else "refused")
    if problems:
        return
    paths = replace(Paths.for_project(ROOT, root / "data", root / "indices"), cache=workspace / "cache")
    generated = load_and_generate(paths)

    shown = dict(generated.pages)
    shown.update(
        {path: content.decode("utf-8") for path, content in generated.files.items() if path.endswith(".svg")}
    )
    for text in _texts(project):
        if any(marker in text for marker in MARKERS):
            for path, content in shown.items():
                assert text not in content, f"{text!r} appears unescaped in {path}"

    with_formula = {iso3: ("'" + n if n.startswith(FORMULA_STARTS) else n) for iso3, n in names.items()}
    overall = generated.files["downloads/tiny-2022/overall.csv"].decode("utf-8")
    read_back = {row["iso3"]: row["country"] for row in csv.DictReader(io.StringIO(overall))}
    assert read_back == with_formula


@pytest.mark.xfail(reason="vl-convert fails on a label Vega truncates inside an emoji", strict=True)
def test_astral_label() -> None:
    import vl_convert

    spec = {
        "data": {"values": [{"a": "\U0001f600" * 3, "b": 1}]},
        "mark": "bar",
        "encoding": {
            "y": {"field": "a", "type": "nominal", "axis": {"labelLimit": 20}},
            "x": {"field": "b", "type": "quantitative"},
        },
    }
    vl_convert.vegalite_to_svg(spec)


@pytest.mark.xfail(reason='Vega-Lite leaves \\" unescaped in a tooltip expression', strict=True)
def test_backslash_quote_in_title() -> None:
    """An objective named `X\\"` gives axis titles that break the quadrant chart's tooltip."""
    import vl_convert

    spec = {
        "data": {"values": [{"a": 1, "b": 1}]},
        "mark": "point",
        "encoding": {
            "x": {"field": "a", "type": "quantitative", "title": 'X\\" capability (0–100)'},
            "y": {"field": "b", "type": "quantitative"},
            "tooltip": [{"field": "a", "type": "quantitative"}],
        },
    }
    vl_convert.vegalite_to_svg(spec)


def test_names_beyond_the_bmp_and_backslashes_are_handled_not_crashed(tmp_path: Path) -> None:
    """The two vl-convert / Vega-Lite failures above, seen from our side: a long emoji name builds
    (its static image shows U+FFFD where vl-convert cannot measure it), and a backslash in a name is
    refused by validation instead of reaching a tooltip expression."""
    from scoring.publish import svg

    spec = {
        "data": {"values": [{"a": "\U0001f600" * 30, "b": 1}]},
        "mark": "bar",
        "encoding": {
            "y": {"field": "a", "type": "nominal", "axis": {"labelLimit": 20}},
            "x": {"field": "b", "type": "quantitative"},
        },
    }
    assert svg.render(spec, None).startswith(b"<svg")
    assert svg.render(spec, None, "png").startswith(b"\x89PNG")
    from scoring.inputs.text import text_problem

    assert text_problem("name", 'X\\"', 100) == (
        "name contains a backslash",
        "write it without one; a name or title may not hold \\",
    )
