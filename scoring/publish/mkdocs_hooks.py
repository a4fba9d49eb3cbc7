"""MkDocs hooks, for `mkdocs build` and `mkdocs serve` run on the project itself: hand the generated
pages to MkDocs. The work is in `scoring.publish.sitegen`; `cyberpower build` does not use this hook (it
writes the whole MkDocs source with `scoring.publish.source` and builds that).

Under `mkdocs serve`, a mistake does not stop the preview: bad data or definitions, a template that
does not compile or fails while rendering (and, with its traceback in the terminal, any other error
while generating) are logged and shown as the problem page, at every address: the home page is the
problem page, and the theme's 404 page, which the server sends for every other address, shows it too.
A theme override that does not compile (templates/theme/) is shown on the home page, drawn by the theme
without its overrides; every other address then answers with the theme's own 404 page.
Each carries MkDocs' reload script, so once the files are fixed the page the analyst was on comes back
by itself at the same address. The preview carries no Content-Security-Policy, since MkDocs injects its
reload script inline; `mkdocs build` and `cyberpower build` do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, file_sort_key

from scoring.inputs.errors import Problem, ProjectError
from scoring.pages.markup import template_problem
from scoring.publish import csp, source
from scoring.publish.sitegen import (
    MARKER,
    Generated,
    Paths,
    error_site,
    load_and_generate,
    log,
    problems_html,
)

_state: dict[str, Any] = {}


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command


def _serving() -> bool:
    return _state.get("command") == "serve"


def on_config(config: Any) -> Any:
    paths = Paths.for_config(Path(config.config_file_path))
    try:
        broken = _theme_problems(config)
        if broken and _serving():  # the problem page is drawn with the theme: without the overrides
            custom = Path(config.theme.custom_dir)
            config.theme.dirs = [d for d in config.theme.dirs if Path(d) != custom]
        if broken:
            raise ProjectError(broken)
        # the chart images the cache lacks are made by helper processes while MkDocs renders the pages
        # (after an edit, those of the charts it changed), and written into the site after it
        _state["site"] = load_and_generate(paths, wait=False)
    except ProjectError as error:
        if not _serving():
            raise PluginError(f"cyberpower: {len(error.problems)} problem(s):\n{error}") from None
        for problem in error.problems:
            log.info("cyberpower: PROBLEM %s", problem)
        _show_problems(config, error)
    except csp.PolicyViolation as error:  # an inline script a template wrote
        if not _serving():
            raise PluginError(f"cyberpower: {error}") from None
        log.info("cyberpower: PROBLEM %s", error)
        _show_problems(config, error)
    except Exception as error:  # a bug, not a mistake in the files: a build fails with its traceback
        if not _serving():
            raise
        # while serving, a failed build would leave every request waiting for a good one
        log.exception("cyberpower: the preview cannot be generated")
        _show_problems(config, error)
    config.nav = _state["site"].nav
    config.site_url = source.site_url({"site_url": config.site_url}) or config.site_url
    config.extra["cyberpower"] = source.footer()
    if not _serving():
        config.extra["csp"] = csp.POLICY
    return config


def _theme_problems(config: Any) -> list[Problem]:
    """The theme overrides (templates/theme/*.html) that do not compile, each a located problem: while
    serving, one would fail inside MkDocs and leave every request of the preview waiting."""
    custom = config.theme.custom_dir
    if not custom:
        return []
    root = Path(config.config_file_path).parent
    problems = []
    for path in sorted(Path(custom).rglob("*.html")):
        try:
            jinja2.Environment().parse(path.read_text("utf-8"), filename=str(path))
        except jinja2.TemplateSyntaxError as error:
            shown = path.relative_to(root) if path.is_relative_to(root) else path
            problems.append(template_problem(error, shown, copied=(path, shown)))
    return problems


def _show_problems(config: Any, error: Exception) -> None:
    """Serve the problem page: as the site's only page, and as its 404 page (templates/theme/404.html
    shows `config.extra.problems`), which the preview server sends for every address the site lacks."""
    _state["site"] = error_site(error)
    config.extra["problems"] = Markup(problems_html(error))  # escaped inside


def on_files(files: Files, config: Any) -> Files:
    site: Generated = _state["site"]
    every = list(files)
    every += [File.generated(config, path, content=text) for path, text in site.pages.items()]
    every += [File.generated(config, path, content=content) for path, content in site.files.items()]
    # in the order MkDocs gives files it finds on disk, so that this site and one built from a written
    # source folder (`cyberpower build`) are the same, search index included
    return Files(sorted(every, key=file_sort_key))


def on_post_page(output: str, page: Any, config: Any) -> str:
    if not _serving():  # the preview's reload script is inline
        try:
            csp.check_page(output, page.file.src_uri)
        except csp.PolicyViolation as error:
            raise PluginError(f"cyberpower: {error}") from None
    return output


def on_post_build(config: Any) -> None:
    site_dir = Path(config.site_dir)
    _state["site"].write_images(site_dir)  # the chart images made while MkDocs rendered
    (site_dir / MARKER).write_text("built by cyberpower; a rebuild replaces this folder\n")


def on_build_error(error: Exception) -> None:
    site: Generated | None = _state.get("site")
    if site is not None and site.images is not None:
        site.images.stop()  # what the helpers finished stays in the cache


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    for path in Paths.for_config(Path(config.config_file_path)).watched():
        server.watch(str(path))
    server.error_handler = _reloading(server, server.error_handler)
    return server


def _reloading(server: Any, error_page: Any) -> Any:
    """The server's error page (the theme's 404 page, the problem page while the files are broken) with
    the reload script MkDocs injects into every page it serves but not into its error page, so the
    problem page shown at /countries/prk/ becomes that country's page again once the files are fixed.

    Uses two internals of MkDocs' LiveReloadServer (1.6); without them the page is served as it is."""
    inject = getattr(server, "_inject_js_into_html", None)

    def handler(code: int) -> bytes | None:
        content: bytes | None = error_page(code)
        epoch = getattr(server, "_visible_epoch", None)  # the build this page belongs to
        if content is None or inject is None or epoch is None:
            return content
        return bytes(inject(content, epoch))

    return handler
