"""Invariants of the GitHub Pages workflow (.github/workflows/site.yml), checked offline.

GitHub Actions cannot run here, so these tests hold the workflow to what the issue asks for: least
privilege, actions pinned to commit SHAs, no credentials or caches on the way to Pages, the tested
build being the one that is deployed, and deployment only from pushes to main.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "site.yml"

# owner/repo, an optional path inside it, then a full 40-hex commit SHA (never a tag or a branch).
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@\s]+)?@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
VERSION_COMMENT = re.compile(r"#\s*v\d+(\.\d+)*\b")

EXPECTED_PERMISSIONS = {
    "build": {"contents": "read"},
    "deploy": {"pages": "write", "id-token": "write"},
}
PUSH_TO_MAIN = ("github.ref == 'refs/heads/main'", "github.event_name == 'push'")


@pytest.fixture(scope="module")
def text() -> str:
    assert WORKFLOW.is_file(), f"{WORKFLOW} is missing"
    return WORKFLOW.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def workflow(text: str) -> dict[Any, Any]:
    loaded = yaml.safe_load(text)
    assert isinstance(loaded, dict), f"{WORKFLOW.name} is not a YAML mapping"
    return loaded


@pytest.fixture(scope="module")
def jobs(workflow: dict[Any, Any]) -> dict[str, dict[str, Any]]:
    jobs = workflow.get("jobs")
    assert isinstance(jobs, dict) and jobs, "the workflow has no jobs"
    return jobs


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps") or [])


def all_steps(jobs: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, step) for name, job in jobs.items() for step in steps(job)]


def steps_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in steps(job) if str(step.get("uses", "")).startswith(f"{action}@")]


def normalised(expression: object) -> str:
    """An `if:` condition without its ${{ }} wrapper and with single spaces."""
    text = " ".join(str(expression).split())
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2].strip()
    return text


def only_on_push_to_main(condition: object) -> bool:
    text = normalised(condition)
    return all(part in text for part in PUSH_TO_MAIN) and "||" not in text and "!" not in text


def test_triggers_are_pull_requests_pushes_to_main_and_manual(workflow: dict[Any, Any]) -> None:
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
    triggers = workflow.get("on", workflow.get(True))
    assert isinstance(triggers, dict), f"`on:` should be a mapping of triggers, got {triggers!r}"
    assert "pull_request" in triggers, "the workflow does not run on pull requests"
    assert "workflow_dispatch" in triggers, "the workflow cannot be run by hand (no workflow_dispatch)"
    push = triggers.get("push")
    assert isinstance(push, dict), f"`on.push` should restrict the branches, got {push!r}"
    assert "main" in (push.get("branches") or []), f"`on.push.branches` does not include main: {push!r}"


def test_the_token_has_no_permissions_by_default(workflow: dict[Any, Any]) -> None:
    assert "permissions" in workflow, "top-level `permissions: {}` is missing (the token would get defaults)"
    assert workflow["permissions"] == {}, (
        f"top-level permissions should be {{}}, got {workflow['permissions']!r}"
    )


def test_each_job_has_exactly_the_permissions_it_needs(jobs: dict[str, dict[str, Any]]) -> None:
    assert set(jobs) == set(EXPECTED_PERMISSIONS), (
        f"jobs are {sorted(jobs)}, expected {sorted(EXPECTED_PERMISSIONS)}; "
        "give a new job its permissions here"
    )
    for name, expected in EXPECTED_PERMISSIONS.items():
        actual = jobs[name].get("permissions")
        assert actual == expected, f"job {name!r} has permissions {actual!r}, expected exactly {expected!r}"


def test_every_action_is_pinned_to_a_commit_sha(jobs: dict[str, dict[str, Any]]) -> None:
    refs = [str(step["uses"]) for _, step in all_steps(jobs) if "uses" in step]
    refs += [str(job["uses"]) for job in jobs.values() if "uses" in job]
    assert refs, "no step uses an action"
    unpinned = [ref for ref in refs if not PINNED.match(ref)]
    assert not unpinned, f"not pinned to a full 40-hex commit SHA (owner/repo@<sha>): {unpinned}"


def test_every_pin_names_its_version_in_a_comment(text: str, jobs: dict[str, dict[str, Any]]) -> None:
    lines = [(number, USES_LINE.match(line)) for number, line in enumerate(text.splitlines(), 1)]
    found = [(number, match) for number, match in lines if match]
    parsed = sum("uses" in step for _, step in all_steps(jobs)) + sum("uses" in job for job in jobs.values())
    assert len(found) == parsed, (
        f"found {len(found)} `uses:` lines in the text but {parsed} in the parsed workflow; "
        "write each `uses:` on its own line"
    )
    missing = [
        f"line {number}: {match['ref']}"
        for number, match in found
        if not VERSION_COMMENT.search(match["rest"])
    ]
    assert not missing, f"`uses:` without a trailing version comment such as `# v4.2.2`: {missing}"


def test_checkout_does_not_keep_credentials(jobs: dict[str, dict[str, Any]]) -> None:
    checkouts = [(name, step) for name, job in jobs.items() for step in steps_using(job, "actions/checkout")]
    assert checkouts, "no job checks out the repository with actions/checkout"
    for name, step in checkouts:
        value = (step.get("with") or {}).get("persist-credentials")
        assert value is False, (
            f"actions/checkout in job {name!r} must set `persist-credentials: false`, got {value!r}"
        )


def test_build_job_installs_tests_and_builds_in_order(jobs: dict[str, dict[str, Any]]) -> None:
    runs = [str(step.get("run", "")) for step in steps(jobs["build"])]

    def index_of(command: str) -> int:
        hits = [i for i, run in enumerate(runs) if re.search(rf"(^|\s){re.escape(command)}(\s|$)", run)]
        assert hits, f"the build job never runs `{command}`"
        return hits[0]

    check, site = index_of("make check"), index_of("make site")
    assert check < site, "the build job builds the site (`make site`) before running the tests (`make check`)"
    epoch = [i for i, run in enumerate(runs) if "SOURCE_DATE_EPOCH" in run and "git log" in run]
    assert epoch, (
        "the build job does not set SOURCE_DATE_EPOCH from the commit time (`git log -1 --format=%ct`)"
    )
    assert epoch[0] < site, "SOURCE_DATE_EPOCH is set after the site is built"


def test_build_job_runs_on_debian_for_its_chromium(jobs: dict[str, dict[str, Any]]) -> None:
    container = jobs["build"].get("container")
    image = container.get("image") if isinstance(container, dict) else container
    assert image and "bookworm" in str(image), (
        f"the build job should run in a Debian bookworm container (Debian's chromium), got {image!r}"
    )
    assert re.fullmatch(r"python:3\.11-bookworm@sha256:[0-9a-f]{64}", str(image)), (
        f"the container image should be pinned by digest, as the actions are, got {image!r}"
    )


def test_build_job_uploads_the_built_site(jobs: dict[str, dict[str, Any]]) -> None:
    build = jobs["build"]
    runs = [str(step.get("run", "")) for step in steps(build)]
    site = next((i for i, run in enumerate(runs) if "make site" in run), None)
    assert site is not None, "the build job never builds the site (`make site`)"
    for action in ("actions/upload-artifact", "actions/upload-pages-artifact"):
        uploads = steps_using(build, action)
        assert uploads, f"the build job does not use {action}"
        for step in uploads:
            path = (step.get("with") or {}).get("path")
            assert str(path).rstrip("/") == "build/site", f"{action} uploads {path!r}, expected build/site"
            assert steps(build).index(step) > site, f"{action} runs before the site is built"


def test_pages_artifact_is_only_uploaded_for_a_deployment(jobs: dict[str, dict[str, Any]]) -> None:
    for step in steps_using(jobs["build"], "actions/upload-pages-artifact"):
        condition = step.get("if")
        assert condition is None or only_on_push_to_main(condition), (
            f"upload-pages-artifact runs on {condition!r}, which is neither always nor a push to main"
        )


def test_deploy_job_deploys_the_tested_build_only_from_main(jobs: dict[str, dict[str, Any]]) -> None:
    deploy = jobs["deploy"]
    needs = deploy.get("needs")
    needs = [needs] if isinstance(needs, str) else list(needs or [])
    assert "build" in needs, f"the deploy job must `needs: build`, got {needs!r}"
    condition = deploy.get("if")
    assert condition is not None and only_on_push_to_main(condition), (
        f"the deploy job must run only on a push to main ({' && '.join(PUSH_TO_MAIN)}), got if: {condition!r}"
    )
    deployments = steps_using(deploy, "actions/deploy-pages")
    assert len(deployments) == 1, (
        f"the deploy job should have one actions/deploy-pages step, has {len(deployments)}"
    )
    assert deployments[0].get("id") == "deployment", "the actions/deploy-pages step needs `id: deployment`"
    environment = deploy.get("environment")
    assert isinstance(environment, dict), (
        f"the deploy job's environment should be a mapping, got {environment!r}"
    )
    assert environment.get("name") == "github-pages", (
        f"the deploy job's environment is {environment.get('name')!r}, expected github-pages"
    )
    assert "steps.deployment.outputs.page_url" in str(environment.get("url")), (
        f"the environment url should be the deployment's page_url, got {environment.get('url')!r}"
    )
    others = [step.get("uses") or step.get("run") for step in steps(deploy) if step not in deployments]
    assert not others, f"the deploy job should only deploy, it also runs {others!r}"


def test_deployments_are_serialised_and_never_cancelled(
    workflow: dict[Any, Any], jobs: dict[str, dict[str, Any]]
) -> None:
    concurrency = jobs["deploy"].get("concurrency", workflow.get("concurrency"))
    assert isinstance(concurrency, dict), (
        f"the deploy job needs `concurrency: {{group: pages, cancel-in-progress: false}}`, got {concurrency!r}"
    )
    assert concurrency.get("group") == "pages", (
        f"the deploy job's concurrency group is {concurrency.get('group')!r}, expected 'pages'"
    )
    assert concurrency.get("cancel-in-progress") is False, (
        "a deployment in progress must not be cancelled: set `cancel-in-progress: false`"
    )


def test_nothing_is_cached(text: str, jobs: dict[str, dict[str, Any]]) -> None:
    assert "actions/cache" not in text, "the workflow uses actions/cache; the Pages build must start clean"
    cached = [
        f"{name}: {step.get('uses') or step.get('name')}"
        for name, step in all_steps(jobs)
        if any(key == "cache" or key.startswith("cache-") for key in (step.get("with") or {}))
    ]
    assert not cached, f"steps with a `cache` input (the Pages build must start clean): {cached}"
