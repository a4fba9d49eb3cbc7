"""MkDocs hooks, for `mkdocs build` and `mkdocs serve` run on the project itself: hand the generated
pages to MkDocs. The work is in `scoring.publish.sitegen`; `cyberpower build` does not use this hook (it
writes the whole MkDocs source with `scoring.publish.source` and builds that).

Under `mkdocs serve`, bad data does not stop the preview: the problems are logged and shown as the
site's only page until the files are fixed, when the live reload brings the site back. The preview
carries no Content-Security-Policy, since MkDocs injects its reload script inline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, file_sort_key

from scoring.inputs.errors import ProjectError
from scoring.publish import csp, source
from scoring.publish.sitegen import MARKER, Generated, Paths, error_site, load_and_generate, log

_state: dict[str, Any] = {}


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command


def _serving() -> bool:
    return _state.get("command") == "serve"


def on_config(config: Any) -> Any:
    paths = Paths.for_config(Path(config.config_file_path))
    try:
        _state["site"] = load_and_generate(paths)
    except ProjectError as error:
        if not _serving():
            raise PluginError(f"cyberpower: {len(error.problems)} problem(s) in the data:\n{error}") from None
        for problem in error.problems:
            log.info("cyberpower: PROBLEM %s", problem)
        _state["site"] = error_site(error)
    except csp.PolicyViolation as error:
        raise PluginError(f"cyberpower: {error}") from None
    config.nav = _state["site"].nav
    config.site_url = source.site_url({"site_url": config.site_url}) or config.site_url
    config.extra["cyberpower"] = source.footer()
    if not _serving():
        config.extra["csp"] = csp.POLICY
    return config


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
    (Path(config.site_dir) / MARKER).write_text("built by cyberpower; a rebuild replaces this folder\n")


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    for path in Paths.for_config(Path(config.config_file_path)).watched():
        server.watch(str(path))
    return server
