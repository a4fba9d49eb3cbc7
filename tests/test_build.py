"""The whole build: deterministic output, atomic replacement, quiet and summarised on a pipe."""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from scoring.cli import main
from scoring.publish import build as build_module

from .conftest import ROOT

EPOCH = "1700000000"


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run this Python with `args` in the repository, capturing text output."""
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The site built by the CLI in a subprocess (stderr is a pipe), with a fresh chart cache."""
    folder = tmp_path_factory.mktemp("site-a")
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "CYBERPOWER_CACHE": str(folder.parent / "cache-a")}
    done = _python("-m", "scoring.cli", "build", "--site-dir", str(folder / "site"), env=env)
    assert done.returncode == 0, done.stderr
    return folder / "site", done


def test_build_is_quiet_on_a_pipe_and_prints_a_summary(
    first_build: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    site, done = first_build
    assert done.stderr == ""
    assert re.fullmatch(
        r"built \S+ in \d+\.\d s: 2 editions \(ncpi-2020: 29 ranked, 1 not ranked; ncpi-2022: 30 ranked, "
        r"0 not ranked\); \d+ pages, \d+ files; published figures: ncpi-2020 522 of 522 reproduced, "
        r"ncpi-2022 40 of 40 reproduced; strict mode, no warnings\n",
        done.stdout,
    ), done.stdout
    for page in (
        "index.html",
        "countries/prk/index.html",
        "compare/index.html",
        "map/index.html",
        "downloads/ncpi-2022/overall.csv",
        "assets/javascripts/vega-bundle.js",
        "about/index.html",
    ):
        assert (site / page).is_file(), page
    # the map page draws its maps with map.js from the shared projected shapes, not with Vega
    mapped = sorted(
        str(p.relative_to(site)) for p in site.rglob("*.html") if "data-map=" in p.read_text("utf-8")
    )
    assert mapped == ["map/index.html"]
    assert (site / "charts/map-shapes.svg").is_file()
    assert "data-spec=" not in (site / "map/index.html").read_text("utf-8")
    plain = (site / "assets/javascripts/vega-bundle.js").read_bytes()
    assert b"GeoShape" not in plain  # no page needs vega-geo's transforms, and no runtime carries them
    assert not (site / "assets/javascripts/vega-geo-bundle.js").exists()


def test_two_builds_are_byte_identical(
    first_build: tuple[Path, subprocess.CompletedProcess[str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site, _ = first_build
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # warm cache this time: the default one
    build_module.build(ROOT / "mkdocs.yml", ROOT / "data", ROOT / "indices", tmp_path / "site")
    first, second = _tree(site), _tree(tmp_path / "site")
    assert sorted(first) == sorted(second)
    different = [path for path in first if first[path] != second[path]]
    assert different == []
    assert len(first) > 250
    # every file readable as any file written here: the images linked from the cache's files too
    from scoring.publish.sitegen import FILE_MODE

    modes = {p.stat().st_mode & 0o777 for s in (site, tmp_path / "site") for p in s.rglob("*") if p.is_file()}
    assert modes == {FILE_MODE}


def test_build_records_its_inputs(first_build: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    import json

    site, _ = first_build
    document = json.loads((site / "downloads" / "ncpi-2022" / "results.json").read_text("utf-8"))
    inputs = document["build"]["inputs"]
    digest = hashlib.sha256((ROOT / "data" / "ncpi-2022" / "objectives.csv").read_bytes()).hexdigest()
    assert inputs["data/ncpi-2022/objectives.csv"] == digest
    dots = hashlib.sha256((ROOT / "site/assets/data/small-countries.csv").read_bytes()).hexdigest()
    assert inputs["site/assets/data/small-countries.csv"] == dots
    assert document["build"]["package"].startswith("cyberpower ")
    about = html.unescape((site / "about" / "index.html").read_text("utf-8"))
    assert digest in about and "2023-11-14 22:13 UTC" in about


def test_bad_data_leaves_the_last_good_site(
    first_build: tuple[Path, subprocess.CompletedProcess[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = tmp_path / "site"
    shutil.copytree(first_build[0], site)
    before = _tree(site)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    objectives = data / "ncpi-2022" / "objectives.csv"
    objectives.write_text(
        objectives.read_text("utf-8").replace("PRK,financial,50,1,", "PRK,financial,50,1.3,")
    )
    code = main(
        [
            "build",
            "--data",
            str(data),
            "--indices",
            str(ROOT / "indices"),
            "--site-dir",
            str(site),
            "--config",
            str(ROOT / "mkdocs.yml"),
        ]
    )
    assert code == 2
    assert "intent 1.3 is outside 0–1 (row PRK, financial)" in capsys.readouterr().err
    assert _tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "site"]  # no staging folder left


def test_failure_inside_mkdocs_leaves_the_last_good_site(
    first_build: tuple[Path, subprocess.CompletedProcess[str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mkdocs.exceptions import Abort

    site = tmp_path / "site"
    shutil.copytree(first_build[0], site)
    before = _tree(site)

    def half_build(config: object) -> None:  # writes part of a site, then fails as strict mode would
        out = Path(config.site_dir)  # type: ignore[attr-defined]
        (out / "index.html").write_text("partial")
        raise Abort("Aborted with 1 warnings in strict mode!")

    monkeypatch.setattr(build_module, "mkdocs_build", half_build)
    assert (
        main(
            [
                "build",
                "--site-dir",
                str(site),
                "--config",
                str(ROOT / "mkdocs.yml"),
                "--data",
                str(ROOT / "data"),
                "--indices",
                str(ROOT / "indices"),
            ]
        )
        == 1
    )
    assert _tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_mkdocs_build_gives_the_same_site(
    first_build: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    done = _python("-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site"), env=env)
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr
    assert _tree(tmp_path / "site") == _tree(first_build[0])


@pytest.mark.parametrize("where", [".", "data", "indices", "site", "site/assets", "templates", "..", "notes"])
def test_build_refuses_to_replace_sources(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    for name in ("data", "indices", "templates", "site"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "scoring").symlink_to(ROOT / "scoring")
    (project / "notes").mkdir()
    (project / "notes" / "mine.txt").write_text("an analyst's file")
    monkeypatch.chdir(project)
    before = _tree(tmp_path)
    assert main(["build", "--site-dir", where]) == 2
    message = capsys.readouterr().err
    assert message.startswith(f"cyberpower: refusing to build into {(project / where).resolve()}: ")
    assert _tree(tmp_path) == before  # nothing replaced, nothing left behind


def test_build_replaces_only_what_a_build_made(
    first_build: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    site, _ = first_build
    assert (site / ".cyberpower-site").is_file()


def test_docs_dir_is_a_complete_source_that_plain_mkdocs_builds_alike(
    first_build: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    source, site = tmp_path / "source", tmp_path / "site"
    done = _python("-m", "scoring.cli", "build", "--site-dir", str(site), "--docs-dir", str(source), env=env)
    assert done.returncode == 0, done.stderr
    config = (source / "mkdocs.yml").read_text("utf-8")
    assert "hooks" not in config and "scoring" not in config
    plain = tmp_path / "plain"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(plain)],
        cwd=source,  # no project beside it to import from but the installed package, which it never asks
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    built = _tree(site)
    assert built.pop(".cyberpower-site")
    assert _tree(plain) == built
    assert _tree(site) == _tree(first_build[0])


def test_a_build_loads_and_scores_the_project_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scoring.publish import sitegen

    calls = {"load": 0, "score": 0}
    load, score = sitegen.load_project, sitegen.run_all

    def counted_load(*args: object) -> object:
        calls["load"] += 1
        return load(*args)  # type: ignore[arg-type]

    def counted_score(*args: object, **kwargs: object) -> object:
        calls["score"] += 1
        return score(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sitegen, "load_project", counted_load)
    monkeypatch.setattr(sitegen, "run_all", counted_score)
    build_module.build(ROOT / "mkdocs.yml", ROOT / "data", ROOT / "indices", tmp_path / "site")
    # once each; the audit's remove-one variants are scored from the loaded project, never reloaded
    assert calls == {"load": 1, "score": 1}


@pytest.mark.parametrize("where", ["Makefile", "link-to-file", ".git/site"])
def test_build_refuses_a_file_or_a_folder_inside_git(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Makefile").write_text("all:\n")
    (tmp_path / "link-to-file").symlink_to(tmp_path / "Makefile")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    before = _tree(tmp_path)
    args = ["build", "--site-dir", where, "--config", str(ROOT / "mkdocs.yml")]
    assert main([*args, "--data", str(ROOT / "data"), "--indices", str(ROOT / "indices")]) == 2
    message = capsys.readouterr().err
    reason = "it lies inside a .git folder" if ".git" in where else "it is a file, not a folder"
    assert message.startswith("cyberpower: refusing to build into ") and message.endswith(f": {reason}\n")
    assert _tree(tmp_path) == before


def test_leftovers_of_an_interrupted_build_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "site"
    dead = tmp_path / ".site.building-999999999-x1"  # no such process
    alive = tmp_path / f".site.source-{os.getpid()}-x2"  # a build running now
    other = tmp_path / ".other.building-999999999-x3"  # another target's
    for folder in (dead, alive, other):
        (folder / "assets").mkdir(parents=True)
    assert build_module.remove_stale(target) == [dead]
    assert not dead.exists() and alive.is_dir() and other.is_dir()


def test_a_full_disk_is_one_line_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x"))

    monkeypatch.setattr(build_module.source, "write_source", full)
    args = ["build", "--site-dir", str(tmp_path / "site"), "--config", str(ROOT / "mkdocs.yml")]
    assert main([*args, "--data", str(ROOT / "data"), "--indices", str(ROOT / "indices")]) == 1
    err = capsys.readouterr().err
    assert err == (
        "cyberpower: the site build failed; the previous site is untouched: "
        f"[Errno 28] No space left on device: '{tmp_path / 'x'}'\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no staging folder left


def test_terminal_output_escapes_control_characters() -> None:
    from scoring.inputs.errors import Problem

    problem = Problem(
        "data/x.csv", 3, 2, "unknown country 'A\x1b]0;pwned\x07\n::error file=x::B\u202e'", "fix"
    )
    assert str(problem) == (
        "data/x.csv:3:2: unknown country 'A\\x1b]0;pwned\\x07\\n::error file=x::B\\u202e'; hint: fix"
    )
    assert "\n" not in str(problem)


def _project_copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    for name in ("data", "indices", "templates", "site"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "scoring").symlink_to(ROOT / "scoring")
    return project


@pytest.mark.parametrize(
    ("template", "edit", "expected"),
    [
        (  # an unclosed block: Jinja names the line where the template ended
            "country.md.j2",
            lambda text: text + "{% if page.name %}\n",
            lambda text: (
                rf"templates/country\.md\.j2:{len(text.splitlines()) + 1}:1: template syntax error: "
                r"Unexpected end of template\. .*'endif'[^;]*"
            ),
        ),
        (  # a syntax error in the macros a page imports is reported in that file
            "_macros.md.j2",
            lambda text: "{{ oops(}}\n" + text,
            lambda _: r"templates/_macros\.md\.j2:1:1: template syntax error: .*",
        ),
        (  # an undefined attribute is an error while rendering: the line, and the page being rendered
            "country.md.j2",
            lambda text: text.replace("# {{ page.name }}\n", "# {{ page.nmae }}\n", 1),
            lambda text: (
                rf"templates/country\.md\.j2:{text.splitlines().index('# {{ page.name }}') + 1}:1: "
                r"template error: .* has no attribute 'nmae'; hint: while rendering countries/[a-z]{3}\.md"
            ),
        ),
        (  # a part of a page made by its own template (a country's section) is located in that file
            "country_section.md.j2",
            lambda text: text.replace("{{ r.activation }}.**", "{{ r.activaton }}.**", 1),
            lambda text: (
                rf"templates/country_section\.md\.j2:"
                rf"{next(n for n, line in enumerate(text.splitlines(), 1) if '{{ r.activation }}.**' in line)}:1: "
                r"template error: .* has no attribute 'activaton'; hint: while rendering countries/[a-z]{3}\.md"
            ),
        ),
        (  # a theme override breaks the MkDocs render: named by its file, not the build's copy of it
            "theme/main.html",
            lambda text: text + "{% if page %}\n",
            lambda text: (
                rf"templates/theme/main\.html:{len(text.splitlines()) + 1}:1: template syntax error: "
                r"Unexpected end of template\. .*'endif'[^;]*"
            ),
        ),
    ],
    ids=["unclosed-if", "macros", "undefined", "section", "theme"],
)
def test_a_broken_template_is_one_located_line_and_leaves_the_last_good_site(
    template: str,
    edit: Callable[[str], str],
    expected: Callable[[str], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = _project_copy(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / ".cyberpower-site").write_text("built by cyberpower; a rebuild replaces this folder\n")
    (site / "index.html").write_text("the last good site")
    before = _tree(site)
    path = project / "templates" / template
    good = path.read_text("utf-8")
    path.write_text(edit(good), encoding="utf-8")
    monkeypatch.chdir(project)
    assert main(["build", "--site-dir", str(site)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2, lines  # the problem and the count: no traceback
    assert re.fullmatch(expected(good), lines[0]), lines[0]
    assert lines[1] == "cyberpower: 1 problem found"
    assert _tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]  # no staging folder left


def test_a_warm_build_reuses_the_pages_until_what_they_are_made_of_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scoring.publish import memo, sitegen

    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    default = sitegen.Paths.for_project(ROOT, ROOT / "data", ROOT / "indices")
    paths = sitegen.Paths(
        tmp_path / "data",
        ROOT / "indices",
        tmp_path / "templates",
        default.topology,
        default.dots,
        tmp_path / "c",
    )
    renders = []
    render = sitegen.pages.render
    monkeypatch.setattr(sitegen.pages, "render", lambda *a, **k: renders.append(1) or render(*a, **k))

    first = sitegen.load_and_generate(paths)
    again = sitegen.load_and_generate(paths)
    assert len(renders) == 1 and again.pages == first.pages and again.files == first.files

    template = tmp_path / "templates" / "country.md.j2"
    template.write_text(template.read_text("utf-8") + "\n{# a comment #}\n", "utf-8")
    sitegen.load_and_generate(paths)
    assert len(renders) == 2

    objectives = tmp_path / "data" / "ncpi-2022" / "objectives.csv"
    objectives.write_text(objectives.read_text("utf-8").replace("PRK,financial,50,1,", "PRK,financial,20,1,"))
    edited = sitegen.load_and_generate(paths)
    assert len(renders) == 3 and edited.pages["countries/prk.md"] != first.pages["countries/prk.md"]

    monkeypatch.setattr(memo, "package_code", lambda: "other code")
    sitegen.load_and_generate(paths)
    assert len(renders) == 4


def test_chart_images_are_made_while_mkdocs_renders_and_stopped_when_it_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs.exceptions import Abort

    from scoring.publish import svg

    monkeypatch.setenv("CYBERPOWER_CACHE", str(tmp_path / "cold"))  # every image is still to be made
    monkeypatch.setattr(svg.os, "cpu_count", lambda: 2)  # helpers even on a one-core machine
    started: list[svg.Rendering] = []
    start = svg.start
    monkeypatch.setattr(svg, "start", lambda *a, **k: started.append(start(*a, **k)) or started[-1])
    seen: dict[str, object] = {}

    def failing(config: object) -> None:  # what MkDocs finds when it starts, then a strict-mode failure
        charts = Path(config.docs_dir) / "charts"  # type: ignore[attr-defined]
        # (the map page's shared shapes are a page file, made with the pages: not a chart's image)
        images = [p for p in charts.iterdir() if p.suffix in (".svg", ".png") and p.name != "map-shapes.svg"]
        seen["images"] = sorted(p.name for p in images)
        seen["helpers"] = [h.poll() for h in started[0].helpers]
        raise Abort("Aborted with 1 warnings in strict mode!")

    monkeypatch.setattr(build_module, "mkdocs_build", failing)
    with pytest.raises(Abort):
        build_module.build(ROOT / "mkdocs.yml", ROOT / "data", ROOT / "indices", tmp_path / "site")
    # MkDocs started before any image was made, with a helper process a core making them
    assert seen["images"] == [] and len(seen["helpers"]) == 2  # type: ignore[arg-type]
    assert all(h.returncode is not None for h in started[0].helpers)  # stopped, not left running
    assert not (tmp_path / "site").exists()


def test_chart_helpers_started_early_are_sent_away_when_the_pages_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scoring.publish import sitegen, svg

    monkeypatch.setattr(svg.os, "cpu_count", lambda: 2)
    started: list[list[subprocess.Popen[bytes]]] = []
    start = svg.started
    monkeypatch.setattr(svg, "started", lambda cache: started.append(start(cache)) or started[-1])

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a page failed")

    monkeypatch.setattr(sitegen.pages, "render", broken)
    default = sitegen.Paths.for_project(ROOT, ROOT / "data", ROOT / "indices")
    paths = sitegen.Paths(*[*vars(default).values()][:5], tmp_path / "cache")  # type: ignore[arg-type]
    project, results = sitegen.load_and_score(paths)
    with pytest.raises(RuntimeError, match="a page failed"):
        sitegen.generate(project, results, paths, wait=False)  # as the build does
    assert len(started) == 1 and len(started[0]) == 2
    assert [helper.returncode for helper in started[0]] == [0, 0]  # ended: no task, no error


def test_a_cold_build_hands_each_page_s_charts_to_the_helpers_once_as_the_page_is_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scoring.inputs import mapdata
    from scoring.pages.charts import geo
    from scoring.publish import sitegen, svg

    monkeypatch.setattr(svg.os, "cpu_count", lambda: 2)
    handed: list[tuple[str, int]] = []  # (file key, pages rendered when it was handed)
    pages_done = [0]
    hand, render_page = svg._hand, sitegen.pages._Renderer.render

    def counting(helper: object, cache: Path, tasks: list[tuple[str, str, object]]) -> None:
        handed.extend((key, pages_done[0]) for kind, key, _ in tasks if kind != "bundle")
        hand(helper, cache, tasks)  # type: ignore[arg-type]

    def rendering(renderer: object, page: object) -> None:
        render_page(renderer, page)  # type: ignore[arg-type]
        pages_done[0] += 1

    monkeypatch.setattr(svg, "_hand", counting)
    monkeypatch.setattr(sitegen.pages._Renderer, "render", rendering)
    sitegen.forget()
    default = sitegen.Paths.for_project(ROOT, ROOT / "data", ROOT / "indices")
    paths = sitegen.Paths(*[*vars(default).values()][:5], tmp_path / "cache")  # type: ignore[arg-type]
    generated = sitegen.generate(*sitegen.load_and_score(paths), paths, wait=False)
    images = generated.image_files()
    # first, before any page: the map's drawing, which the page files' map-shapes.svg is cut from
    topology = mapdata.load_topology(paths.topology)
    drawing, _ = svg._fixed(geo.geometry_spec(topology, mapdata.load_dots(paths.dots)), "svg")
    assert handed[0] == (drawing, 0) and (tmp_path / "cache" / "svg" / f"{drawing}.svg").is_file()
    keys = [key for key, _ in handed[1:]]
    made = [p for p in images if p.endswith((".svg", ".png", ".vg.json"))]
    assert len(keys) == len(set(keys)) == len(made)
    # a PNG of each page's main chart only, its Open Graph image
    previews = {m[1] for text in generated.pages.values() if (m := re.match(r"---\nimage: (\S+)\n", text))}
    assert {p for p in made if p.endswith(".png")} == previews
    # an SVG of every chart, a compiled Vega spec of every chart but the maps, which map.js draws
    svgs = {p.removesuffix(".svg") for p in made if p.endswith(".svg")}
    maps = {p for p in svgs if p.startswith("charts/map-")}
    assert (
        len(maps) == 2 and {p.removesuffix(".vg.json") for p in made if p.endswith(".vg.json")} == svgs - maps
    )
    assert len(made) == len(svgs) + len(svgs - maps) + len(previews)
    assert min(done for _, done in handed) <= 2 < len(generated.pages)  # from the first pages on


def test_images_are_linked_from_the_cache_never_written_into_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`place` links a cache file into the site (no copy of the content), with the mode any file
    written here gets; what was at the target before (a link from an earlier build) is replaced, not
    written into; on a file system without hard links it copies."""
    from scoring.publish import sitegen

    cache = tmp_path / "cache" / "a.svg"
    cache.parent.mkdir()
    cache.write_bytes(b"<svg>new</svg>")
    cache.chmod(0o600)  # as `memo.write_atomically` leaves its files
    old = tmp_path / "cache" / "old.svg"
    old.write_bytes(b"<svg>old</svg>")
    site = tmp_path / "site"
    site.mkdir()
    os.link(old, site / "a.svg")  # an earlier build's link, to another cache file
    sitegen.place(cache, site / "a.svg")
    assert os.path.samefile(cache, site / "a.svg")
    assert old.read_bytes() == b"<svg>old</svg>"
    assert (site / "a.svg").stat().st_mode & 0o777 == sitegen.FILE_MODE

    def refused(source: object, target: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(sitegen.os, "link", refused)
    sitegen.place(cache, site / "a.svg")
    assert not os.path.samefile(cache, site / "a.svg")
    assert (site / "a.svg").read_bytes() == b"<svg>new</svg>"
    assert cache.read_bytes() == b"<svg>new</svg>"


def test_chart_helpers_start_before_the_project_loads_and_stop_at_once_on_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build starts its chart helpers first, so that they start vl-convert and make the chart runtime
    on the core that loading and scoring leave idle, and makes its images with them; bad input stops
    them at once, without waiting for the runtime (~0.7 s): nothing is left running."""
    from scoring.inputs.errors import ProjectError
    from scoring.publish import sitegen, svg

    monkeypatch.setattr(svg.os, "cpu_count", lambda: 2)  # helpers even on a one-core machine
    monkeypatch.setenv("CYBERPOWER_CACHE", str(tmp_path / "cold"))  # the runtime is still to be made
    events: list[str] = []
    started: list[list[subprocess.Popen[bytes]]] = []
    start, load = svg.started, sitegen.load_project

    def starting(cache: Path | None) -> list[subprocess.Popen[bytes]]:
        events.append("helpers")
        started.append(start(cache))
        return started[-1]

    def loading(*args: object) -> object:
        events.append("load")
        return load(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(svg, "started", starting)
    monkeypatch.setattr(sitegen, "load_project", loading)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    objectives = data / "ncpi-2022" / "objectives.csv"
    objectives.write_text(
        objectives.read_text("utf-8").replace("PRK,financial,50,1,", "PRK,financial,50,1.3,")
    )
    with pytest.raises(ProjectError):
        build_module.build(ROOT / "mkdocs.yml", data, ROOT / "indices", tmp_path / "site")
    assert events == ["helpers", "load"]
    assert len(started[0]) == 2 and all(h.returncode is not None for h in started[0])
    assert not (tmp_path / "cold" / svg._bundle_name()).exists()  # stopped, not waited for
    # with good input, the build's helpers are the ones it started first: no others
    shutil.copytree(ROOT / "data", data, dirs_exist_ok=True)
    build_module.build(ROOT / "mkdocs.yml", data, ROOT / "indices", tmp_path / "site")
    assert events == ["helpers", "load"] * 2
    assert (tmp_path / "site" / sitegen.BUNDLE).is_file()
