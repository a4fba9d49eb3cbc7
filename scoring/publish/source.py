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

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from scoring import __version__
from scoring.publish import csp
from scoring.publish.sitegen import Generated

SOURCE_MARKER = ".cyberpower-source"  # written into every source folder, so a later build may replace it
SITE_URL = "CYBERPOWER_SITE_URL"  # where the site is published; CI sets it from the repository


def site_url(config: dict[str, Any]) -> str | None:
    """The published site's address (`https://owner.github.io/repo/`): $CYBERPOWER_SITE_URL, else the
    `site_url` of mkdocs.yml, else none. With it, MkDocs fills the sitemap and the canonical links, the
    theme adds Open Graph tags, and the 404 page (served at any depth) finds its assets under the
    sub-path; without it, the 404 page assumes the site is served from the root of its host."""
    url = os.environ.get(SITE_URL) or config.get("site_url") or None
    return url if url is None or url.endswith("/") else url + "/"


def read_config(config_file: Path) -> dict[str, Any]:
    """The project's `mkdocs.yml` as plain data (it uses no YAML tags)."""
    with config_file.open(encoding="utf-8") as handle:
        loaded = yaml.safe_load(handle)
    return loaded if isinstance(loaded, dict) else {}


def footer() -> dict[str, str]:
    """What the footer shows (templates/theme/partials/copyright.html): the package version and, for
    a dated build (SOURCE_DATE_EPOCH, as CI sets it from the commit), the build date."""
    facts = {"version": f"cyberpower {__version__}"}
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        facts["built"] = datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%d")
    return facts


def source_config(config: dict[str, Any], generated: Generated) -> dict[str, Any]:
    """The configuration of a written source folder: paths inside it, the generated nav, the policy,
    no hook."""
    theme = dict(config.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = "theme"
    out = {key: value for key, value in config.items() if key not in ("hooks", "nav")}
    url = site_url(config)
    if url:
        out["site_url"] = url
    out.update(
        docs_dir="docs",
        site_dir="site",
        theme=theme,
        nav=generated.nav,
        extra={**(config.get("extra") or {}), "csp": csp.POLICY, "cyberpower": footer()},
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
