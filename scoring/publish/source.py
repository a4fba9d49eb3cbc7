"""The complete MkDocs source of the site, written to a folder: `cyberpower build --docs-dir DIR`.

`write_source` lays out what a build renders, with nothing left to compute:

    DIR/mkdocs.yml   the project's configuration with the nav filled in and no hook
    DIR/docs/        the hand-written source (`site/`) plus every generated page, download, chart image
    DIR/theme/       the theme overrides (`templates/theme/`)

so that a plain `mkdocs build -f DIR/mkdocs.yml` gives the same site as `cyberpower build`, and another
engine that reads `mkdocs.yml` could render the same files. `cyberpower build` itself builds from such a
folder (a temporary one unless `--docs-dir` names it).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from scoring.publish import csp
from scoring.publish.sitegen import Generated

SOURCE_MARKER = ".cyberpower-source"  # written into every source folder, so a later build may replace it


def read_config(config_file: Path) -> dict[str, Any]:
    """The project's `mkdocs.yml` as plain data (it uses no YAML tags)."""
    with config_file.open(encoding="utf-8") as handle:
        loaded = yaml.safe_load(handle)
    return loaded if isinstance(loaded, dict) else {}


def source_config(config: dict[str, Any], generated: Generated) -> dict[str, Any]:
    """The configuration of a written source folder: paths inside it, the generated nav, the policy,
    no hook."""
    theme = dict(config.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = "theme"
    out = {key: value for key, value in config.items() if key not in ("hooks", "nav")}
    out.update(
        docs_dir="docs",
        site_dir="site",
        theme=theme,
        nav=generated.nav,
        extra={**(config.get("extra") or {}), "csp": csp.POLICY},
    )
    return out


def write_source(generated: Generated, config_file: Path, target: Path) -> None:
    """Write the site's complete MkDocs source into `target` (created; must not exist yet)."""
    root = config_file.resolve().parent
    config = read_config(config_file)
    docs = target / "docs"
    shutil.copytree(root / config.get("docs_dir", "docs"), docs)
    custom = (config.get("theme") or {}).get("custom_dir")
    if custom:
        shutil.copytree(root / custom, target / "theme")
    files = {**{path: text.encode("utf-8") for path, text in generated.pages.items()}, **generated.files}
    for path, content in files.items():
        destination = docs / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(content)
    text = yaml.safe_dump(source_config(config, generated), allow_unicode=True, sort_keys=False, width=1000)
    (target / "mkdocs.yml").write_text(
        "# Written by `cyberpower build --docs-dir`: the complete source of the site, no hook needed.\n"
        "# Build it with `mkdocs build -f mkdocs.yml`; edit the project, not this folder.\n" + text,
        encoding="utf-8",
    )
    (target / SOURCE_MARKER).write_text("written by cyberpower; a rebuild replaces this folder\n")
