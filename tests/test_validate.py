"""Validation: each broken fixture gives exactly the expected `path:line:column: message` lines.

A broken fixture under `tests/fixtures/broken/<case>/` holds files laid over a copy of the tiny valid
project in `tests/fixtures/tiny/`.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from scoring.cli import main
from scoring.inputs.errors import Problem, ProjectError
from scoring.inputs.load import load_project
from scoring.method.validate import validate

from .conftest import FIXTURES

EXPECTED: dict[str, list[str]] = {}  # filled below, one entry per case


def _expect(case: str, *lines: str) -> None:
    EXPECTED[case] = list(lines)


_expect(
    "missing_column",
    "data/tiny-2020/intents.csv:1:1: missing column 'basis'; hint: expected columns: iso3, objective, intent, basis, source",
)
_expect(
    "renamed_column",
    "data/tiny-2020/indicators.csv:1:1: missing column 'iso3'; hint: expected columns: iso3, indicator, value, basis, source",
    "data/tiny-2020/indicators.csv:1:1: unknown column 'iso'; hint: did you mean 'iso3'?",
)
_expect(
    "extra_column",
    "data/tiny-2022/objectives.csv:1:7: unknown column 'comment'; hint: expected columns: iso3, objective, capability, intent, basis, source",
)
_expect(
    "non_numeric_value",
    "data/tiny-2020/indicators.csv:2:3: value 'seven' is not a number (row JPN, firms); hint: write digits with a '.' for decimals, or leave it empty with basis 'missing'",
)
_expect(
    "nan_value",
    "data/tiny-2020/indicators.csv:13:3: value 'NaN' is not a number (row USA, units); hint: write digits with a '.' for decimals, or leave it empty with basis 'missing'",
)
_expect(
    "huge_value",
    "data/tiny-2020/indicators.csv:13:3: value 1e300 is implausibly large (above 1e12) (row USA, units); hint: check the unit",
)
_expect(
    "intent_out_of_range",
    "data/tiny-2020/intents.csv:5:3: intent 1.3 is outside 0–1 (row KOR, destructive); hint: intents are shares from 0 to 1",
)
_expect(
    "capability_out_of_range",
    "data/tiny-2022/objectives.csv:7:3: capability 120 is outside 0–100 (row PRK, destructive); hint: capabilities are on 0–100",
)
_expect(
    "negative_count",
    "data/tiny-2020/indicators.csv:5:3: value -3 is negative, but indicator 'firms' is a count (row KOR, firms)",
)
_expect(
    "duplicate_row",
    "data/tiny-2020/indicators.csv:14:1: duplicate row for (KOR, firms); first at line 5; hint: keep one row per key",
)
_expect(
    "unknown_iso3",
    "data/tiny-2020/intents.csv:8:1: country USA has no intent for objective destructive; hint: every country needs a row for each objective",
    "data/tiny-2020/intents.csv:9:1: unknown country 'USB' (row USB, destructive); hint: did you mean USA (United States)?",
)
_expect(
    "unknown_objective",
    "data/tiny-2022/objectives.csv:2:1: country JPN has no objective destructive; hint: every country needs a row for each objective",
    "data/tiny-2022/objectives.csv:3:2: unknown objective 'financial' (row JPN, financial); hint: objectives of this edition: defense, destructive",
)
_expect(
    "unknown_indicator_in_data",
    "data/tiny-2020/indicators.csv:2:1: country JPN has no indicator units; hint: every country needs a row for each; leave the value empty with basis 'missing' if unknown",
    "data/tiny-2020/indicators.csv:4:2: unknown indicator 'phones' (row JPN, phones); hint: it is not in the edition's [indicators] catalogue",
)
_expect(
    "indicator_not_in_data",
    "indices/tiny-2020.toml:42:1: indicator 'units' has no values in data/tiny-2020/indicators.csv; hint: add its rows (an empty value with basis 'missing' where it was not measured)",
)
_expect(
    "empty_file",
    "data/tiny-2020/intents.csv:1:1: the file is empty; hint: a CSV starts with a header line of column names",
)
_expect(
    "header_only",
    "data/tiny-2022/objectives.csv:1:1: the file has a header but no data rows; hint: add rows of iso3, objective, capability, intent, basis, source",
)
_expect(
    "binary_file",
    "data/tiny-2020/intents.csv:3:1: the file is binary, not CSV text; hint: export the sheet as CSV UTF-8",
)
_expect(
    "latin1_text",
    "data/notes.csv:2:34: the file is not UTF-8 (byte 0xE9, 'é' in Windows-1252, cannot be decoded); hint: save it as UTF-8; it may be Latin-1 or Windows-1252",
)
_expect(
    "semicolon_separated",
    "data/tiny-2020/intents.csv:1:5: the file is separated by ';', not ','; hint: save it as comma-separated CSV (in a spreadsheet: CSV UTF-8, comma)",
)
_expect(
    "unclosed_quote",
    'data/notes.csv:2:1: malformed CSV: a quoted field is never closed; hint: check for a quote (") that is opened but never closed',
)
_expect(
    "wrong_field_count",
    "data/tiny-2020/intents.csv:2:5: the row has 4 fields; the header has 5; hint: a comma inside a value needs the value in double quotes",
)
_expect(
    "invalid_iso_code",
    "data/countries.csv:6:1: 'ZZZ' is not an ISO 3166-1 alpha-3 country code (row ZZZ); hint: for example KOR, PRK, USA",
)
_expect(
    "missing_value_without_basis",
    "data/tiny-2020/indicators.csv:4:3: value is empty but basis is 'published' (row JPN, units); hint: an unknown value needs basis 'missing'",
)
_expect(
    "value_with_missing_basis",
    "data/tiny-2020/indicators.csv:4:4: basis is 'missing' but a value is given (row JPN, units); hint: empty the value, or give its basis",
)
_expect(
    "javascript_url",
    "data/sources.csv:2:4: 'javascript:alert(1)' is not an http(s) address (row tiny-source); hint: only http:// and https:// links are allowed",
)
_expect(
    "unknown_source",
    "data/tiny-2022/objectives.csv:8:6: unknown source 'tiny-sauce' (row USA, defense); hint: add it to data/sources.csv",
)
_expect("toml_syntax_error", "indices/tiny-2022.toml:24:10: TOML syntax error: Invalid value")
_expect(
    "toml_unknown_key",
    "indices/tiny-2022.toml:13:1: unknown key 'normalization' in [method]; hint: did you mean 'normalisation'?",
)
_expect(
    "negative_weight",
    "indices/tiny-2020.toml:28:40: 'weight' is -2; it must be at least 0.001 and at most 1000",
)
_expect("missing_weight", "indices/tiny-2022.toml:26:1: missing key 'weight' in [objectives.destructive]")
_expect(
    "posture_unknown_objective",
    "indices/tiny-2022.toml:15:1: posture group 'offense' names unknown objective 'financial'; hint: objectives of this edition: defense, destructive",
)
_expect(
    "bad_direction",
    "indices/tiny-2020.toml:36:11: 'direction' is 'upward'; expected one of: positive, negative",
)
_expect(
    "edition_without_definition",
    "data/tiny-2024/objectives.csv:1:1: edition folder 'tiny-2024' has no definition indices/tiny-2024.toml; hint: add the definition, or remove the folder",
)
_expect(
    "definition_without_data",
    "indices/tiny-2024.toml:1:1: edition 'tiny-2024' has no data folder data/tiny-2024/; hint: create it, or remove the definition",
)


_expect(
    "duplicate_column",
    "data/tiny-2020/intents.csv:1:1: missing column 'basis'; hint: expected columns: iso3, objective, intent, basis, source",
    "data/tiny-2020/intents.csv:1:4: column 'intent' appears twice",
)
_expect(
    "infinite_value",
    "data/tiny-2020/indicators.csv:11:3: value 'inf' is not a number (row USA, firms); hint: write digits with a '.' for decimals, or leave it empty with basis 'missing'",
)
_expect(
    "intent_negative",
    "data/tiny-2022/objectives.csv:6:4: intent -0.2 is outside 0–1 (row PRK, defense); hint: intents are shares from 0 to 1",
)
_expect(
    "capability_not_number",
    "data/tiny-2022/objectives.csv:9:3: capability 'high' is not a number (row USA, destructive); hint: capabilities are on 0–100",
)
_expect(
    "bad_basis",
    "data/tiny-2020/intents.csv:4:4: basis 'guessed' is not one of published, assessed, estimated, missing (row KOR, defense)",
)
_expect(
    "toml_unknown_table",
    "indices/tiny-2022.toml:31:1: unknown key 'extras' in [top level]; hint: allowed keys: edition, indicators, method, objectives, posture, published_method, uncertainty",
)
_expect("toml_duplicate_key", "indices/tiny-2020.toml:5:12: TOML syntax error: Cannot overwrite a value")
_expect(
    "posture_group_in_both",
    "indices/tiny-2022.toml:16:1: 'destructive' cannot be in both posture groups, offense and defense",
)
_expect(
    "goalposts_reversed",
    "indices/tiny-2020.toml:27:47: goalposts [10, 0]: the first must be below the second",
    "indices/tiny-2020.toml:28:1: normalisation 'goalposts' needs goalposts = [low, high] here",
    "indices/tiny-2020.toml:36:1: normalisation 'goalposts' needs goalposts = [low, high] here",
    "indices/tiny-2020.toml:37:1: normalisation 'goalposts' needs goalposts = [low, high] here",
)
_expect(
    "zero_weight", "indices/tiny-2022.toml:24:1: 'weight' is 0; it must be at least 0.001 and at most 1000"
)
_expect(
    "edition_id_mismatch",
    "indices/tiny-2022.toml:2:1: edition id 'tiny-2021' differs from the file name 'tiny-2022'",
)
_expect(
    "bad_source_id",
    "data/sources.csv:3:1: 'Bad Id' is not a valid id (row Bad Id); hint: use lower case letters, digits and hyphens",
)
_expect(
    "notes_unknown_country",
    "data/notes.csv:3:1: unknown country 'XKX' (row XKX, tiny-2022, A note on Kosovo.); hint: use the ISO 3166-1 alpha-3 code of a country listed in data/countries.csv",
)
_expect(
    "tab_separated",
    "data/notes.csv:1:5: the file is separated by tabs, not ','; hint: save it as comma-separated CSV (in a spreadsheet: CSV UTF-8, comma)",
)
_expect(
    "fact_without_objective",
    "data/tiny-2022/facts.csv:2:1: an objective_rank fact needs an objective (row objective_rank, PRK)",
)
_expect(
    "facts_of_another_edition",
    "data/tiny-2022/facts.csv:2:8: this facts.csv belongs to tiny-2020, not tiny-2022 (all 8 rows name "
    "tiny-2020); hint: remove it, or replace its rows with figures published for tiny-2022",
)
_expect(
    "facts_partly_of_another_edition",
    "data/tiny-2022/facts.csv:3:8: 2 rows of this facts.csv belong to tiny-2020, not tiny-2022; "
    "hint: move them to data/tiny-2020/facts.csv, or remove them",
)
_expect(
    "empty_header_column",
    "data/tiny-2020/intents.csv:1:6: a column has no name; hint: remove the trailing comma, or name the column",
)

_expect(
    "csv_in_subfolder",
    "data/tiny-2020/old/intents.csv:1:1: unexpected folder old/ in the edition folder: its CSVs are not read; "
    "hint: move the edition's CSVs up into data/tiny-2020/, or the authors' original files into data/tiny-2020/raw/",
)


_expect(
    "posture_group_empty",
    "indices/tiny-2022.toml:15:1: posture group 'offense' is empty; hint: name at least one objective",
)


_expect(
    "uncertainty_unknown_key",
    "indices/tiny-2022.toml:35:1: unknown key 'draw' in [uncertainty]; hint: did you mean 'draws'?",
)
_expect(
    "uncertainty_normalisations_objective_level",
    'indices/tiny-2022.toml:34:1: an edition with data_level = "objectives" has nothing to normalise; '
    "hint: capability is given per objective; remove 'normalisations'",
)
_expect(
    "method_settings_objective_level",
    "indices/tiny-2022.toml:9:1: tiny-2022 gives capabilities per objective, not indicator values "
    '(data_level = "objectives"), so normalisation does not apply; hint: remove the line',
    "indices/tiny-2022.toml:10:1: tiny-2022 gives capabilities per objective, not indicator values "
    '(data_level = "objectives"), so aggregation (indicators → capability) does not apply; hint: remove the line',
)
_expect(
    "nothing_ranked",
    "indices/tiny-2020.toml:12:1: no country of tiny-2020 can be ranked (Japan: capability data for 1 of 3 "
    "indicators (33%); ranking needs at least 60%); hint: add capability and intent data, or lower "
    "min_capability_share",
)


# the analyst's loop: each message leads to the fix, and one mistake is one problem
_expect(
    "countries_windows_1252",
    "data/countries.csv:6:6: the file is not UTF-8 (byte 0xF4, 'ô' in Windows-1252, cannot be decoded); "
    "hint: save it as UTF-8; it may be Latin-1 or Windows-1252",
    "data/countries.csv:6:6: … and 37 more problems caused by the line above, in data/notes.csv (1), "
    "data/tiny-2020/facts.csv (8), data/tiny-2020/indicators.csv (12) and 2 more files; "
    "hint: fix the line above; these go with it",
)
_expect(
    "country_missing",
    "data/tiny-2020/facts.csv:4:2: unknown country 'KOR' (row overall_rank, KOR); "
    "hint: add KOR (Korea, Republic of) to data/countries.csv, or check the code",
    "data/tiny-2020/facts.csv:4:2: … and 10 more problems caused by the line above, in "
    "data/tiny-2020/facts.csv (3), data/tiny-2020/indicators.csv (3), data/tiny-2020/intents.csv (2) "
    "and 1 more file; hint: fix the line above; these go with it",
)
_expect(
    "country_row_unread",
    "data/countries.csv:3:5: the row has 5 fields; the header has 4; "
    "hint: a comma inside a value needs the value in double quotes",
    "data/countries.csv:3:5: … and 11 more problems caused by the line above, in data/tiny-2020/facts.csv (4), "
    "data/tiny-2020/indicators.csv (3), data/tiny-2020/intents.csv (2) and 1 more file; "
    "hint: fix the line above; these go with it",
)
_expect(
    "country_code_lower_case",
    "data/notes.csv:2:1: unknown country 'kor' (row kor, tiny-2022, A note on North Korea.); "
    "hint: did you mean KOR (Republic of Korea)?",
)
_expect(
    "country_alias",
    "data/notes.csv:2:1: unknown country 'Korea, Rep.' (row Korea, Rep., tiny-2022, A note on North Korea.); "
    "hint: did you mean KOR (Republic of Korea)?",
)
_expect(
    "decimal_comma_quoted",
    "data/tiny-2020/intents.csv:2:3: intent '0,6843' is not a number: it has a decimal comma (row JPN, defense); "
    "hint: use '.' for decimals: 0.6843 (a number has no thousands separator)",
)
_expect(
    "decimal_comma_unquoted",
    "data/tiny-2020/intents.csv:2:3: 0,6843 in column intent looks like a decimal comma (the row has 6 fields; "
    "the header has 5); hint: write 0.6843: use '.' for decimals",
)
_expect(
    "header_repeated",
    "data/tiny-2020/intents.csv:6:1: line 6 repeats the header (line 1); "
    "hint: remove it; two files pasted together keep both headers",
)
_expect(
    "spreadsheet_in_edition_folder",
    "data/tiny-2022/objectives.xlsx:1:1: objectives.xlsx is a spreadsheet (.xlsx); only CSV files are read; "
    "hint: export it as CSV UTF-8 (comma-separated) to data/tiny-2022/objectives.csv, then remove it; "
    "the authors' original sheets go in data/tiny-2022/raw/",
)
_expect(
    "spreadsheet_in_data",
    "data/Countries.ods:1:1: Countries.ods is a spreadsheet (.ods); only CSV files are read; "
    "hint: export it as CSV UTF-8 (comma-separated) to data/countries.csv, then remove it",
)
_expect(
    "utf16_with_bom",
    "data/tiny-2020/intents.csv:1:1: the file is UTF-16, not UTF-8; hint: save it as CSV UTF-8 (comma-separated)",
)
_expect(
    "utf16_without_bom",
    "data/tiny-2020/intents.csv:1:1: the file is UTF-16, not UTF-8; hint: save it as CSV UTF-8 (comma-separated)",
)


# Cases a fixture folder cannot hold (pipes, links, huge files): made in the copy by a function.
GENERATED: dict[str, tuple[Callable[[Path], None], list[str]]] = {}


def _generated(case: str, *lines: str) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    def register(make: Callable[[Path], None]) -> Callable[[Path], None]:
        GENERATED[case] = (make, list(lines))
        return make

    return register


def _replace(path: Path) -> Path:
    path.unlink()
    return path


@_generated(
    "folder_case_differs",
    "indices/tiny-2022.toml:2:1: folder TINY-2022 has no definition; indices/tiny-2022.toml has no folder: "
    "rename one to match; hint: rename data/TINY-2022/ to data/tiny-2022/",
)
def _folder_case(root: Path) -> None:
    (root / "data/tiny-2022").rename(root / "data/TINY-2022")


@_generated(
    "folder_misspelt",
    "indices/tiny-2022.toml:2:1: folder tiny_2O22 has no definition; indices/tiny-2022.toml has no folder: "
    "rename one to match; hint: rename data/tiny_2O22/ to data/tiny-2022/",
)
def _folder_misspelt(root: Path) -> None:
    (root / "data/tiny-2022").rename(root / "data/tiny_2O22")


@_generated(
    "spreadsheet_package",
    "data/tiny-2020/indicators.numbers:1:1: indicators.numbers is a spreadsheet (.numbers); only CSV files "
    "are read; hint: export it as CSV UTF-8 (comma-separated) to data/tiny-2020/indicators.csv, then remove "
    "it; the authors' original sheets go in data/tiny-2020/raw/",
)
def _numbers_package(root: Path) -> None:
    (root / "data/tiny-2020/indicators.numbers/Data").mkdir(parents=True)  # Numbers saves a folder
    (root / "data/tiny-2020/~$indicators.xlsx").write_bytes(b"lock")  # the lock file of an open sheet


@_generated(
    "spreadsheet_named_as_no_csv",
    # tiny-2022 is given per objective: the hint names only the CSVs that edition reads
    "data/tiny-2020/Sheet1.xlsx:1:1: Sheet1.xlsx is a spreadsheet (.xlsx); only CSV files are read; hint: "
    "export it as CSV UTF-8 (comma-separated) to one of indicators.csv, intents.csv, facts.csv, then "
    "remove it; the authors' original sheets go in data/tiny-2020/raw/",
    "data/tiny-2022/Sheet1.xlsx:1:1: Sheet1.xlsx is a spreadsheet (.xlsx); only CSV files are read; hint: "
    "export it as CSV UTF-8 (comma-separated) to one of objectives.csv, facts.csv, then remove it; the "
    "authors' original sheets go in data/tiny-2022/raw/",
    "data/tiny-2022/intents.xlsx:1:1: intents.xlsx is a spreadsheet (.xlsx); only CSV files are read; hint: "
    "export it as CSV UTF-8 (comma-separated) to one of objectives.csv, facts.csv, then remove it; the "
    "authors' original sheets go in data/tiny-2022/raw/",
)
def _sheets_named_as_no_csv(root: Path) -> None:
    for path in ("data/tiny-2022/Sheet1.xlsx", "data/tiny-2020/Sheet1.xlsx", "data/tiny-2022/intents.xlsx"):
        (root / path).write_bytes(b"PK")


@_generated(
    "fifo_csv",
    "data/tiny-2020/intents.csv:1:1: the path is a named pipe (FIFO), not a file; hint: put a file here",
)
def _fifo_csv(root: Path) -> None:
    os.mkfifo(_replace(root / "data/tiny-2020/intents.csv"))


@_generated(
    "fifo_toml",
    "indices/tiny-2022.toml:1:1: the path is a named pipe (FIFO), not a file; hint: put a file here",
)
def _fifo_toml(root: Path) -> None:
    os.mkfifo(_replace(root / "indices/tiny-2022.toml"))


@_generated(
    "link_to_dev_zero",
    "data/notes.csv:1:1: the file is a link to /dev/zero, outside the project folder; hint: copy the "
    "file into the project; links may only point inside it",
)
def _dev_zero(root: Path) -> None:
    _replace(root / "data/notes.csv").symlink_to("/dev/zero")


@_generated(
    "link_outside_project",
    "indices/tiny-2022.toml:1:1: the file is a link to {outside}, outside the project folder; hint: "
    "copy the file into the project; links may only point inside it",
)
def _outside(root: Path) -> None:
    outside = root.parent / "outside.toml"
    outside.write_bytes((root / "indices/tiny-2022.toml").read_bytes())
    _replace(root / "indices/tiny-2022.toml").symlink_to(outside)


@_generated(
    "toml_is_a_folder",
    "indices/tiny-2022.toml:1:1: the path is a folder, not a file; hint: put a file here",
)
def _toml_folder(root: Path) -> None:
    _replace(root / "indices/tiny-2022.toml").mkdir()


@_generated(
    "toml_broken_link",
    "indices/tiny-2030.toml:1:1: the file is a broken link (to nowhere.toml); hint: fix or remove the link",
)
def _toml_broken_link(root: Path) -> None:
    (root / "indices/tiny-2030.toml").symlink_to("nowhere.toml")


@_generated(
    "csv_broken_link",
    "data/notes.csv:1:1: the file is a broken link (to gone.csv); hint: fix or remove the link",
)
def _csv_broken_link(root: Path) -> None:
    _replace(root / "data/notes.csv").symlink_to("gone.csv")


@_generated(
    "csv_too_large",
    "data/tiny-2020/indicators.csv:1:1: the file is 20.0 MiB; at most 20 MiB is read; hint: split it, "
    "or remove what the scores do not use",
)
def _csv_too_large(root: Path) -> None:
    os.truncate(root / "data/tiny-2020/indicators.csv", 20 * 1024 * 1024 + 1)  # sparse: nothing written


@_generated(
    "toml_too_large",
    "indices/tiny-2020.toml:1:1: the file is 1.5 MiB; at most 1 MiB is read; hint: split it, "
    "or remove what the scores do not use",
)
def _toml_too_large(root: Path) -> None:
    os.truncate(root / "indices/tiny-2020.toml", 3 * 512 * 1024)


@_generated(
    "toml_nested_too_deep",
    "indices/tiny-2020.toml:44:15: values are nested more than 10 deep; hint: an index definition needs "
    "tables of values, not lists inside lists",
)
def _toml_deep(root: Path) -> None:
    with (root / "indices/tiny-2020.toml").open("a") as file:
        file.write('a = "[[[" # [[[[[\nb = ' + "[" * 5000 + "]" * 5000 + "\n")


def test_outside_the_project_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for command in (["validate"], ["build"], ["score", "ncpi-2022"]):
        assert main(command) == 2
        assert capsys.readouterr().err == (
            f"cyberpower: no data/ folder in {tmp_path}: run from the project root, or pass --data DIR\n"
        )
    assert main(["validate", "--data", "elsewhere/data"]) == 2
    assert capsys.readouterr().err == "cyberpower: no folder elsewhere/data (given as --data)\n"


def test_a_decimal_comma_is_placed_where_it_makes_a_valid_row(tiny_copy: Path) -> None:
    """`70,0,6` could be 70,0 (capability 70.0, intent 6) or 0,6 (intent 0.6): only the second is valid."""
    path = tiny_copy / "data/tiny-2022/objectives.csv"
    path.write_text(path.read_text().replace("JPN,defense,70,0.6,", "JPN,defense,70,0,6,"))
    assert [str(p) for p in validate(Path("data"), Path("indices"))] == [
        "data/tiny-2022/objectives.csv:2:4: 0,6 in column intent looks like a decimal comma (the row has 7 "
        "fields; the header has 6); hint: write 0.6: use '.' for decimals"
    ]


def test_a_problem_with_a_whole_file_points_at_column_1(tiny_copy: Path) -> None:
    """Columns are 1-based; a problem with no column of its own (a definition's) shows column 1, not 0."""
    assert str(Problem("indices/x.toml", 0, 0, "m")) == "indices/x.toml:1:1: m"


def test_consequences_are_counted_under_their_cause() -> None:
    root = Problem("data/z.csv", 3, 2, "unreadable")
    follow = [Problem(f"data/a{i}.csv", i, 1, "unknown", cause="data/z.csv:3:2") for i in range(1, 5)]
    peers = [Problem("data/b.csv", line, 1, "unknown country 'X'", cause="X") for line in (7, 5)]
    assert [str(p) for p in ProjectError([*follow, *peers, root]).problems] == [
        "data/z.csv:3:2: unreadable",  # the cause first, though its file sorts last
        "data/z.csv:3:2: … and 4 more problems caused by the line above, in data/a1.csv (1), data/a2.csv (1), "
        "data/a3.csv (1) and 1 more file; hint: fix the line above; these go with it",
        "data/b.csv:5:1: unknown country 'X'",  # two of a kind stay two lines: a count would save none
        "data/b.csv:7:1: unknown country 'X'",
    ]
    assert len(ProjectError([*follow, root]).every_problem) == 5


def test_links_inside_the_project_are_followed(tiny_copy: Path) -> None:
    shutil.move(tiny_copy / "data/notes.csv", tiny_copy / "notes.csv")
    (tiny_copy / "data/notes.csv").symlink_to("../notes.csv")
    (tiny_copy / "data/tiny-2022").rename(tiny_copy / "kept-2022")
    (tiny_copy / "data/tiny-2022").symlink_to("../kept-2022", target_is_directory=True)
    assert validate(Path("data"), Path("indices")) == []


@pytest.mark.parametrize("case", sorted(GENERATED))
def test_generated_cases(case: str, tiny_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make, expected = GENERATED[case]
    make(tiny_copy)
    expected = [line.format(outside=os.path.realpath(tiny_copy.parent / "outside.toml")) for line in expected]
    started = time.monotonic()
    assert [str(p) for p in validate(Path("data"), Path("indices"))] == expected
    assert main(["validate"]) == 2
    assert capsys.readouterr().err.splitlines()[:-1] == expected
    assert time.monotonic() - started < 5


# text fields: one line, no control or invisible characters, a length the site can show
_expect(
    "control_in_name",
    "data/countries.csv:2:2: name contains a form feed (U+000C) (row JPN); hint: remove it; text may hold no control characters",
)
_expect(
    "escape_in_region",
    "data/countries.csv:5:4: region contains an escape (U+001B) (row USA); hint: remove it; text may hold no control characters",
)
_expect(
    "bidi_in_source_title",
    "data/sources.csv:2:2: title contains an invisible direction or line control (U+202E) (row tiny-source); hint: remove it; it changes how the text around it is shown",
)
_expect(
    "zero_width_in_short_name",
    "data/countries.csv:3:3: short_name contains an invisible zero-width character (U+200B) (row KOR); hint: remove it; text must read as it looks",
)
_expect(
    "line_break_in_note",
    "data/notes.csv:2:3: note holds a line break (row PRK, tiny-2022, A note\\non North Korea.); hint: write it on one line",
)
_expect(
    "name_too_long",
    "data/countries.csv:2:2: name is 107 characters long; at most 100 (row JPN); hint: shorten it",
)
# aliases (countries.csv): text like any name, each one naming one country only
_expect(
    "alias_names_another_country",
    "data/countries.csv:3:5: alias 'north korea' of KOR is the name of PRK at line 4; hint: remove it; a search for it must find one country",
    "data/countries.csv:4:5: alias 'Kor' of PRK is the code of KOR at line 3; hint: remove it; a search for it must find one country",
)
_expect(
    "alias_shared",
    "data/countries.csv:2:5: alias 'NIPPON' of JPN is given twice; hint: keep one",
    "data/countries.csv:4:5: alias 'Korea' of PRK is an alias of KOR at line 3; hint: remove it; a search for it must find one country",
    "data/countries.csv:5:5: aliases 'US;; America' of USA has an empty alias; hint: separate aliases by a single ';', with none at the start or end",
)
_expect(
    "alias_not_text",
    "data/countries.csv:2:5: aliases contains an invisible zero-width character (U+200B) (row JPN); hint: remove it; text must read as it looks",
    "data/countries.csv:3:5: alias is 62 characters long; at most 60 ('The Republic of Korea also called South…' of KOR); hint: shorten it",
)
_expect(
    "bad_date",
    "data/sources.csv:2:5: date '2020-13' is not a date (row tiny-source); hint: write YYYY, YYYY-MM or YYYY-MM-DD, such as 2022-09",
)
_expect(
    "toml_escape_in_title",
    "indices/tiny-2022.toml:3:1: 'title' contains an escape (U+001B); hint: remove it; text may hold no control characters",
)
_expect(
    "toml_line_break_in_name",
    "indices/tiny-2020.toml:22:1: 'name' holds a line break; hint: write it on one line",
)
_expect(
    "toml_zero_width_in_unit",
    "indices/tiny-2020.toml:41:41: 'unit' contains an invisible zero-width character (U+2060); hint: remove it; text must read as it looks",
)
_expect(
    "toml_description_too_long",
    "indices/tiny-2022.toml:28:1: 'description' is 1080 characters long; at most 1000; hint: shorten it",
)
_expect(
    "toml_empty_name",
    "indices/tiny-2022.toml:27:1: 'name' is empty; hint: write the text the site shows",
)


# duplicates and ranges
_expect(
    "duplicate_country_name",
    "data/countries.csv:5:2: name 'JAPAN' of USA is also the name of JPN at line 2; hint: give each country its own name; the site tells countries apart by it",
)
_expect(
    "duplicate_objective_name",
    "indices/tiny-2022.toml:27:1: objective 'destructive' has the name 'Defense', as objective 'defense' at line 22; hint: give each objective its own name; the site tells them apart by it",
)
_expect(
    "tiny_weight",
    "indices/tiny-2022.toml:24:1: 'weight' is 4.94066e-324; it must be at least 0.001 and at most 1000",
)
_expect(
    "ipv6_url",
    "data/sources.csv:2:4: 'http://[host' is not a valid address (Invalid IPv6 URL) (row tiny-source); hint: only http:// and https:// links are allowed",
)
_expect(
    "url_without_host",
    "data/sources.csv:2:4: 'https://:443/tiny' has no host (row tiny-source); hint: write the whole address, such as https://example.org/",
)


# TOML shapes: a value of the wrong type is a located problem (see also tests/test_definition.py)
_expect(
    "toml_objective_not_a_table",
    "indices/tiny-2020.toml:31:1: 'objectives.destructive' must be a table, not text",
    "indices/tiny-2020.toml:36:1: indicator 'units' is in the catalogue but no objective uses it",
)
_expect(
    "toml_wrong_types",
    "indices/tiny-2022.toml:5:1: 'summary' must be text, not a list",
    "indices/tiny-2022.toml:10:1: 'overall' must be text, not a list",
    "indices/tiny-2022.toml:25:1: 'weight' must be a number, not text",
)


def test_every_broken_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in (FIXTURES / "broken").iterdir()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 40


def _lay_over(case: str, target: Path) -> None:
    shutil.copytree(FIXTURES / "broken" / case, target, dirs_exist_ok=True)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_broken_fixture_messages(case: str, tiny_copy: Path) -> None:
    _lay_over(case, tiny_copy)
    problems = validate(Path("data"), Path("indices"))
    assert [str(p) for p in problems] == EXPECTED[case]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_cli_exit_code_and_no_traceback(
    case: str, tiny_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _lay_over(case, tiny_copy)
    assert main(["validate"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[:-1] == EXPECTED[case]
    # the last line counts every problem, those a line counts for the line above it included
    counted = [re.search(r"… and (\d+) more problems? caused by", line) for line in EXPECTED[case]]
    total = len(EXPECTED[case]) + sum(int(m[1]) - 1 for m in counted if m)
    shown = f", in {len(EXPECTED[case])} lines" if total != len(EXPECTED[case]) else ""
    assert lines[-1] == f"cyberpower: {total} problem{'s' if total > 1 else ''} found{shown}"
    assert "Traceback" not in captured.err and "Error:" not in captured.err


def test_valid_tiny_project(tiny_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert (
        capsys.readouterr().out == "ok: 2 editions valid: tiny-2020 (4 countries), tiny-2022 (4 countries); "
        "published figures: tiny-2020 8 of 8 reproduced\n"
    )


def test_shipped_data_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import ROOT

    assert main(["validate", "--data", str(ROOT / "data"), "--indices", str(ROOT / "indices")]) == 0
    assert (
        capsys.readouterr().out
        == "ok: 2 editions valid: ncpi-2020 (30 countries), ncpi-2022 (30 countries); "
        "published figures: ncpi-2020 522 of 522 reproduced, ncpi-2022 40 of 40 reproduced\n"
    )


def test_raw_folder_is_never_read(tiny_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The authors' files in raw/ keep their own names and columns, even names the loader reads one
    level up, and a file of any kind: none of them is read, checked or mistaken for the edition's."""
    raw = tiny_copy / "data" / "tiny-2020" / "raw"
    (raw / "deeper").mkdir(parents=True)
    (raw / "indicators.csv").write_text("country,firms\nJapan,seven\n", "utf-8")
    (raw / "CPI_scores.csv").write_text('"",country,score\n1,Japan,NA\n', "utf-8")
    (raw / "deeper" / "facts.csv").write_text("not,a;fact\n", "utf-8")
    (raw / "README.txt").write_bytes(b"\xff\xfe binary")
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.startswith("ok: 2 editions valid")


@pytest.mark.parametrize("variant", ["crlf", "bom", "trailing_space", "quoted"])
def test_accepted_variants(variant: str, tiny_copy: Path) -> None:
    path = tiny_copy / "data" / "tiny-2020" / "intents.csv"
    text = path.read_text("utf-8")
    if variant == "crlf":
        path.write_bytes(text.replace("\n", "\r\n").encode())
    elif variant == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    elif variant == "trailing_space":
        path.write_text(text.replace(",tiny-source\n", ",tiny-source  \n"))
    else:
        path.write_text(text.replace("JPN,defense,0.6,", '"JPN","defense","0.6",'))
    assert validate(Path("data"), Path("indices")) == []


def test_validate_never_writes(tiny_copy: Path) -> None:
    _lay_over("intent_out_of_range", tiny_copy)
    before = {p: p.stat().st_mtime_ns for p in tiny_copy.rglob("*")}
    validate(Path("data"), Path("indices"))
    assert {p: p.stat().st_mtime_ns for p in tiny_copy.rglob("*")} == before


def test_text_that_may_stand(tiny_copy: Path) -> None:
    """A summary may hold line breaks; prose keeps the joiners Persian or emoji need; names any script."""
    toml = tiny_copy / "indices/tiny-2022.toml"
    toml.write_text(
        toml.read_text().replace(
            'title = "Tiny index 2022"', 'title = "작은 지수 2022"\nsummary = """Two lines,\nof summary."""'
        )
    )
    notes = tiny_copy / "data/notes.csv"
    notes.write_text(notes.read_text().replace("A note on North Korea.", "می\u200cخواهم 👩\u200d💻"))
    countries = tiny_copy / "data/countries.csv"
    countries.write_text(countries.read_text().replace("JPN,Japan,Japan", "JPN,日本 (Nippon),Japan"))
    assert validate(Path("data"), Path("indices")) == []


def test_facts_copied_with_a_folder_are_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Starting ncpi-2024 from a copy of ncpi-2022 brings 2022's facts.csv along: an error naming the
    edition they belong to, not a check of 2022's figures against 2024's results."""
    root = FIXTURES.parent.parent
    data, indices = tmp_path / "data", tmp_path / "indices"
    shutil.copytree(root / "data", data, ignore=shutil.ignore_patterns("raw"))
    shutil.copytree(root / "indices", indices)
    shutil.copytree(data / "ncpi-2022", data / "ncpi-2024")
    definition = (indices / "ncpi-2022.toml").read_text("utf-8")
    definition = definition.replace('id = "ncpi-2022"', 'id = "ncpi-2024"').replace(
        "year = 2022", "year = 2024"
    )
    (indices / "ncpi-2024.toml").write_text(definition, "utf-8")
    code = main(["validate", "--data", str(data), "--indices", str(indices)])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err[0].endswith(
        "data/ncpi-2024/facts.csv:2:8: this facts.csv belongs to ncpi-2022, not ncpi-2024 (all 40 rows name "
        "ncpi-2022); hint: remove it, or replace its rows with figures published for ncpi-2024"
    )
    assert err[1:] == ["cyberpower: 1 problem found"]


def test_shipped_objective_level_edition_refuses_indicator_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ncpi-2022 gives capabilities per objective: a normalisation written into its definition is an
    error at its line, not a setting accepted and ignored."""
    root = FIXTURES.parent.parent
    shutil.copytree(root / "indices", tmp_path / "indices")
    path = tmp_path / "indices" / "ncpi-2022.toml"
    lines = path.read_text("utf-8").splitlines()
    at = lines.index("[method]") + 1
    path.write_text("\n".join([*lines[:at], 'normalisation = "zscore"', *lines[at:]]) + "\n", "utf-8")
    code = main(["validate", "--data", str(root / "data"), "--indices", str(tmp_path / "indices")])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err[0].endswith(
        f"indices/ncpi-2022.toml:{at + 1}:1: ncpi-2022 gives capabilities per objective, not indicator "
        'values (data_level = "objectives"), so normalisation does not apply; hint: remove the line'
    )
    assert err[1:] == ["cyberpower: 1 problem found"]


def test_aliases_load_as_tuples_and_the_column_may_be_left_out(tiny_copy: Path) -> None:
    """Aliases are a tuple per country (empty when the cell is, or when the file has no such column);
    a country may repeat its own code, name or short name as an alias."""
    assert "aliases" not in (tiny_copy / "data/countries.csv").read_text().splitlines()[0]
    assert set(load_project(Path("data"), Path("indices")).countries["aliases"]) == {()}
    (tiny_copy / "data/countries.csv").write_text(
        "iso3,name,short_name,region,aliases\n"
        "JPN,Japan,Japan,Asia,\n"
        "KOR,Republic of Korea,South Korea,Asia, ROK ;South Korea\n"
        "PRK,North Korea,North Korea,Asia,DPRK; Democratic People's Republic of Korea\n"
        "USA,United States,US,Americas,US; usa; America\n"
    )
    countries = load_project(Path("data"), Path("indices")).countries
    assert countries.loc["KOR", "aliases"] == ("ROK", "South Korea")
    assert countries.loc["PRK", "aliases"] == ("DPRK", "Democratic People's Republic of Korea")
    assert countries.loc["USA", "aliases"] == ("US", "usa", "America")
    assert countries.loc["JPN", "aliases"] == ()


def test_an_alias_from_countries_csv_leads_to_its_code(tiny_copy: Path) -> None:
    """An unknown code that is one of a country's aliases (countries.csv, not the built-in table) gets
    that country as its hint."""
    countries = tiny_copy / "data/countries.csv"
    rows = countries.read_text().splitlines()
    countries.write_text(
        "\n".join(
            [rows[0] + ",aliases", *(r + (",Nippon Koku" if r.startswith("JPN") else ",") for r in rows[1:])]
        )
        + "\n"
    )
    objectives = tiny_copy / "data/tiny-2022/objectives.csv"
    objectives.write_text(objectives.read_text().replace("\nJPN,defense,", "\nnippon koku,defense,", 1))
    found = [str(p) for p in validate(Path("data"), Path("indices"))]
    assert found[0] == (
        "data/tiny-2022/objectives.csv:2:1: unknown country 'nippon koku' (row nippon koku, defense); "
        "hint: did you mean JPN (Japan)?"
    ), found
