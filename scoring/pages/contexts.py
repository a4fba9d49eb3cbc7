"""What each page template gets: the `site` object and one `page` dict per page, built from results.

Pure functions of the results (no files, no Jinja): `pages.render` calls them and hands their dicts to
the templates. The keys of each dict are documented at the function that builds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from scoring.inputs.load import Project
from scoring.method import facts
from scoring.method.engine import Results
from scoring.outputs.text import number, ordinal
from scoring.pages import charts
from scoring.pages.charts.base import objective_names


@dataclass(frozen=True)
class SiteContext:
    editions: list[Results]  # newest first
    countries: pd.DataFrame  # index iso3: name, short_name, region
    sources: pd.DataFrame  # index id
    notes: pd.DataFrame
    history: pd.DataFrame  # change.history: iso3, edition, title, year, rank, rank_basis, score, ... changes
    project: Project = field(repr=False)

    @property
    def latest(self) -> Results:
        return self.editions[0]

    def fact_checks(self, result: Results) -> list[facts.FactCheck]:
        """The edition's published figures against the computed ones (empty without a facts.csv)."""
        return facts.check(self.project.editions[result.spec.id].facts, result)


def country_path(iso3: str) -> str:
    return f"countries/{iso3.lower()}.md"


def objective_name(site: SiteContext, objective: str) -> str:
    for e in site.editions:
        if objective in e.spec.objective_ids:
            return e.spec.objective(objective).name
    return objective


def source_line(result: Results, site: SiteContext) -> str:
    names = [str(site.sources.loc[s, "publisher"]) for s in result.spec.sources if s in site.sources.index]
    return f"{result.spec.title}; " + "; ".join(dict.fromkeys(names))


def home_page(site: SiteContext, pair: tuple[str, str]) -> dict[str, Any]:
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


def compare_section(site: SiteContext, result: Results, pair: tuple[str, str]) -> dict[str, Any]:
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


# How each kind of published figure reads on a page (for an objective kind: after the objective's name).
FACT_LABELS = {
    "overall_rank": "Overall rank",
    "overall_score": "Overall score",
    "overall_capability": "Capability index",
    "overall_intent": "Intent index",
    "objective_rank": "rank",
    "objective_score": "score",
    "objective_capability": "capability",
}


def fact_rows(site: SiteContext, result: Results, checks: list[facts.FactCheck]) -> list[dict[str, Any]]:
    """One row per published figure: check (the FactCheck), country (its name), figure (what it is, in
    words), digits (0 for a rank, 3 otherwise: the precision of the check)."""
    names = objective_names(result)
    countries = site.countries["name"].to_dict()
    return [
        {
            "check": c,
            "country": countries.get(c.iso3, c.iso3),
            "figure": f"{names.get(c.objective, c.objective)} {FACT_LABELS[c.fact]}"
            if c.objective
            else FACT_LABELS[c.fact],
            "digits": 0 if c.is_rank else 3,
        }
        for c in checks
    ]


def _kind_label(kind: str) -> str:
    return f"Objective {FACT_LABELS[kind]}" if kind.startswith("objective_") else FACT_LABELS[kind]


def fact_summary(checks: list[facts.FactCheck]) -> dict[str, Any]:
    """count, agreeing, kinds (per kind: label, count, agreeing, largest difference, digits) and
    largest (the largest difference over every figure that is not a rank, None without any)."""
    kinds = [
        {
            "label": _kind_label(s.fact),
            "count": s.count,
            "agreeing": s.agreeing,
            "largest": s.largest_difference,
            "digits": 0 if s.fact.endswith("_rank") else 4,
        }
        for s in facts.summarise(checks)
    ]
    differences = [c.difference for c in checks if not c.is_rank and c.difference is not None]
    return {
        "count": len(checks),
        "agreeing": sum(c.agrees for c in checks),
        "kinds": kinds,
        "largest": max(differences, default=None),
    }


def ranking_page(site: SiteContext, result: Results) -> dict[str, Any]:
    """page: result, chart, rows (overall columns, change, path), others, previous, estimated_ranks
    (whether any rank is an estimate), facts (fact_rows of the published figures), fact_summary."""
    history = site.history[site.history["edition"] == result.spec.id].set_index("iso3")
    rows = result.overall.reset_index().assign(
        change=lambda f: f["iso3"].map(history["rank_change"]), path=lambda f: f["iso3"].map(country_path)
    )
    previous = [e for e in site.editions if e.spec.year < result.spec.year]
    checks = site.fact_checks(result)
    return {
        "result": result,
        "chart": charts.ranking(result),
        "rows": rows.to_dict("records"),
        "others": [e for e in site.editions if e is not result],
        "estimated": result.estimated,
        "previous": previous[0] if previous else None,
        "source": source_line(result, site),
        "estimated_ranks": result.estimated_ranks,
        "facts": fact_rows(site, result, checks),
        "fact_summary": fact_summary(checks),
    }


def countries_page(site: SiteContext) -> dict[str, Any]:
    """page: rows (iso3, name, region, path, ranks and bases by edition id), any_estimated (whether any
    rank shown is an estimate)."""
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
    return {"rows": rows, "any_estimated": any(e.estimated_ranks for e in site.editions)}


def country_page(site: SiteContext, iso3: str) -> dict[str, Any]:
    """page: iso3, name, editions (per-edition dicts: result, row, objectives with `tied` when another
    ranked country shares the rank, strengths, weaknesses, charts), history (rows), history_chart,
    notes, sources."""
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


def objective_page(site: SiteContext, objective: str) -> dict[str, Any]:
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
        "name": objective_name(site, objective),
        "description": description,
        "editions": sections,
    }


def sources_page(site: SiteContext) -> dict[str, Any]:
    """page: sources (rows of sources.csv with what cites each), home_pages (how many of them link to an
    outlet rather than to the report)."""
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
    home_pages = [r for r in rows if r["url"] and _outlet_page(str(r["url"]))]
    return {"sources": rows, "home_pages": len(home_pages)}


def _outlet_page(url: str) -> bool:
    """An address of an outlet or one of its sections (https://www.rfa.org/korean/), not of a report:
    only the outlet and date of the report are known."""
    path = urlsplit(url).path
    return path in ("", "/") or (path.endswith("/") and path.count("/") == 2)


def map_page(editions: list[Results], topology: dict[str, Any], dots: pd.DataFrame | None) -> dict[str, Any]:
    """The map page: which ranked countries are drawn as dots, and which are not on the map at all."""
    ranked = {c: e.overall.loc[c, "country"] for e in editions for c in e.ranked.index}
    where = charts.placement(sorted(ranked), topology, dots)
    by = {how: sorted(ranked[c] for c, h in where.items() if h == how) for how in ("dot", "absent")}
    return {"editions": editions, "dots": by["dot"], "absent": by["absent"]}
