"""Generated pages: golden Markdown of a representative set, and checks that hold for every page.

The site is rendered once per module, in memory, exactly as `scoring.publish.sitegen` does it. Snapshots are
one Markdown file per page under `tests/__snapshots__/test_pages/`, so a template change is reviewed
as a diff of the page; each embedded chart spec is replaced by its sha256 (`tests/test_charts.py`
covers the specs themselves). Update them with `pytest tests/test_pages.py --snapshot-update`.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import posixpath
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown.extensions.toc import slugify
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from scoring.inputs import mapdata
from scoring.inputs.load import Project, load_project
from scoring.method.engine import Results, run_all
from scoring.outputs import export
from scoring.pages import contexts
from scoring.pages import render as pages
from scoring.pages.charts import compare as compare_chart
from scoring.pages.markup import escape
from scoring.pages.registry import UnknownPage
from scoring.pages.render import SiteFiles

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SCRIPT = re.compile(r'(<script type="application/json"[^>]*>)(.*?)(</script>)', re.S)
MD_LINK = re.compile(r"\]\(([^)\s]*)\)")
HTML_REF = re.compile(r'\b(href|src)="([^"]*)"')
HEADING = re.compile(r"^(#{1,6}) (.*?)(?: \{ #([^ }]+) \})?$", re.M)
HTML_ID = re.compile(r'\bid="([^"]+)"')
ESTIMATED = '!!! warning "Estimated values"'
CHART_2022 = re.compile(r'<figure class="cp-chart" id="chart\.[a-z_-]*ncpi-2022\b[^"]*">.*?</figure>', re.S)

PAGE_PATHS = [
    "about.md",
    "audit/ncpi-2020.md",
    "audit/ncpi-2022.md",
    "compare.md",
    "countries/aus.md",
    "countries/bra.md",
    "countries/can.md",
    "countries/che.md",
    "countries/chn.md",
    "countries/deu.md",
    "countries/egy.md",
    "countries/esp.md",
    "countries/est.md",
    "countries/fra.md",
    "countries/gbr.md",
    "countries/ind.md",
    "countries/index.md",
    "countries/irn.md",
    "countries/isr.md",
    "countries/ita.md",
    "countries/jpn.md",
    "countries/kor.md",
    "countries/ltu.md",
    "countries/mys.md",
    "countries/nld.md",
    "countries/nzl.md",
    "countries/prk.md",
    "countries/rus.md",
    "countries/sau.md",
    "countries/sgp.md",
    "countries/swe.md",
    "countries/tur.md",
    "countries/ukr.md",
    "countries/usa.md",
    "countries/vnm.md",
    "data.md",
    "index.md",
    "indicators/CERTS.md",
    "indicators/attack_commercial.md",
    "indicators/attack_control.md",
    "indicators/attack_intelligence.md",
    "indicators/attack_offense.md",
    "indicators/attack_surveillance.md",
    "indicators/bilat_agreement.md",
    "indicators/broadband_speed.md",
    "indicators/computer_infection.md",
    "indicators/cyber_command.md",
    "indicators/cyber_firm.md",
    "indicators/cybermil_people.md",
    "indicators/ecommerce_capita.md",
    "indicators/freedom_net.md",
    "indicators/human_capital.md",
    "indicators/index.md",
    "indicators/internet_use.md",
    "indicators/laws.md",
    "indicators/military_strategy.md",
    "indicators/mobile_infection.md",
    "indicators/mobile_speed.md",
    "indicators/multi_agreement.md",
    "indicators/news_alexa.md",
    "indicators/patent_app_capita.md",
    "indicators/removal_google.md",
    "indicators/shodan.md",
    "indicators/socials_use.md",
    "indicators/softpower.md",
    "indicators/surveillance_firm.md",
    "indicators/tech_export.md",
    "indicators/tech_firm.md",
    "indicators/web_alexa.md",
    "map.md",
    "methodology.md",
    "objectives/commercial.md",
    "objectives/defense.md",
    "objectives/destructive.md",
    "objectives/financial.md",
    "objectives/index.md",
    "objectives/information_control.md",
    "objectives/intelligence.md",
    "objectives/norms.md",
    "objectives/surveillance.md",
    "posture.md",
    "rankings/ncpi-2020.md",
    "rankings/ncpi-2022-estimates.md",
    "rankings/ncpi-2022.md",
    "sources.md",
]
SNAPSHOT_PAGES = [
    "index.md",
    "audit/ncpi-2020.md",
    "indicators/tech_export.md",
    "rankings/ncpi-2022.md",
    "countries/prk.md",
    "countries/kor.md",
    "objectives/financial.md",
    "methodology.md",
    "data.md",
]


class MarkdownSnapshotExtension(SingleFileSnapshotExtension):
    """One reviewable `.md` file per snapshot."""

    file_extension = "md"
    _write_mode = WriteMode.TEXT


@pytest.fixture
def md_snapshot(snapshot: Any) -> Any:
    return snapshot.use_extension(MarkdownSnapshotExtension)


@pytest.fixture(scope="module")
def topology() -> dict[str, Any]:
    return mapdata.load_topology(ROOT / "site" / mapdata.TOPOLOGY)


@pytest.fixture(scope="module")
def site(project: Project, results: dict[str, Results], topology: dict[str, Any]) -> SiteFiles:
    dots = mapdata.load_dots(ROOT / "site" / mapdata.SMALL_COUNTRIES)
    return pages.render(project, results, ROOT / "templates", topology, dots=dots)


@pytest.fixture(scope="module")
def tiny_site(tiny_project: Project, topology: dict[str, Any]) -> SiteFiles:
    return pages.render(tiny_project, run_all(tiny_project), ROOT / "templates", topology)


def reviewable(markdown: str) -> str:
    """The page with each embedded chart spec replaced by its size and sha256."""

    def placeholder(m: re.Match[str]) -> str:
        digest = hashlib.sha256(m.group(2).encode()).hexdigest()[:16]
        return f"{m.group(1)}[spec: {len(m.group(2))} chars, sha256 {digest}]{m.group(3)}"

    return SCRIPT.sub(placeholder, markdown)


def sections(markdown: str) -> list[str]:
    """The page split at its `## ` headings; the first item is everything before the first one."""
    return re.split(r"^(?=## )", markdown, flags=re.M)


def section(markdown: str, anchor: str) -> str:
    [found] = [
        s for s in sections(markdown) if s.startswith("## ") and f"{{ #{anchor} }}" in s.splitlines()[0]
    ]
    return found


def nav_paths(nav: Any) -> Iterator[str]:
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from nav_paths(value)
    else:
        for item in nav:
            yield from nav_paths(item)


def anchors(markdown: str) -> set[str]:
    """Ids a fragment can point at: explicit `{ #id }` and `id="..."`, and the toc slug of other headings."""
    found = set(HTML_ID.findall(markdown))
    for _, text, explicit in HEADING.findall(markdown):
        found.add(explicit or slugify(html.unescape(text), "-"))
    return found


def page_url_dir(path: str) -> str:
    """The folder a page is served from with use_directory_urls (a/b.md at a/b/, a/index.md at a/)."""
    stem = path.removesuffix(".md")
    return posixpath.dirname(stem) if posixpath.basename(stem) == "index" else stem


# --- snapshots -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SNAPSHOT_PAGES, ids=lambda p: p.removesuffix(".md").replace("/", "-"))
def test_page_snapshot(site: SiteFiles, path: str, md_snapshot: Any) -> None:
    assert reviewable(site.pages[path]) == md_snapshot


def test_tiny_country_page_snapshot(tiny_site: SiteFiles, md_snapshot: Any) -> None:
    assert reviewable(tiny_site.pages["countries/prk.md"]) == md_snapshot


def test_reviewable_replaces_only_the_spec() -> None:
    text = 'a <script type="application/json" id="spec-x">{"a":1}</script> b'
    assert reviewable(text) == (
        'a <script type="application/json" id="spec-x">[spec: 7 chars, sha256 015abd7f5cc57a2d]</script> b'
    )


# --- which pages exist -----------------------------------------------------------------------------------


def test_generated_page_paths(site: SiteFiles) -> None:
    assert sorted(site.pages) == PAGE_PATHS


def test_every_country_has_a_page(site: SiteFiles) -> None:
    with (ROOT / "data" / "countries.csv").open(encoding="utf-8", newline="") as f:
        countries = [row["iso3"] for row in csv.DictReader(f)]
    assert len(countries) == 30
    assert site.registry is not None
    missing = [iso3 for iso3 in countries if site.registry.path_of("country", iso3) not in site.pages]
    assert missing == []


def test_download_files(site: SiteFiles) -> None:
    assert sorted(f for f in site.files if not f.startswith("charts/")) == [
        f"downloads/{edition}/{name}"
        for edition in ("ncpi-2020", "ncpi-2022")
        for name in (
            "audit.csv",
            "indicators.csv",
            "objectives.csv",
            "overall.csv",
            "results.json",
            "weights.csv",
        )
    ]
    assert all(content for content in site.files.values())


def test_nav_lists_every_generated_page_once(site: SiteFiles) -> None:
    counts = Counter(nav_paths(site.nav))
    assert {path: counts[path] for path in site.pages if counts[path] != 1} == {}
    # any other entry is a hand-written page of the MkDocs source
    extra = sorted(set(counts) - set(site.pages))
    assert [path for path in extra if not (ROOT / "site" / path).is_file()] == []
    assert all(count == 1 for count in counts.values())


# --- content -------------------------------------------------------------------------------------------


def test_pages_with_ncpi_2022_values_say_they_are_estimates(site: SiteFiles) -> None:
    showing = set()
    for path, text in site.pages.items():
        parts = sections(text)
        for part in parts:
            if not CHART_2022.search(part):
                continue
            showing.add(path)
            assert ESTIMATED in part or ESTIMATED in parts[0], f"{path}: {part.splitlines()[0]}"
        for figure in CHART_2022.findall(text):
            assert "Values are estimates, not published figures." in figure, path
    assert showing == {
        "index.md",
        "rankings/ncpi-2022.md",
        "posture.md",
        "compare.md",
        "map.md",
        "audit/ncpi-2022.md",  # each objective's correlation with the overall score
        *(p for p in PAGE_PATHS if p.startswith("countries/") and p != "countries/index.md"),
        *(p for p in PAGE_PATHS if p.startswith("objectives/") and p != "objectives/index.md"),
    }


def test_ncpi_2020_values_are_not_called_estimates(site: SiteFiles) -> None:
    assert ESTIMATED not in site.pages["rankings/ncpi-2020.md"]
    for path, text in site.pages.items():
        if "{ #ncpi-2020 }" in text:
            assert ESTIMATED not in section(text, "ncpi-2020"), path


def test_home_page_compares_the_two_koreas_from_the_data(
    site: SiteFiles, results: dict[str, Results]
) -> None:
    latest = results["ncpi-2022"]
    sentences = contexts.pair_comparison(latest, "PRK", "KOR")
    home = site.pages["index.md"]
    for sentence in sentences:
        assert f"\n{escape(sentence)}\n" in home
    text = html.unescape(home)
    assert "North Korea ranks 14th of 30 overall with an attack-heavy posture" in text
    assert "Republic of Korea ranks 7th of 30 overall with a defensive posture" in text
    # the facts behind those words are the engine's, not the template's
    overall = latest.overall
    assert (overall.loc["PRK", "rank"], overall.loc["PRK", "posture"]) == (14, "attack-heavy")
    assert (overall.loc["KOR", "rank"], overall.loc["KOR", "posture"]) == (7, "defensive")
    assert text.index("North Korea ranks") < text.index("Republic of Korea ranks")


def test_prk_page_says_why_it_is_not_ranked_in_2020(site: SiteFiles, results: dict[str, Results]) -> None:
    row = results["ncpi-2020"].overall.loc["PRK"]
    assert not row["ranked"]
    assert row["reason"] == "capability data for 13 of 31 indicators (42%); ranking needs at least 60%"
    part = html.unescape(section(site.pages["countries/prk.md"], "ncpi-2020"))
    assert '!!! info "Not ranked in National Cyber Power Index 2020"' in part
    assert f"North Korea is listed but not ranked: {row['reason']}." in part
    history = html.unescape(site.pages["countries/prk.md"]).split("## History across editions")[1]
    assert "| [National Cyber Power Index 2020](../rankings/ncpi-2020.md) | not ranked | – | – |" in history
    assert (
        "| [National Cyber Power Index 2022](../rankings/ncpi-2022.md) | 14th of 30 | 15 | – |"  # an estimate: no decimals in history
    )


def test_a_history_of_one_ranked_edition_reads_as_a_sentence(site: SiteFiles) -> None:
    """A country ranked in one edition only gets its history in words, not a chart of one point."""
    prk = html.unescape(site.pages["countries/prk.md"]).split("## History across editions")[1]
    assert (
        "Ranked only in National Cyber Power Index 2022: 14th of 30, with a score of 15 (an estimate); "
        "listed but not ranked in National Cyber Power Index 2020." in prk
    )
    assert "history-prk" not in site.charts and "chart.history-prk" not in prk
    # ranked in both editions: a chart
    assert "history-kor" in site.charts and "Ranked only" not in site.pages["countries/kor.md"]


def test_a_country_in_one_edition_only_reads_as_a_sentence(
    tiny_project: Project, topology: dict[str, Any]
) -> None:
    results = run_all(tiny_project)
    only = {"tiny-2022": results["tiny-2022"]}
    site = pages.render(tiny_project, only, ROOT / "templates", topology)
    result = only["tiny-2022"]
    row = result.overall.loc["KOR"]
    n = int(result.overall["ranked"].sum())
    history = html.unescape(site.pages["countries/kor.md"]).split("## History across editions")[1]
    opening = f"Only in {result.spec.title}: ranked {contexts.ordinal(row['rank'])} of {n}"
    assert opening in history
    assert not [c for c in site.charts if c.startswith("history-")]


def test_every_chart_link_lands_on_a_page(site: SiteFiles) -> None:
    """The links of chart marks (paths from the site's root, see charts.page_url) name generated pages."""
    urls = {
        row["url"]
        for chart in site.charts.values()
        for rows in chart.spec.get("datasets", {}).values()
        for row in rows
        if "url" in row
    }
    kinds = Counter(url.split("/")[0] for url in urls)
    assert kinds == {"countries": 30, "objectives": 8, "rankings": 2}  # every ranked country, ...
    for url in urls:
        assert url.endswith("/") and not url.startswith(("/", "http")), url
        path = url + "index.md" if url + "index.md" in site.pages else url.removesuffix("/") + ".md"
        assert path in site.pages, url


def test_figures_draw_from_their_own_chart_files(site: SiteFiles) -> None:
    """Each figure names its compiled spec (charts/<id>.vg.json, for charts.js), or for a map the
    shared shapes (for map.js), and embeds no spec; the data it shows is a CSV download of its own."""
    named: dict[str, set[str]] = {}
    for path, text in site.pages.items():
        # the compare page's data for compare.js (countries and table cells, no spec) and the maps' data
        # for map.js (colours, tooltips, legend; no spec) are the exceptions
        data = [
            m
            for m in SCRIPT.finditer(text)
            if re.search(r'id="(cp-compare-data|map&#45;[^"]*-data)"', m.group(1))
        ]
        assert all('"$schema"' not in m.group(2) and '"mark"' not in m.group(2) for m in data), path
        embedded = [m.group(1) for m in SCRIPT.finditer(text) if m.group(1) not in {d.group(1) for d in data}]
        assert embedded == [], f"{path}: a spec embedded in the page"
        for chart_id, spec in re.findall(r'data-chart="([^"]+)" data-(?:spec|map)="([^"]+)"', text):
            resolved = posixpath.normpath(posixpath.join(page_url_dir(path), spec))
            named.setdefault(chart_id, set()).add(resolved)
    shapes = "charts/map-shapes.svg"
    assert named == {i: {shapes if i.startswith("map-") else f"charts/{i}.vg.json"} for i in site.charts}
    assert {f"charts/{i}.csv" for i in site.charts} <= set(site.files)
    csv = site.files["charts/ranking-ncpi-2022.csv"].decode()
    assert csv.splitlines()[0] == ",".join(site.charts["ranking-ncpi-2022"].table.columns)


def broken_links(site: SiteFiles) -> tuple[list[str], int]:
    """Links of generated pages that resolve to no generated page, download or hand-written page, or
    to a missing anchor; and how many internal links were checked."""
    handwritten = {p.relative_to(ROOT / "site").as_posix() for p in (ROOT / "site").glob("*.md")}
    made = {f"charts/{i}.{ext}" for i in site.charts for ext in pages.CHART_FILES}  # by the build
    made |= {f"charts/{i}.png" for i in site.previews}
    targets = set(site.pages) | set(site.files) | handwritten | made
    broken = []
    checked = 0
    for path, text in site.pages.items():
        body = SCRIPT.sub(r"\1\3", text)
        links = MD_LINK.findall(body) + [html.unescape(v) for k, v in HTML_REF.findall(body) if k == "href"]
        for link in links:
            if re.match(r"https?://", link):
                continue
            checked += 1
            target, _, fragment = link.partition("#")
            # a chart's files and its table's links are in raw HTML, which MkDocs leaves as it is:
            # relative to the page's URL, a page as its URL ("../countries/prk/")
            served = "charts/" in target or target.endswith("/")
            base = page_url_dir(path) if served else posixpath.dirname(path)
            resolved = posixpath.normpath(posixpath.join(base, target)) if target else path
            if target.endswith("/"):
                resolved = resolved + "/index.md" if resolved + "/index.md" in targets else resolved + ".md"
            if resolved not in targets:
                broken.append(f"{path}: {link} -> {resolved} (no such page or file)")
            elif "#" in link and resolved in site.pages and fragment not in anchors(site.pages[resolved]):
                broken.append(f"{path}: {link} (no anchor #{fragment} in {resolved})")
    return broken, checked


def test_links_point_to_generated_pages_downloads_and_anchors(site: SiteFiles) -> None:
    broken, checked = broken_links(site)
    assert broken == []
    assert checked > 1000


def test_tiny_site_links_resolve(tiny_site: SiteFiles) -> None:
    broken, checked = broken_links(tiny_site)
    assert broken == []
    assert checked > 50


def test_country_without_edition_rows_has_no_page_and_no_link(
    tiny_copy: Path, topology: dict[str, Any]
) -> None:
    """A country in countries.csv that no edition measures: the registry gives it no page, so nothing
    links to one (the countries index used to link to countries/fin.md all the same)."""
    with (tiny_copy / "data" / "countries.csv").open("a", encoding="utf-8") as f:
        f.write("FIN,Finland,Finland,Europe\n")
    project = load_project(tiny_copy / "data", tiny_copy / "indices")
    assert "FIN" in project.countries.index
    site = pages.render(project, run_all(project), ROOT / "templates", topology)
    assert site.registry is not None
    assert "countries/fin.md" not in site.pages
    assert "Finland" not in site.pages["countries/index.md"]
    assert "countries/fin.md" not in list(nav_paths(site.nav))
    with pytest.raises(UnknownPage, match="no country page 'FIN'"):
        site.registry.path_of("country", "FIN")
    assert broken_links(site)[0] == []


def test_chart_images_point_to_chart_svgs(site: SiteFiles) -> None:
    """Every src= of a page is a chart's SVG, or a page's own script among the site's assets."""
    broken = []
    for path, text in site.pages.items():
        for kind, src in HTML_REF.findall(text):
            if kind != "src":
                continue
            resolved = posixpath.normpath(posixpath.join(page_url_dir(path), src))
            m = re.fullmatch(r"charts/(.+)\.svg", resolved)
            script = resolved.startswith("assets/javascripts/") and (ROOT / "site" / resolved).is_file()
            if not (m and m.group(1) in site.charts) and not script:
                broken.append(f"{path}: {src} -> {resolved}")
    assert broken == []


def test_compare_pair_falls_back_when_a_country_is_missing_or_unranked(
    tiny_project: Project, topology: dict[str, Any]
) -> None:
    site = pages.render(
        tiny_project, run_all(tiny_project), ROOT / "templates", topology, pair=("PRK", "XKX")
    )
    compare = site.pages["compare.md"]
    assert "XKX is not in Tiny index 2022. The charts start with United States in its place." in compare
    assert (
        "North Korea is not ranked in Tiny index 2020&#58; capability data for 1 of 3 indicators" in compare
    )
    # two charts per edition (objective scores; capability, intent and posture), each of two countries
    assert compare.count('<figure class="cp-chart"') == 4
    assert "## North Korea vs" not in site.pages["index.md"]  # no pair section without both countries


def test_compare_page_data_for_the_script(tiny_project: Project, topology: dict[str, Any]) -> None:
    """The compare page carries, as inert JSON, each edition's ranked countries, the selection its
    charts start with (stand-ins included) and every ranked country's table cells."""
    results = run_all(tiny_project)
    site = pages.render(tiny_project, results, ROOT / "templates", topology, pair=("PRK", "XKX"))
    page = site.pages["compare.md"]
    blocks = re.findall(r'<script type="application/json" id="cp-compare-data">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    assert not re.search(r"[<>&]", blocks[0])
    data = json.loads(blocks[0])
    assert data["max"] == 6
    assert data["palette"] == list(compare_chart.PALETTE)  # the chips' colours are the charts' colours
    assert [e["id"] for e in data["editions"]] == ["tiny-2022", "tiny-2020"]
    by_id = {e["id"]: e for e in data["editions"]}
    assert by_id["tiny-2022"]["chosen"] == ["PRK", "USA"]  # XKX is not in the edition
    for result in results.values():
        edition = by_id[result.spec.id]
        ranked = result.ranked.sort_values("country")
        assert edition["countries"] == [[i, name] for i, name in ranked["country"].items()]
        assert ("PRK" in dict(edition["countries"])) == (result.spec.id == "tiny-2022")  # unranked in 2020
        for tables in edition["tables"].values():
            assert set(tables["cells"]) == set(ranked.index)
    # the page loads its own script, as a file (the policy allows no inline script)
    assert '<script src="../assets/javascripts/compare.js" type="module"></script>' in page
    assert (ROOT / "site" / "assets" / "javascripts" / "compare.js").is_file()


def test_compare_page_data_escapes_markup() -> None:
    hostile = "</script><script>alert(1)</script> & <!--"
    text = contexts.compare_json([{"id": "e", "title": hostile}])
    assert not re.search(r"[<>&]", text)
    assert json.loads(text)["editions"][0]["title"] == hostile


def test_unranked_country_page_shows_what_was_measured(site: SiteFiles) -> None:
    page = html.unescape(site.pages["countries/prk.md"])
    assert "the 13 capability indicators that were\n    measured" in page
    assert "| cybermil_people | Military cyber personnel | 6500 | people |" in page
    assert "| laws |" not in page  # not measured for North Korea: not shown as a value


def test_map_page_names_the_countries_drawn_as_dots_or_missing(
    site: SiteFiles, project: Project, results: dict[str, Results], topology: dict[str, Any]
) -> None:
    """Said from the data: Singapore is a dot on the real map; without its position it is 'not on it'."""
    text = site.pages["map.md"]
    assert "drawn as a dot: Singapore." in text
    assert "Not on this map" not in text
    undotted = pages.render(project, results, ROOT / "templates", topology).pages["map.md"]
    assert "drawn as a dot" not in undotted
    assert "Not on this map: Singapore; the table under each map has every country." in undotted


def test_estimated_ranks_are_marked_wherever_a_2022_rank_is_shown(site: SiteFiles) -> None:
    """Ranks 17–30 of 2022 were never published: the page tables that show one say *est.* (chart data
    tables do not; every chart of 2022 is captioned as estimated)."""
    index = site.pages["countries/index.md"]
    israel = next(line for line in index.splitlines() if "[Israel]" in line)
    usa = next(line for line in index.splitlines() if "[United States]" in line)
    assert "17th *est.*" in israel and "est." not in usa
    assert "Ranks marked *est.*" in index
    singapore = site.pages["countries/sgp.md"]
    assert "**22nd** of 30 *est.*" in singapore
    row = next(line for line in singapore.splitlines() if "| 22nd of 30 *est.* |" in line)
    assert row.endswith("| ▼ 4 *est.* |")  # 18th of 29 in 2020: the move is shown, marked
    assert "A rank change is marked the same way when either of its two ranks is" in singapore
    assert "**14th** of 30 (7–22) |" in site.pages["countries/prk.md"]  # published: no marker
    posture = site.pages["posture.md"]
    assert "| 17 *est.* | [Israel]" in posture and "| 1 | [United States]" in posture
    assert posture.count("Ranks marked *est.*") == 1  # 2022 only: every 2020 rank was published


def test_2020_published_figures_are_summarised_then_listed_in_full(site: SiteFiles) -> None:
    """522 figures are too many to read as one table: a sentence and a row per kind come first, the
    full list is folded away."""
    text = site.pages["rankings/ncpi-2020.md"]
    section = text[text.index("## Published figures") :]
    assert "All 522 are reproduced" in section and "(the largest difference is 0.0009)" in section
    assert "| Objective score | 203 | 203 | 0.0009 |" in section
    assert "| Intent index | 29 | 29 | 0.0004 |" in section
    folded = section[section.index("<details") : section.index("</details>")]
    assert folded.count("\n| ") == 2 + 522  # header, rule, one row per figure
    assert "| Republic of Korea | Overall rank | 16 | 16 | 0 | yes |" in folded
    assert "| China | Destructive capability |" in folded
    assert "*est.*" not in text  # every 2020 rank is a published figure


def test_ranks_of_published_data_without_published_ranks_are_not_called_estimates(
    tiny_project: Project, topology: dict[str, Any]
) -> None:
    edition = tiny_project.editions["tiny-2020"]
    bare = replace(edition, facts=edition.facts.iloc[0:0])
    changed = replace(tiny_project, editions={**tiny_project.editions, "tiny-2020": bare})
    text = pages.render(changed, run_all(changed), ROOT / "templates", topology).pages[
        "rankings/tiny-2020.md"
    ]
    assert "| 1 *est.* | [United States]" in text
    assert "no published rank confirms them" in text and "so are all scores" not in text


def test_every_fact_kind_reads_as_words() -> None:
    from scoring.inputs.schema import FACT_KINDS

    assert set(contexts.FACT_LABELS) == set(FACT_KINDS)


def test_published_figures_not_reproduced_are_counted_and_marked(
    tiny_project: Project, topology: dict[str, Any]
) -> None:
    edition = tiny_project.editions["tiny-2020"]
    figures = edition.facts.copy()
    figures.loc[figures["fact"] == "overall_score", "value"] = [50.0, 14.6, 8.75]  # KOR 0.1 off
    changed = replace(
        tiny_project, editions={**tiny_project.editions, "tiny-2020": replace(edition, facts=figures)}
    )
    text = pages.render(changed, run_all(changed), ROOT / "templates", topology).pages[
        "rankings/tiny-2020.md"
    ]
    assert "7 of the 8 are reproduced; the others are marked **no** in the full table" in text
    assert "| Overall score | 3 | 2 | 0.1000 |" in text
    assert "| Republic of Korea | Overall score | 14.600 | 14.500 | 0.1000 | **no** |" in text


def test_country_pages_read_as_prose(site: SiteFiles) -> None:
    usa = site.pages["countries/usa.md"]
    assert "United States&#39; capability index" in usa and "States&#39;s" not in usa
    assert "Japan&#39;s capability index" in site.pages["countries/jpn.md"]
    # 26 other countries share Korea's financial score of 0, and so its rank; its 2022 values are
    # estimates, shown with no more decimals than an estimate has (41.5 as 42)
    assert (
        "| [Financial](../objectives/financial.md) | 42 | 0.0 | 0 | tied 4th &#40;27 countries at 0&#41; |"
        in (site.pages["countries/kor.md"])
    )
    # and the objective's page says the same of every one of the 27
    financial = site.pages["objectives/financial.md"]
    assert financial.count("| tied 4th &#40;27 countries at 0&#41; | [") == 27
    assert "| 1st | [North Korea](../countries/prk.md) |" in financial
    # North Korea's financial first is its own
    assert (
        "| [Financial](../objectives/financial.md) | 50 | 1.0 | 50 | 1st |" in site.pages["countries/prk.md"]
    )


TABLE_RULE = re.compile(r"^\|( *:?-+:? *\|)+$")


def test_every_table_starts_a_block(site: SiteFiles) -> None:
    """A Markdown table renders only when its header row follows a blank line: a template whose
    whitespace control eats that line leaves the table as a run of '|' in a paragraph."""
    glued = []
    for path, text in site.pages.items():
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if TABLE_RULE.match(line.strip()) and i >= 2 and lines[i - 2].strip():
                glued.append(f"{path}:{i}: {lines[i - 2][:60]}")
    assert glued == []


@given(st.text(max_size=60))
def test_no_heading_can_take_a_charts_anchor(text: str) -> None:
    """Headings get their ids from the table of contents' slugify; chart anchors start `chart.`."""
    from markdown.extensions.toc import slugify

    from scoring.pages.render import FIGURE_ID

    assert not slugify(text, "-").startswith(FIGURE_ID)
    assert "." in FIGURE_ID


def _front_matter(page: str) -> dict[str, Any]:
    import yaml

    assert page.startswith("---\n")
    return dict(yaml.safe_load(page.split("---\n", 2)[1]))


def test_aliases_show_on_the_country_page_and_the_countries_index(site: SiteFiles) -> None:
    """What data/countries.csv gives as aliases is on the page ("Also known as"), in the index's row and
    in the front matter as the search keywords (tags) of the page, which search ranks above the pages
    that only mention the country (boost)."""
    prk = site.pages["countries/prk.md"]
    assert "\nAlso known as: DPRK, Democratic People's Republic of Korea.\n" in html.unescape(prk)
    assert _front_matter(prk) == {
        "image": "charts/profile-ncpi-2022-prk.png",
        "search": {"boost": 2},
        "tags": ["DPRK", "Democratic People's Republic of Korea"],
    }
    assert _front_matter(site.pages["countries/gbr.md"])["tags"][:2] == ["UK", "Britain"]
    can = site.pages["countries/can.md"]  # no aliases: no line, no tags
    assert "Also known as" not in can and "tags" not in _front_matter(can)
    row = next(line for line in site.pages["countries/index.md"].splitlines() if "[North Korea]" in line)
    assert "| DPRK, Democratic People&#39;s Republic of Korea |" in row
    assert _front_matter(site.pages["objectives/surveillance.md"])["search"] == {"boost": 3}


def test_a_png_is_made_of_each_pages_main_chart_its_open_graph_image(site: SiteFiles) -> None:
    """Each page with charts names its first as its image (its PNG, the Open Graph image): those charts
    are the site's previews, the only ones the build makes a PNG of. Every chart's menu offers a PNG,
    drawn by charts.js from the chart's SVG: an item hidden without JavaScript, whose link is the SVG."""
    images = {
        path: _front_matter(text).get("image") if text.startswith("---\n") else None
        for path, text in site.pages.items()
    }
    firsts = {}
    for path, text in site.pages.items():
        first = re.search(r'data-chart="([^"]+)"', text)
        firsts[path] = f"charts/{first.group(1)}.png" if first else None
    assert images == firsts
    assert site.previews == {i.removeprefix("charts/").removesuffix(".png") for i in images.values() if i}
    assert 60 < len(site.previews) < len(site.charts) / 2
    items = re.findall(
        r'<li class="cp-chart__png" hidden><a href="([^"]+)" download="([^"]+)" '
        r'data-scale="1.5">Image \(PNG\)</a></li>',
        site.pages["countries/prk.md"],
    )
    assert items and all(svg.endswith(f"charts/{name[:-4]}.svg") for svg, name in items)


HOSTILE_ALIASES = ('"]: x # {{ 7*7 }}', "*em* [a](javascript:alert(1)) <b>", "Ünïcode 🙂 \ufffe")


def test_aliases_stay_text_in_the_page_and_its_front_matter(
    tiny_project: Project, topology: dict[str, Any]
) -> None:
    """Quotes, brackets, `#`, Markdown and HTML in an alias read back from the front matter as written
    (HTML escaped) and are escaped in the page."""
    countries = tiny_project.countries.copy()
    countries["aliases"] = [HOSTILE_ALIASES if i == "PRK" else a for i, a in countries["aliases"].items()]
    project = replace(tiny_project, countries=countries)
    page = pages.render(project, run_all(project), ROOT / "templates", topology).pages["countries/prk.md"]
    # the search results show tags as HTML: they hold it escaped
    assert _front_matter(page)["tags"] == [html.escape(a, quote=False) for a in HOSTILE_ALIASES]
    line = next(line for line in page.splitlines() if line.startswith("Also known as: "))
    assert line == "Also known as: " + ", ".join(escape(a) for a in HOSTILE_ALIASES) + "."
    assert "<b>" not in line and "[a]" not in line and "*em*" not in line


# A chart's figure and the rows of its table (the cells as HTML).
FIGURE_TABLE = re.compile(r'<figure class="cp-chart" id="chart\.([^"]+)">.*?<table>(.*?)</table>', re.S)
CELL_LINK = re.compile(r'^<a href="([^"]+)">(.*)</a>$', re.S)


def _table_cells(table: str) -> tuple[list[str], list[list[str]]]:
    heads = [html.unescape(h) for h in re.findall(r'<th scope="col">(.*?)</th>', table)]
    rows = [
        re.findall(r"<td>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    ]
    return heads, rows


def test_chart_tables_link_countries_and_objectives_to_their_pages(
    tiny_site: SiteFiles, tiny_project: Project
) -> None:
    """The data table under a chart is the keyboard's and the screen reader's way to the pages its marks
    link to: each country cell links to that country's page, each objective cell to that objective's,
    from the page the figure is on; no other cell links."""
    pages_of = {
        str(name): f"countries/{iso3.lower()}.md" for iso3, name in tiny_project.countries["name"].items()
    }
    pages_of |= {
        o.name: f"objectives/{o.id}.md"
        for edition in tiny_project.editions.values()
        for o in edition.spec.objectives
    }
    linked: Counter[str] = Counter()
    for path, text in tiny_site.pages.items():
        for chart_id, table in FIGURE_TABLE.findall(text):
            heads, rows = _table_cells(table)
            marks_link = not chart_id.startswith("compare-")  # the compare charts' marks link nowhere
            for row in rows:
                for head, cell in zip(heads, row, strict=True):
                    found = CELL_LINK.match(cell)
                    if head in ("country", "objective") and marks_link:
                        assert found, f"{path}: {chart_id}: {cell} is not a link"
                        target = posixpath.normpath(
                            posixpath.join(page_url_dir(path), html.unescape(found.group(1)))
                        )
                        assert target + ".md" == pages_of[html.unescape(found.group(2))], (path, cell)
                        linked[head] += 1
                    else:
                        assert not found, f"{path}: {chart_id}: {head} {cell} links"
    assert linked["country"] > 30 and linked["objective"] > 30


def test_chart_table_links_keep_names_as_text_and_out_of_the_csv(topology: dict[str, Any]) -> None:
    """A hostile country name in a linked cell stays text inside its link; the chart's CSV has the
    name (formula-neutralised), no HTML."""
    hostile = load_project(FIXTURES / "hostile" / "data", FIXTURES / "hostile" / "indices")
    site = pages.render(hostile, run_all(hostile), ROOT / "templates", topology)
    name = str(hostile.countries.loc["KOR", "name"])
    page = site.pages["rankings/tiny-2022.md"]
    assert f'<a href="../../countries/kor/">{escape(name)}</a>' in page
    assert "<script>window" not in page
    chart = site.charts["ranking-tiny-2022"]
    assert list(chart.table_links()) == ["country"]
    written = site.files["charts/ranking-tiny-2022.csv"].decode()
    assert "<a " not in written and "href" not in written
    assert any(row["country"] == name for row in csv.DictReader(written.splitlines()))


def test_compare_script_neutralises_the_cells_the_downloads_do() -> None:
    """compare.js builds the CSV of the chosen countries itself: it must treat as formulas exactly
    the starts the site's downloads do (scoring.outputs.export)."""
    script = (ROOT / "site" / "assets" / "javascripts" / "compare.js").read_text("utf-8")
    found = re.search(r"const FORMULA_STARTS = (\[.*?\]);", script, re.S)
    assert found is not None
    listed = json.loads(re.sub(r",\s*\]$", "]", found.group(1)))
    assert tuple(listed) == export.FORMULA_STARTS
