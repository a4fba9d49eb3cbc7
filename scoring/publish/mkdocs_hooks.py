"""MkDocs hooks: hand the generated pages to MkDocs. The work is in `scoring.publish.sitegen`.

Under `mkdocs serve`, bad data does not stop the preview: the problems are logged and shown as the
site's only page until the files are fixed, when the live reload brings the site back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from scoring.inputs.errors import ProjectError
from scoring.publish.csp import InlineScriptInContent, with_policy
from scoring.publish.sitegen import MARKER, Generated, Paths, error_site, generate, log

_state: dict[str, Any] = {}


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command


def _serving() -> bool:
    return _state.get("command") == "serve"


def on_config(config: Any) -> Any:
    paths = Paths.for_config(Path(config.config_file_path))
    try:
        _state["site"] = generate(paths)
    except ProjectError as error:
        if not _serving():
            raise PluginError(f"cyberpower: {len(error.problems)} problem(s) in the data:\n{error}") from None
        for problem in error.problems:
            log.info("cyberpower: PROBLEM %s", problem)
        _state["site"] = error_site(error)
    config.nav = _state["site"].nav
    return config


def on_files(files: Files, config: Any) -> Files:
    site: Generated = _state["site"]
    for path, text in site.pages.items():
        files.append(File.generated(config, path, content=text))
    for path, content in site.files.items():
        files.append(File.generated(config, path, content=content))
    return files


def on_post_page(output: str, page: Any, config: Any) -> str:
    # not under `mkdocs serve`: its live-reload script is injected later and would be blocked
    if _serving():
        return output
    try:
        return with_policy(output, page.content or "")
    except InlineScriptInContent as error:
        raise PluginError(f"cyberpower: {page.file.src_uri}: {error}") from None


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    # 404.html is rendered as a template, not a page, and carries the same navigation
    if template_name != "404.html" or _serving():
        return output_content
    return with_policy(output_content)


def on_post_build(config: Any) -> None:
    (Path(config.site_dir) / MARKER).write_text("built by cyberpower; a rebuild replaces this folder\n")


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    for path in Paths.for_config(Path(config.config_file_path)).watched():
        server.watch(str(path))
    return server
