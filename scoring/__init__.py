"""cyberpower: national cyber-power scores, ranks and posture profiles, modelled on the NCPI.

The package follows the data, one layer per subpackage; a layer imports only from the layers before it
(`tests/test_layers.py` holds this):

    inputs  → method  → outputs → pages → publish
    (read and  (pure      (downloads, (contexts, (site generation,
     check)     maths)     terminal)   charts)    build, MkDocs hook)

The public API, for scripts and notebooks:

    from scoring import load_project, run_all
    project = load_project(Path("data"), Path("indices"))   # raises ProjectError listing every problem
    results = run_all(project)                               # {edition id: Results}
    results["ncpi-2022"].overall                             # one row per country
    results["ncpi-2022"].intervals.country("PRK")            # rank intervals, posture stability

A variant of an edition is `run(replace(edition, spec=replace(edition.spec, ...)), project.countries)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> module; imported on first use, so `cyberpower --help` does not load pandas
_API = {
    "load_project": "scoring.inputs.load",
    "Project": "scoring.inputs.load",
    "EditionData": "scoring.inputs.load",
    "IndexSpec": "scoring.inputs.spec",
    "Problem": "scoring.inputs.errors",
    "ProjectError": "scoring.inputs.errors",
    "DataError": "scoring.inputs.errors",
    "DefinitionError": "scoring.inputs.errors",
    "run": "scoring.method.engine",
    "run_all": "scoring.method.engine",
    "Results": "scoring.method.engine",
    "with_intervals": "scoring.method.engine",
    "Intervals": "scoring.method.uncertainty",
}
__all__ = [
    "DataError",
    "DefinitionError",
    "EditionData",
    "IndexSpec",
    "Intervals",
    "Problem",
    "Project",
    "ProjectError",
    "Results",
    "__version__",
    "load_project",
    "run",
    "run_all",
    "with_intervals",
]

if TYPE_CHECKING:
    from scoring.inputs.errors import DataError, DefinitionError, Problem, ProjectError
    from scoring.inputs.load import EditionData, Project, load_project
    from scoring.inputs.spec import IndexSpec
    from scoring.method.engine import Results, run, run_all, with_intervals
    from scoring.method.uncertainty import Intervals


def __getattr__(name: str) -> Any:
    if name in _API:
        import importlib

        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'scoring' has no attribute {name!r}")
