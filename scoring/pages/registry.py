"""Which pages the site has: each page declared once, with its path, template, context and nav place.

`site_registry` decides which pages exist (a country page for every country measured in some edition,
an objective page for every objective of some edition, ...); the set of generated pages, the MkDocs nav
and every link between pages are derived from the `Registry` it returns. A link asks for a page by kind
and id (`path_of("country", "PRK")`), so a link to a page the registry did not create is an error at
build time, not a 404 on the published site.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd

from scoring.method.engine import Results
from scoring.pages import audits, contexts, indicators
from scoring.pages.contexts import SiteContext
from scoring.pages.markup import nav_title, slug

# kind -> docs-relative path; `{id}` is the page's id as given, `{lower}` in lower case (ISO3 codes)
PATHS = {
    "home": "index.md",
    "ranking": "rankings/{id}.md",
    "method_note": "rankings/{id}-estimates.md",
    "countries": "countries/index.md",
    "country": "countries/{lower}.md",
    "objectives": "objectives/index.md",
    "objective": "objectives/{id}.md",
    "indicators": "indicators/index.md",
    "indicator": "indicators/{id}.md",
    "audit": "audit/{id}.md",
    "posture": "posture.md",
    "compare": "compare.md",
    "map": "map.md",
    "methodology": "methodology.md",
    "data": "data.md",
    "sources": "sources.md",
    "about": "about.md",
}


class UnknownPage(LookupError):
    """A link to a page the registry did not create (a bug in a template or context)."""


@dataclass(frozen=True)
class Page:
    """One generated page. `context` builds the template's context. `section` is the nav section it
    is listed under ("" for a top-level entry); a section's `index.md` page comes first in it, the other
    pages follow in order of `nav_key` (registry order where equal). `reads`: the editions whose data
    (their folder of `data/`) the page shows, None for every edition; of any other edition the page
    shows only what its definition says (its title, its link). A page whose editions an edit did not
    touch may be reused (`pages.render`); tests/test_rebuild.py holds each declaration true."""

    kind: str
    id: str
    template: str
    title: str
    context: Callable[[], object] = field(repr=False, compare=False)
    section: str = ""
    nav_key: str = ""
    reads: tuple[str, ...] | None = None

    @property
    def path(self) -> str:
        if "{" not in PATHS[self.kind]:
            return PATHS[self.kind]
        return PATHS[self.kind].format(id=slug(self.id), lower=self.id.lower())


@dataclass(frozen=True)
class Registry:
    """The site's pages in nav order, and the download files pages may link to."""

    pages: tuple[Page, ...]
    files: frozenset[str] = frozenset()
    _by_key: dict[tuple[str, str], Page] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key = {(p.kind, p.id): p for p in self.pages}
        paths = [p.path for p in self.pages]
        if len(by_key) != len(self.pages) or len(set(paths)) != len(paths):
            raise ValueError("two pages share a kind and id, or a path")
        object.__setattr__(self, "_by_key", by_key)

    def page(self, kind: str, id: str = "") -> Page:
        try:
            return self._by_key[(kind, id)]
        except KeyError:
            raise UnknownPage(f"no {kind} page {id!r}: the registry did not create it") from None

    def path_of(self, kind: str, id: str = "") -> str:
        """The docs-relative path of a page the registry created (`UnknownPage` otherwise)."""
        return self.page(kind, id).path

    def url_of(self, kind: str, id: str = "") -> str:
        """The URL of a page from the site's root, as MkDocs serves it (a/b.md at a/b/, a/index.md at a/)."""
        path = self.path_of(kind, id).removesuffix(".md")
        return (
            "" if path == "index" else path.removesuffix("index") if path.endswith("/index") else path + "/"
        )

    def ids(self, kind: str) -> list[str]:
        """The ids of the pages of one kind, in nav order."""
        return [p.id for p in self.pages if p.kind == kind]

    def download(self, edition: str, name: str) -> str:
        """The docs-relative path of one edition's download file (`UnknownPage` if it is not built)."""
        path = f"downloads/{slug(edition)}/{slug(name)}"
        if path not in self.files:
            raise UnknownPage(f"no download {path}")
        return path

    def nav(self) -> list[Any]:
        """The MkDocs nav: top-level pages and sections in registry order."""
        nav: list[Any] = []
        sections: dict[str, list[Page]] = {}
        for p in self.pages:
            if not p.section:
                nav.append({nav_title(p.title): p.path})
            elif p.section not in sections:
                sections[p.section] = [p]
                nav.append(p.section)
            else:
                sections[p.section].append(p)
        for i, entry in enumerate(nav):
            if isinstance(entry, str):
                members = sorted(sections[entry], key=lambda p: (not p.path.endswith("/index.md"), p.nav_key))
                nav[i] = {entry: [_nav_entry(p) for p in members]}
        return nav


