"""MkDocs hooks: hand the generated pages to MkDocs. The work is in `scoring.sitegen`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from scoring.errors import ProjectError
from scoring.sitegen import Generated, Paths, generate

_state: dict[str, Generated] = {}


def on_config(config: Any) -> Any:
    paths = Paths.for_config(Path(config.config_file_path))
    try:
        _state["site"] = generate(paths)
    except ProjectError as error:
        raise PluginError(f"cyberpower: {len(error.problems)} problem(s) in the data:\n{error}") from None
    config.nav = _state["site"].nav
    return config


def on_files(files: Files, config: Any) -> Files:
    site = _state["site"]
    for path, text in site.pages.items():
        files.append(File.generated(config, path, content=text))
    for path, content in site.files.items():
        files.append(File.generated(config, path, content=content))
    return files


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    for path in Paths.for_config(Path(config.config_file_path)).watched():
        server.watch(str(path))
    return server
