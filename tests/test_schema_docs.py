"""`data/README.md` documents every file and column of the schema in code."""

from __future__ import annotations

import re

from scoring.inputs import schema

from .conftest import ROOT


def test_data_readme_embeds_current_schema() -> None:
    text = (ROOT / "data" / "README.md").read_text("utf-8")
    embedded = re.search(r"<!-- schema:start[^>]*-->\n(.*)<!-- schema:end -->", text, re.S)
    assert embedded, "data/README.md lacks the schema markers"
    assert embedded.group(1).strip() == schema.markdown().strip(), "run: python -m scoring.inputs.schema"


def test_every_shipped_csv_has_a_schema() -> None:
    names = {s.name.replace("<edition>/", "") for s in schema.TOP_LEVEL + schema.EDITION_FILES}
    for path in (ROOT / "data").rglob("*.csv"):
        if schema.RAW_FOLDER not in path.relative_to(ROOT / "data").parts:  # the authors' files, as published
            assert path.name in names, path
