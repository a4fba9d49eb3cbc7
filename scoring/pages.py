"""Page generation: results in, `{path: Markdown}` out, independent of MkDocs.

`render(project, results, templates)` returns a `SiteFiles`: the Markdown of every generated page, the
charts they embed (rendered to SVG by the build), the download files and the navigation. Any engine that
reads `mkdocs.yml`-style Markdown can publish these pages; the MkDocs hook only hands them over.

Each template receives two objects: `site` (a `SiteContext`: editions, latest edition, countries, the
objective names) and `page` (a dict whose keys are documented at the function that builds it), plus the
helpers `chart(c)` (embed a chart) and `link(path)` (a link from this page to another generated page).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from markupsafe import Markup

from . import __version__, change, charts, export, facts
from .charts import Chart
from .charts.base import objective_names
from .engine import Results
from .load import Project
from .textfmt import environment, escape, nav_title, number, ordinal

TOPOLOGY = "assets/data/countries-110m.json"
SMALL_COUNTRIES = "assets/data/small-countries.csv"  # positions of countries too small for it
DEFAULT_PAIR = ("PRK", "KOR")  # the home page's comparison and the compare page's first pair


@dataclass(frozen=True)
class SiteFiles:
    pages: dict[str, str]  # docs-relative path -> Markdown
    charts: dict[str, Chart]  # chart id -> chart; the build writes charts/<id>.svg
    files: dict[str, bytes]  # docs-relative path -> content (downloads)
    nav: list[Any]  # MkDocs nav


@dataclass(frozen=True)
class SiteContext:
    editions: list[Results]  # newest first
    countries: pd.DataFrame  # index iso3: name, short_name, region
    sources: pd.DataFrame  # index id
    notes: pd.DataFrame
    history: pd.DataFrame  # iso3, edition, title, year, rank, score, ranked, of
    project: Project = field(repr=False)

    @property
    def latest(self) -> Results:
        return self.editions[0]

    def fact_checks(self, result: Results) -> list[facts.FactCheck]:
        """The edition's published figures against the computed ones (empty without a facts.csv)."""
        return facts.check(self.project.editions[result.spec.id].facts, result)


def country_path(iso3: str) -> str:
    return f"countries/{iso3.lower()}.md"


def _depth(path: str) -> int:
    """How many folders deep the page's URL is (use_directory_urls: a/b.md is served at a/b/)."""
    parts = PurePosixPath(path).parts
    return len(parts) - 1 if parts[-1] == "index.md" else len(parts)


class _Renderer:
    def __init__(
        self, site: SiteContext, templates: Path, topology: dict[str, Any], dots: pd.DataFrame | None
    ) -> None:
        self.site, self.topology, self.dots = site, topology, dots
        self.env = environment(templates)
        self.pages: dict[str, str] = {}
        self.charts: dict[str, Chart] = {}

    def render(self, path: str, template: str, page: dict[str, Any]) -> None:
        prefix = "../" * _depth(path)

        def chart(c: Chart, estimated: bool | str = False, source: str = "") -> Markup:
            self.charts[c.id] = c
            return self._figure(c, prefix, estimated, source)

        def link(target: str) -> Markup:
            return Markup(str(PurePosixPath(_relative(path, target))))

        self.pages[path] = self.env.get_template(template).render(
            site=self.site,
            page=page,
            chart=chart,
            link=link,
            root=Markup(prefix),
            is_estimated=lambda result: result.estimated,
            fact_checks=self.site.fact_checks,
            charts_posture=charts.posture_map,
            charts_compare=charts.compare,
            charts_map=lambda result: charts.world_map(result, self.topology, self.dots),
        )

    def _figure(self, c: Chart, prefix: str, estimated: bool | str, source: str) -> Markup:
        columns = list(c.table.columns)
        head = "".join(f'<th scope="col">{escape(col)}</th>' for col in columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(_cell(v))}</td>" for v in row) + "</tr>"
            for row in c.table.itertuples(index=False)
        )
        notes = {"partly": " Some values (those of estimated editions) are estimates, not published figures."}
        note = notes.get(str(estimated), " Values are estimates, not published figures." if estimated else "")
        return Markup(
            f'<figure class="cp-chart" id="figure-{c.id}">\n'
            f'<div class="cp-chart__view" data-chart="{c.id}">'
            f'<img src="{prefix}charts/{c.id}.svg" alt="{escape(c.description)}" loading="lazy"></div>\n'
            f'<script type="application/json" id="spec-{c.id}">{c.json()}</script>\n'
            f"<figcaption>{escape(c.title)}. Source: {escape(source)}.{escape(note)}</figcaption>\n"
            f'<details class="cp-table"><summary>Data table: {escape(c.title)}</summary>\n'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n"
            f"</details>\n</figure>\n"
        )