def _since(site: SiteContext, *shown: Results) -> tuple[str, ...]:
    """The editions a page showing `shown` reads: those and every older one (an edition's rank changes
    and the check of its published figures are against the edition before it)."""
    newest = max(((r.spec.year, r.spec.id) for r in shown), default=None)
    return tuple(
        e.spec.id for e in site.editions if newest is not None and (e.spec.year, e.spec.id) <= newest
    )


def _nav_entry(page: Page) -> Any:
    return page.path if page.path.endswith("/index.md") else {nav_title(page.title): page.path}


def site_registry(
    site: SiteContext,
    pair: tuple[str, str],
    topology: dict[str, Any],
    dots: pd.DataFrame | None,
    provenance: dict[str, Any],
    files: frozenset[str],
) -> Registry:
    """Every page of the site: the one place that decides which pages exist.

    A country gets a page when some edition measures it (a country in `countries.csv` without any
    edition rows has none, and no page links to it); an objective when some edition has it.
    """
    editions = site.editions
    profiled = [i for i in site.countries.index if any(i in e.overall.index for e in editions)]
    objective_ids = list(dict.fromkeys(o for e in editions for o in e.spec.objective_ids))
    indicator_ids = indicators.indicator_ids(site)
    c = contexts
    pages = [
        Page("home", "", "home.md.j2", "Home", partial(c.home_page, site, pair)),
        *(
            Page(
                "ranking",
                e.spec.id,
                "ranking.md.j2",
                e.spec.title,
                partial(c.ranking_page, site, e),
                "Rankings",
                reads=_since(site, e),
            )
            for e in editions
        ),
        *(
            Page(
                "method_note",
                e.spec.id,
                "method_note.md.j2",
                f"{e.spec.title}: how the estimates were made",
                partial(c.method_note_page, site, e),
                "Rankings",
                reads=_since(site, e),
            )
            for e in editions
            if e.spec.id in site.method_notes
        ),
        Page(
            "countries",
            "",
            "countries.md.j2",
            "Countries",
            partial(c.countries_page, site, profiled),
            "Countries",
        ),
        *(
            Page(
                "country",
                i,
                "country.md.j2",
                name,
                partial(c.country_page, site, i),
                "Countries",
                nav_key=name,
            )
            for i, name in site.countries.loc[profiled, "name"].items()
        ),
        *(
            Page(
                "objective",
                o,
                "objective.md.j2",
                c.objective_name(site, o),
                partial(c.objective_page, site, o),
                "Objectives",
            )
            for o in objective_ids
        ),
        Page(
            "objectives",
            "",
            "objectives.md.j2",
            "Objectives",
            partial(c.objectives_page, site, objective_ids),
            "Objectives",
        ),
        *(
            [
                Page(
                    "indicators",
                    "",
                    "indicators.md.j2",
                    "Indicators",
                    partial(indicators.indicators_page, site, indicator_ids),
                    "Indicators",
                    reads=_since(site, *(e for e in editions if e.spec.has_indicator_level)),
                )
            ]
            if indicator_ids
            else []
        ),
        *(
            Page(
                "indicator",
                i,
                "indicator.md.j2",
                indicators.indicator_name(site, i),
                partial(indicators.indicator_page, site, i),
                "Indicators",
                nav_key=indicators.indicator_name(site, i).casefold(),
                reads=_since(site, *indicators.editions_using(site, i)),
            )
            for i in indicator_ids
        ),
        Page("posture", "", "posture.md.j2", "Posture", partial(c.posture_page, site)),
        Page("compare", "", "compare.md.j2", "Compare", partial(c.compare_page, site, pair)),
        # the map links each country to its page: known once the registry below exists
        Page(
            "map",
            "",
            "map.md.j2",
            "Map",
            partial(c.map_page, site, topology, dots, lambda i: registry.url_of("country", i)),
        ),
        Page("methodology", "", "methodology.md.j2", "Methodology", partial(c.methodology_page, site)),
        *(
            Page(
                "audit",
                e.spec.id,
                "audit.md.j2",
                f"{e.spec.title}: audit",
                partial(audits.audit_page, site, e),
                "Audit",
                reads=_since(site, e),
            )
            for e in editions
            if e.spec.id in site.audits
        ),
        Page("data", "", "data.md.j2", "Data", partial(c.data_page, site, provenance)),
        Page("sources", "", "sources.md.j2", "Sources", partial(c.sources_page, site)),
        Page("about", "", "about.md.j2", "About", partial(c.about_page, site, provenance)),
    ]
    registry: Registry = Registry(tuple(pages), files)
    return registry
