"""Work done in a worker process gives what the build's own process would, or is done there."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from scoring.inputs.load import load_project
from scoring.method import audit
from scoring.method.engine import run_all
from scoring.outputs import export
from scoring.publish import memo, workers

from .conftest import ROOT


def test_an_audit_computed_by_a_worker_is_the_one_computed_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    project = load_project(ROOT / "data", ROOT / "indices")
    results = run_all(project)
    edition = "ncpi-2020"
    compute = functools.partial(audit.analyse, project.editions[edition], project.countries, results[edition])
    task = workers.Task(compute)
    assert task.process is not None and task.process.pid != os.getpid()
    here, there = compute(), task.result()
    assert task.process.returncode == 0
    assert export.audit_table(there).equals(export.audit_table(here))
    # through the cache: computed by a worker once, read back from the cache after
    inputs = {"edition": edition}
    later = memo.later(tmp_path, "audit", inputs, compute)
    assert export.audit_table(later()).equals(export.audit_table(here))
    monkeypatch.setattr(workers, "Task", lambda compute: pytest.fail("no worker for a cached value"))
    assert export.audit_table(memo.later(tmp_path, "audit", inputs, compute)()).equals(
        export.audit_table(here)
    )


def _fails() -> int:
    raise SystemExit(3)


def test_a_failed_worker_leaves_the_work_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    calls = []

    def here() -> int:
        calls.append(1)
        return 7

    task = workers.Task(_fails)
    assert task.process is not None
    task.compute = here  # what this process does when the worker fails
    assert task.result() == 7 and task.process.returncode == 3 and calls == [1]


def test_a_task_never_waited_for_stops_its_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    task = workers.Task(functools.partial(sum, range(10)))
    process = task.process
    assert process is not None
    del task
    assert process.returncode is not None


def test_one_core_computes_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 1)
    task = workers.Task(functools.partial(sum, range(10)))
    assert task.process is None and task.result() == 45