def _cell(value: object) -> str:
    if isinstance(value, float):
        return number(value, 2)
    return "–" if value is None or value is pd.NA else str(value)


def _relative(source: str, target: str) -> str:
    up = len(PurePosixPath(source).parts) - 1
    return "../" * up + target


def render(
    project: Project,
    results: dict[str, Results],
    templates: Path,
    topology: dict[str, Any],
    provenance: dict[str, Any] | None = None,
    pair: tuple[str, str] = DEFAULT_PAIR,
    dots: pd.DataFrame | None = None,
) -> SiteFiles:
    """Every generated page, chart and download of the site.

    `provenance` (package version, input file hashes, build date if any) goes on the About page and into
    each `results.json`; without it those name only the package version. `dots` places countries too
    small for the topology on the map (see `load_dots`).
    """
    provenance = provenance or {"package": f"cyberpower {__version__}", "inputs": {}}
    editions = sorted(results.values(), key=lambda r: (r.spec.year, r.spec.id), reverse=True)
    site = SiteContext(
        editions, project.countries, project.sources, project.notes, change.history(results), project
    )
    r = _Renderer(site, templates, topology, dots)
    r.render("index.md", "home.md.j2", _home(site, pair))
    for result in editions:
        r.render(f"rankings/{result.spec.id}.md", "ranking.md.j2", _ranking(site, result))
    r.render("countries/index.md", "countries.md.j2", {"rows": _country_rows(site)})
    for iso3 in site.countries.index:
        if any(iso3 in e.overall.index for e in editions):
            r.render(country_path(iso3), "country.md.j2", _country(site, iso3))
    objective_ids = list(dict.fromkeys(o for e in editions for o in e.spec.objective_ids))
    for objective in objective_ids:
        r.render(f"objectives/{objective}.md", "objective.md.j2", _objective(site, objective))
    r.render(
        "objectives/index.md",
        "objectives.md.j2",
        {
            "objectives": [
                {
                    "id": o,
                    "name": _objective_name(site, o),
                    "editions": [e.spec.title for e in editions if o in e.spec.objective_ids],
                }
                for o in objective_ids
            ]
        },
    )
    r.render("posture.md", "posture.md.j2", {"editions": editions})
    r.render("compare.md", "compare.md.j2", {"sections": [_compare(site, e, pair) for e in editions]})
    r.render("map.md", "map.md.j2", _map(editions, topology, dots))
    r.render("methodology.md", "methodology.md.j2", {"editions": editions})
    r.render("data.md", "data.md.j2", {"editions": editions})
    r.render("sources.md", "sources.md.j2", _sources(site))
    r.render(
        "about.md",
        "about.md.j2",
        {"version": __version__, "inputs": provenance["inputs"], "built": provenance.get("built", "")},
    )

    files = {
        f"downloads/{name}": content
        for name, content in export.download_files(results, project.sources, {"build": provenance}).items()
    }

    nav: list[Any] = [
        {"Home": "index.md"},
        {"Rankings": [{nav_title(e.spec.title): f"rankings/{e.spec.id}.md"} for e in editions]},
        {
            "Countries": ["countries/index.md"]
            + [
                {nav_title(site.countries.loc[i, "name"]): country_path(i)}
                for i in site.countries.sort_values("name").index
                if country_path(i) in r.pages
            ]
        },
        {
            "Objectives": ["objectives/index.md"]
            + [{nav_title(_objective_name(site, o)): f"objectives/{o}.md"} for o in objective_ids]
        },
        {"Posture": "posture.md"},
        {"Compare": "compare.md"},
        {"Map": "map.md"},
        {"Methodology": "methodology.md"},
        {"Data": "data.md"},
        {"Sources": "sources.md"},
        {"About": "about.md"},
    ]
    return SiteFiles(r.pages, r.charts, files, nav)


