"""The project's layout: each edition folder under `data/` paired with its definition in `indices/`,
and no spreadsheet left where a CSV is read.

A folder and a definition whose names nearly match (`data/NCPI-2022/`, `indices/ncpi-2022.toml`) are one
mistake, reported once with both names. Folders are compared by the names the folder lists, so a
case-insensitive file system (macOS, Windows) gives the same answer as Linux.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from scoring.inputs.errors import Collector, display_path
from scoring.inputs.spec import IndexSpec

from .schema import COUNTRIES, FACTS, INDICATORS, INTENTS, NOTES, OBJECTIVES, RAW_FOLDER, SOURCES, FileSchema

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods", ".numbers")
_LOCKS = ("~$", ".~lock")  # a spreadsheet's lock file while it is open: it goes when the sheet is closed
NEAR = 2  # at most this many letters differ (ignoring case) between a folder and a definition that pair
# the data files an edition folder must have, by its definition's data_level (facts.csv is optional)
DATA_FILES: dict[str, tuple[FileSchema, ...]] = {
    "indicators": (INDICATORS, INTENTS),
    "objectives": (OBJECTIVES,),
}


def edition_csvs(data_level: str | None) -> list[str]:
    """The CSV names an edition folder of `data_level` reads, facts.csv last; all four for None (a
    folder without a definition, which may be either)."""
    schemas = DATA_FILES[data_level] if data_level is not None else (INDICATORS, INTENTS, OBJECTIVES)
    return [s.name.split("/")[1] for s in (*schemas, FACTS)]


def edition_folders(
    data_dir: Path, indices_dir: Path, specs: Iterable[IndexSpec], defined: set[str], problems: Collector
) -> set[str]:
    """The ids of the editions in `specs` that have a data folder. Reported: each definition without a
    folder, each folder of CSVs without a definition (`defined`: every `indices/*.toml` name), and a
    folder and a definition whose names nearly match as one problem naming both."""
    folders = {p.name: p for p in data_dir.iterdir() if p.is_dir()} if data_dir.is_dir() else {}
    lonely = [f for name, f in sorted(folders.items()) if name not in defined and any(f.glob("*.csv"))]
    paired: set[str] = set()
    for spec in sorted(specs, key=lambda s: (s.year, s.id)):
        if spec.id in folders:
            paired.add(spec.id)
            continue
        near = next((f for f in lonely if _near(f.name, spec.id)), None)
        line, column = spec.locate(("edition", "id"))
        if near is not None:
            lonely.remove(near)
            problems.add(
                spec.path,
                line,
                column,
                f"folder {near.name} has no definition; {spec.path} has no folder: rename one to match",
                f"rename {display_path(near)}/ to {display_path(data_dir / spec.id)}/",
            )
            continue
        problems.add(
            spec.path,
            1,
            1,
            f"edition '{spec.id}' has no data folder {display_path(data_dir / spec.id)}/",
            "create it, or remove the definition",
        )
    for folder in lonely:
        problems.add(
            display_path(sorted(folder.glob("*.csv"))[0]),
            1,
            1,
            f"edition folder '{folder.name}' has no definition "
            f"{display_path(indices_dir)}/{folder.name}.toml",
            "add the definition, or remove the folder",
        )
    return paired


def _near(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    return a == b or (min(len(a), len(b)) > 2 * NEAR and _distance(a, b) <= NEAR)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance: letters inserted, removed or replaced to turn `a` into `b`."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def spreadsheets(data_dir: Path, problems: Collector, levels: Mapping[str, str] | None = None) -> None:
    """Report each spreadsheet in `data/` or a folder of it: the loader reads only CSV, and a sheet
    saved next to its CSV is easily taken for the data (raw/ folders, the authors' files, are left).
    The hint names the CSVs the folder's edition reads, by its data_level in `levels` (edition id ->
    data_level; a folder without one may hold any edition's files)."""
    if not data_dir.is_dir():
        return
    levels = levels or {}
    top = [s.name for s in (COUNTRIES, SOURCES, NOTES)]
    folders = [(data_dir, top)] + [
        (p, edition_csvs(levels.get(p.name))) for p in sorted(data_dir.iterdir()) if p.is_dir()
    ]
    for folder, names in folders:
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in SPREADSHEETS or path.name.startswith(_LOCKS):
                continue
            csv = f"{path.stem.casefold()}.csv"
            target = display_path(folder / csv) if csv in names else f"one of {', '.join(names)}"
            raw = display_path(folder / RAW_FOLDER)
            keep = f"; the authors' original sheets go in {raw}/" if folder != data_dir else ""
            problems.add(
                display_path(path),
                1,
                1,
                f"{path.name} is a spreadsheet ({path.suffix}); only CSV files are read",
                f"export it as CSV UTF-8 (comma-separated) to {target}, then remove it{keep}",
            )
