"""The analyst's loop: after an edit, a process that generated the site before redoes only what the edit
touched, and what it reuses gives exactly the site a fresh process gives."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import jinja2
import pytest

from scoring.inputs import load, mapdata
from scoring.inputs.errors import ProjectError
from scoring.method.memo import Same, kept
from scoring.pages import render as pages
from scoring.publish import sitegen

from .conftest import ROOT


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> sitegen.Paths:
    monkeypatch.setattr(sitegen, "_scored", {})  # nothing loaded or scored yet in this process
    monkeypatch.setattr(load, "_loaded", {})
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "indices", tmp_path / "indices")
    default = sitegen.Paths.for_project(ROOT, tmp_path / "data", tmp_path / "indices")
    return sitegen.Paths(*[*vars(default).values()][:5], tmp_path / "cache")  # type: ignore[arg-type]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_an_edition_no_edit_touched_keeps_its_data_and_results(paths: sitegen.Paths) -> None:
    loaded, first = sitegen.load_and_score(paths)
    reloaded, again = sitegen.load_and_score(paths)
    assert all(again[e] is first[e] and reloaded.editions[e] is loaded.editions[e] for e in first)

    _edit(paths.data / "ncpi-2022" / "objectives.csv", "PRK,financial,50,1,", "PRK,financial,47.5,1,")
    project, edited = sitegen.load_and_score(paths)
    assert (
        edited["ncpi-2020"] is first["ncpi-2020"]
        and project.editions["ncpi-2020"] is loaded.editions["ncpi-2020"]
    )
    assert edited["ncpi-2022"] is not first["ncpi-2022"]
    assert project.editions["ncpi-2022"] is not loaded.editions["ncpi-2022"]
    assert (
        edited["ncpi-2022"]
        .objectives.set_index(["iso3", "objective"])
        .loc[("PRK", "financial"), "capability"]
        == 47.5
    )

    # a file every edition reads (country names) and an edition's definition: scored again
    _edit(paths.data / "countries.csv", "EST,Estonia,", "EST,Republic of Estonia,")
    _, renamed = sitegen.load_and_score(paths)
    assert all(renamed[e] is not edited[e] for e in edited)
    assert "Republic of Estonia" in renamed["ncpi-2020"].overall["country"].tolist()
    _edit(paths.indices / "ncpi-2020.toml", "draws = 1000", "draws = 1000  # edited")
    _, redefined = sitegen.load_and_score(paths)
    assert (
        redefined["ncpi-2020"] is not renamed["ncpi-2020"] and redefined["ncpi-2022"] is renamed["ncpi-2022"]
    )


def test_what_is_reused_after_an_edit_gives_the_site_a_fresh_process_gives(
    paths: sitegen.Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    topology, dots = mapdata.load_topology(paths.topology), mapdata.load_dots(paths.dots)
    project, results = sitegen.load_and_score(paths)
    reuse = pages.Reuse("rest", {"ncpi-2020": "2020", "ncpi-2022": "2022"})
    before = pages.render(project, results, paths.templates, topology, dots=dots, reuse=reuse)
    narrow = {p.path for p in before.registry.pages if p.reads == ("ncpi-2020",)}  # type: ignore[union-attr]
    assert len(narrow) >= 30 and set(reuse.pages) == narrow | {
        "rankings/ncpi-2022.md",
        "audit/ncpi-2022.md",
        "rankings/ncpi-2022-estimates.md",
    }

    # an edit that changes NCPI 2022's ranks, scores and the check of its published figures
    _edit(paths.data / "ncpi-2022" / "objectives.csv", "PRK,financial,50,1,", "PRK,financial,99,1,")
    project, reused = sitegen.load_and_score(paths)
    rendered: list[str] = []
    render_page = pages._Renderer._render
    monkeypatch.setattr(
        pages._Renderer, "_render", lambda r, page: rendered.append(page.path) or render_page(r, page)
    )
    made: list[str] = []  # the editions of the country sections rendered
    render_template = jinja2.Template.render

    def counted(template: jinja2.Template, *args: object, **values: object) -> str:
        if template.name == "country_section.md.j2":
            made.append(values["s"].edition.id)  # type: ignore[attr-defined]
        return render_template(template, *args, **values)

    monkeypatch.setattr(jinja2.Template, "render", counted)
    edited = pages.Reuse("rest", {"ncpi-2020": "2020", "ncpi-2022": "edited"}, reuse.pages, reuse.parts)
    again = pages.render(project, reused, paths.templates, topology, dots=dots, reuse=edited)
    assert narrow.isdisjoint(rendered) and len(rendered) == len(again.pages) - len(narrow)
    # each country page is made again, with its NCPI 2020 section as it was
    assert set(made) == {"ncpi-2022"} and len(made) == len(reused["ncpi-2022"].overall)

    monkeypatch.setattr(sitegen, "_scored", {})
    fresh_project, fresh = sitegen.load_and_score(paths)
    assert fresh["ncpi-2020"] is not reused["ncpi-2020"]
    anew = pages.render(fresh_project, fresh, paths.templates, topology, dots=dots)
    assert again.pages == anew.pages and again.files == anew.files
    assert {i: c.spec for i, c in again.charts.items()} == {i: c.spec for i, c in anew.charts.items()}
    # what NCPI 2022's data shows did change: the narrow pages were reused, not left behind
    assert again.pages["rankings/ncpi-2022.md"] != before.pages["rankings/ncpi-2022.md"]
    assert all(again.pages[p] == before.pages[p] for p in narrow)

    # an edit of the data those pages read renders them again
    rendered.clear()
    touched = pages.Reuse("rest", {"ncpi-2020": "edited", "ncpi-2022": "edited"}, reuse.pages)
    pages.render(project, reused, paths.templates, topology, dots=dots, reuse=touched)
    assert narrow <= set(rendered)


def test_kept_parts_are_made_again_when_what_they_show_changes(paths: sitegen.Paths) -> None:
    _, results = sitegen.load_and_score(paths)
    result, made = results["ncpi-2020"], []
    big = {"a": 1}

    def make() -> int:
        made.append(1)
        return len(made)

    assert kept(result, ("test", "x"), ("A", Same(big)), make) == 1
    assert kept(result, ("test", "x"), ("A", Same(big)), make) == 1  # kept
    assert kept(result, ("test", "y"), ("A", Same(big)), make) == 2  # another part
    assert kept(result, ("test", "x"), ("A", Same({"a": 1})), make) == 3  # an equal object, not the same
    assert kept(result, ("test", "x"), ("B", Same({"a": 1})), make) == 4
    assert kept(results["ncpi-2022"], ("test", "x"), ("B", Same(big)), make) == 5  # other results


def test_the_audits_are_kept_in_the_process_as_the_same_objects(paths: sitegen.Paths) -> None:
    from scoring.publish import memo

    assert paths.cache is not None
    computed: list[int] = []
    first = memo.cached(paths.cache, "test", {"a": "1"}, lambda: computed.append(1) or {"x": 1}, keep=True)
    again = memo.cached(paths.cache, "test", {"a": "1"}, lambda: computed.append(1) or {"x": 1}, keep=True)
    assert again is first and computed == [1]
    read = memo.cached(paths.cache, "test", {"a": "1"}, lambda: computed.append(1) or {"x": 1})
    assert read == first and read is not first and computed == [1]  # from the disk, as another process


def test_a_kept_edition_is_checked_again_when_what_its_cells_name_changes(
    paths: sitegen.Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    sitegen.load_and_score(paths)
    countries = paths.data / "countries.csv"
    row = next(line for line in countries.read_text("utf-8").splitlines() if line.startswith("EST,"))
    _edit(countries, row + "\n", "")
    with pytest.raises(ProjectError) as kept:
        sitegen.load_and_score(paths)
    monkeypatch.setattr(load, "_loaded", {})
    with pytest.raises(ProjectError) as fresh:
        sitegen.load_and_score(paths)
    assert [str(p) for p in kept.value.problems] == [str(p) for p in fresh.value.problems]
    assert "ncpi-2020/facts.csv" in str(kept.value.problems[0])  # Estonia's rows, in a kept edition


def test_forget_drops_what_the_process_kept(paths: sitegen.Paths) -> None:
    project, results = sitegen.load_and_score(paths)
    sitegen.forget()
    again, anew = sitegen.load_and_score(paths)
    assert all(anew[e] is not results[e] and again.editions[e] is not project.editions[e] for e in results)
    # and what a new process would make again on its first build: the charts' structures and compiled
    # specs, the compiled templates, the links between pages
    from scoring.pages.charts import bars
    from scoring.pages.markup import environment
    from scoring.publish import svg

    bars.PROFILE.structure(1, (("sort", ("a",)), ("bars", 1)))
    svg._structures["x"] = "{}"
    environment(paths.templates)
    sitegen.pages._relative("a.md", "b.md")
    sitegen.forget()
    assert bars.PROFILE.structure.cache_info().currsize == 0 and svg._structures == {}
    assert environment.cache_info().currsize == 0 == sitegen.pages._relative.cache_info().currsize


def test_the_garbage_collector_is_paused_while_the_site_is_generated(
    paths: sitegen.Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    render = sitegen.pages.render
    monkeypatch.setattr(
        sitegen.pages, "render", lambda *a, **k: seen.append(gc.isenabled()) or render(*a, **k)
    )
    assert gc.isenabled()
    sitegen.load_and_generate(paths, wait=False).complete()
    assert seen == [False] and gc.isenabled()

    monkeypatch.setattr(sitegen.pages, "render", lambda *a, **k: 1 / 0)
    _edit(paths.data / "ncpi-2022" / "objectives.csv", "PRK,financial,50,1,", "PRK,financial,51,1,")
    with pytest.raises(ZeroDivisionError):
        sitegen.load_and_generate(paths, wait=False)
    assert gc.isenabled()  # and again after a failure