def _objective_name(site: SiteContext, objective: str) -> str:
    for e in site.editions:
        if objective in e.spec.objective_ids:
            return e.spec.objective(objective).name
    return objective


def source_line(result: Results, site: SiteContext) -> str:
    names = [str(site.sources.loc[s, "publisher"]) for s in result.spec.sources if s in site.sources.index]
    return f"{result.spec.title}; " + "; ".join(dict.fromkeys(names))


def _home(site: SiteContext, pair: tuple[str, str]) -> dict[str, Any]:
    """page: latest (Results), ranking (Chart), posture (Chart), counts (posture → n), pair (the two
    countries compared, name and path, or empty when either is missing), pair_sentences."""
    latest = site.latest
    counts = latest.ranked["posture"].value_counts().to_dict()
    return {
        "latest": latest,
        "ranking": charts.ranking(latest),
        "posture": charts.posture_map(latest),
        "counts": counts,
        "pair": [{"name": latest.overall.loc[i, "country"], "path": country_path(i)} for i in pair]
        if all(i in latest.overall.index for i in pair)
        else [],
        "pair_sentences": pair_comparison(latest, *pair),
        "estimated": latest.estimated,
        "source": source_line(latest, site),
        "top": latest.ranked.head(10).reset_index(),
    }


def pair_comparison(result: Results, first: str, second: str) -> list[str]:
    """Sentences comparing two countries in one edition, drawn only from the results."""
    overall = result.overall
    n = int(overall["ranked"].sum())
    objectives = result.objectives.set_index(["iso3", "objective"])
    names = {o.id: o.name.lower() for o in result.spec.objectives}
    sentences = []
    for iso3 in (first, second):
        if iso3 not in overall.index:
            continue
        row = overall.loc[iso3]
        if not row["ranked"]:
            sentences.append(f"{row['country']} is not ranked in {result.spec.title}: {row['reason']}.")
            continue
        ranks = objectives.loc[iso3]["rank"].astype(int).sort_values()
        best, worst = ranks.index[0], ranks.index[-1]
        sentences.append(
            f"{row['country']} ranks {ordinal(row['rank'])} of {n} overall with "
            f"{'an' if str(row['posture'])[0] in 'aeiou' else 'a'} {row['posture']} posture "
            f"(offense {number(row['offense'], 1)}, defense {number(row['defense'], 1)}, balance "
            f"{number(row['balance'], 2, signed=True)}); it is {ordinal(ranks[best])} on {names[best]} and "
            f"{ordinal(ranks[worst])} on {names[worst]}. Its capability index ranks "
            f"{ordinal(row['capability_rank'])} and its intent index {ordinal(row['intent_rank'])} "
            f"({ACTIVATION[str(row['activation'])]})."
        )
    return sentences


ACTIVATION = {
    "passive": "capable but passive: capability ranks well above intent",
    "assertive": "assertive: intent ranks well above capability",
    "matched": "capability and intent rank alike",
    "None": "not ranked",
}
POSTURE_TEXT = {
    "attack-heavy": "its offensive objectives score well above its defensive ones",
    "defensive": "its defensive objectives score well above its offensive ones",
    "balanced": "its offensive and defensive objectives score alike",
}


def _compare(site: SiteContext, result: Results, pair: tuple[str, str]) -> dict[str, Any]:
    """One edition's compare section: the chart starts with `pair`, or, for a country missing or not
    ranked there, with the best-ranked other country, saying why."""
    ranked = list(result.ranked.index)
    chosen: list[str] = []
    notes = []
    for iso3 in pair:
        if iso3 in ranked and iso3 not in chosen:
            chosen.append(iso3)
            continue
        stand_in = next((c for c in ranked if c not in chosen and c not in pair), None)
        if stand_in is None:
            continue
        chosen.append(stand_in)
        name = result.overall.loc[stand_in, "country"]
        if iso3 in result.overall.index:
            row = result.overall.loc[iso3]
            why = f"{row['country']} is not ranked in {result.spec.title}: {row['reason']}"
        else:
            why = f"{iso3} is not in {result.spec.title}"
        notes.append(f"{why}. The chart starts with {name} in its place.")
    chart = charts.compare(result, chosen[0], chosen[1]) if len(chosen) == 2 else None
    if chart is None:
        notes.append(f"{result.spec.title} ranks fewer than two countries: there is nothing to compare.")
    return {
        "result": result,
        "chart": chart,
        "notes": notes,
        "estimated": result.estimated,
        "source": source_line(result, site),
    }


def _ranking(site: SiteContext, result: Results) -> dict[str, Any]:
    """page: result, chart, rows (overall columns, change, path), others, previous, estimated_ranks
    (whether any rank is an estimate), facts (FactChecks of the published figures), objective_names."""
    history = site.history[site.history["edition"] == result.spec.id].set_index("iso3")
    rows = result.overall.reset_index().assign(
        change=lambda f: f["iso3"].map(history["rank_change"]), path=lambda f: f["iso3"].map(country_path)
    )
    previous = [e for e in site.editions if e.spec.year < result.spec.year]
    return {
        "result": result,
        "chart": charts.ranking(result),
        "rows": rows.to_dict("records"),
        "others": [e for e in site.editions if e is not result],
        "estimated": result.estimated,
        "previous": previous[0] if previous else None,
        "source": source_line(result, site),
        "estimated_ranks": bool((result.overall["rank_basis"] == "estimated").any()),
        "facts": site.fact_checks(result),
        "objective_names": objective_names(result),
    }


def _country_rows(site: SiteContext) -> list[dict[str, Any]]:
    rows = []
    for iso3, country in site.countries.sort_values("name").iterrows():
        ranks = {
            e.spec.id: (e.overall.loc[iso3, "rank"] if iso3 in e.overall.index else None)
            for e in site.editions
        }
        rows.append(
            {
                "iso3": iso3,
                "name": country["name"],
                "region": country["region"],
                "path": country_path(iso3),
                "ranks": ranks,
                "bases": {
                    e.spec.id: (e.overall.loc[iso3, "rank_basis"] if iso3 in e.overall.index else None)
                    for e in site.editions
                },
            }
        )
    return rows


def _country(site: SiteContext, iso3: str) -> dict[str, Any]:
    """page: iso3, name, editions (per-edition dicts), history (rows), history_chart, notes, sources."""
    name = site.countries.loc[iso3, "name"]
    sections = []
    for result in site.editions:
        if iso3 not in result.overall.index:
            continue
        row = result.overall.loc[iso3]
        objectives = result.objectives[result.objectives["iso3"] == iso3].copy()
        objectives["name"] = objectives["objective"].map({o.id: o.name for o in result.spec.objectives})
        # a rank other ranked countries share (27 countries tie 4th at a financial score of 0)
        cohort = result.objectives[result.objectives["iso3"].isin(result.ranked.index)]
        sharing = cohort.groupby(["objective", "rank"]).size().rename("sharing")
        objectives["tied"] = objectives.join(sharing, on=["objective", "rank"])["sharing"].fillna(0) > 1
        section: dict[str, Any] = {
            "result": result,
            "row": row,
            "estimated": row["basis"] == "estimated",
            "objectives": objectives.to_dict("records"),
            "source": source_line(result, site),
            "n": int(result.overall["ranked"].sum()),
        }
        if row["ranked"]:
            ranked = objectives.sort_values(["rank", "score"], ascending=[True, False])
            # a shared rank at a score of 0 (no intent at all) is no strength
            strengths = ranked[ranked["score"] > 0].head(2)
            section.update(
                profile=charts.profile(result, iso3),
                capint=charts.capability_intent(result, iso3),
                strengths=strengths.to_dict("records"),
                weaknesses=ranked.drop(strengths.index).tail(2).iloc[::-1].to_dict("records"),
                posture_text=POSTURE_TEXT[str(row["posture"])],
                activation_text=ACTIVATION[str(row["activation"])],
                offense_names=[result.spec.objective(o).name for o in result.spec.posture.offense],
                defense_names=[result.spec.objective(o).name for o in result.spec.posture.defense],
            )
        else:
            section.update(
                capint=charts.capability_intent(result, iso3), measured=_measured(site, result, iso3)
            )
        sections.append(section)
    history = site.history[site.history["iso3"] == iso3].sort_values("year", ascending=False)
    notes = site.notes[site.notes["iso3"] == iso3]
    cited = list(
        dict.fromkeys([s for sec in sections for s in sec["result"].spec.sources] + notes["source"].tolist())
    )
    return {
        "iso3": iso3,
        "name": name,
        "editions": sections,
        "history": history.to_dict("records"),
        "history_chart": charts.history(
            history,
            name,
            iso3,
        )
        if history["ranked"].sum() >= 1
        else None,
        "history_estimated": "partly" if any(sec["estimated"] for sec in sections) else False,
        "objective_counts": _objective_counts(sections),
        "notes": notes.assign(
            edition_title=notes["edition"].map({e.spec.id: e.spec.title for e in site.editions})
        ).to_dict("records"),
        "sources": [dict(id=s, **site.sources.loc[s].to_dict()) for s in cited if s in site.sources.index],
    }


def _measured(site: SiteContext, result: Results, iso3: str) -> list[dict[str, Any]]:
    """The raw indicators measured for a country (value, unit, basis), for an unranked country's page."""
    edition = site.project.editions[result.spec.id]
    if edition.indicators is None:
        return []
    rows = edition.indicators[(edition.indicators["iso3"] == iso3) & edition.indicators["value"].notna()]
    catalogue = {i.id: i for i in result.spec.indicators}
    return [
        {
            "id": r.indicator,
            "name": catalogue[r.indicator].name,
            "unit": catalogue[r.indicator].unit,
            "value": r.value,
            "basis": r.basis,
        }
        for r in rows.itertuples()
        if r.indicator in catalogue
    ]


def _objective_counts(sections: list[dict[str, Any]]) -> list[str]:
    """'8 in NCPI 2022', ... when a country's editions measure different numbers of objectives."""
    counts = [(len(s["result"].spec.objectives), s["result"].spec.title) for s in sections]
    if len({n for n, _ in counts}) < 2:
        return []
    return [f"{n} in {title}" for n, title in counts]


def _objective(site: SiteContext, objective: str) -> dict[str, Any]:
    """page: id, name, description, editions (result, chart, rows, estimated)."""
    sections = []
    description = ""
    for result in site.editions:
        if objective not in result.spec.objective_ids:
            continue
        description = description or result.spec.objective(objective).description
        rows = result.objectives[(result.objectives["objective"] == objective)].copy()
        rows["country"] = rows["iso3"].map(result.overall["country"])
        rows["path"] = rows["iso3"].map(country_path)
        rows = rows.sort_values(["rank", "country"], na_position="last")
        sections.append(
            {
                "result": result,
                "chart": charts.quadrant(result, objective),
                "rows": rows.to_dict("records"),
                "estimated": result.estimated,
                "source": source_line(result, site),
            }
        )
    return {
        "id": objective,
        "name": _objective_name(site, objective),
        "description": description,
        "editions": sections,
    }


def _sources(site: SiteContext) -> dict[str, Any]:
    """page: sources (rows of sources.csv with what cites each)."""
    cited: dict[str, list[str]] = {}
    for result in site.editions:
        for s in result.spec.sources:
            cited.setdefault(s, []).append(f"{result.spec.title} (edition)")
        facts = site.project.editions[result.spec.id].facts
        for cell in facts["sources"]:
            for s in str(cell).split():
                cited.setdefault(s, []).append(f"{result.spec.title} (published figures)")
    for note in site.notes.itertuples():
        cited.setdefault(str(note.source), []).append("analyst notes")
    rows = [dict(id=i, cited=sorted(set(cited.get(str(i), []))), **row) for i, row in site.sources.iterrows()]
    # an address that is a bare host: only the outlet and date of the report are known
    home_pages = [r for r in rows if r["url"] and urlsplit(str(r["url"])).path in ("", "/")]
    return {"sources": rows, "home_pages": len(home_pages)}


def _map(editions: list[Results], topology: dict[str, Any], dots: pd.DataFrame | None) -> dict[str, Any]:
    """The map page: which ranked countries are drawn as dots, and which are not on the map at all."""
    ranked = {c: e.overall.loc[c, "country"] for e in editions for c in e.ranked.index}
    where = charts.placement(sorted(ranked), topology, dots)
    by = {how: sorted(ranked[c] for c, h in where.items() if h == how) for how in ("dot", "absent")}
    return {"editions": editions, "dots": by["dot"], "absent": by["absent"]}


def load_dots(path: Path) -> pd.DataFrame:
    """Positions (iso3, latitude, longitude) of countries too small for the 1:110m map."""
    return pd.read_csv(path, dtype={"iso3": str}, usecols=["iso3", "latitude", "longitude"])


def load_topology(path: Path) -> dict[str, Any]:
    topology: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return topology
