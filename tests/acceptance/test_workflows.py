"""Checks of the repository's GitHub Actions files: the composite Action and every workflow.

They are validated against check-jsonschema's vendored schemas and audited with zizmor (offline), and the
security rules the project relies on are asserted directly on the parsed YAML: no expressions inside
`run:`, third-party actions pinned to commit SHAs, minimal permissions, credential-free checkouts, and no
reference to a pull request's head in the privileged (pull_request_target / workflow_run) workflows. The
design of the bot's workflows (triggers, job conditions, permissions, concurrency groups) is pinned too.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from importlib.metadata import requires
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bot.github.queue import review_hint
from tests.support.paths import ROOT

WORKFLOW_DIR = ROOT / ".github" / "workflows"
ACTION = ROOT / "action.yml"
LEADERBOARD = WORKFLOW_DIR / "leaderboard.yml"
RELAY = WORKFLOW_DIR / "leaderboard-approval-relay.yml"
SYNC = WORKFLOW_DIR / "leaderboard-sync.yml"
CI = WORKFLOW_DIR / "ci.yml"
RELEASE = WORKFLOW_DIR / "release.yml"
WORKFLOWS = sorted([*WORKFLOW_DIR.glob("*.yml"), *WORKFLOW_DIR.glob("*.yaml")])
ALL_FILES = [*WORKFLOWS, ACTION]
# Not resolved: the venv's python is a symlink, and zizmor is installed next to the link.
ZIZMOR = Path(sys.executable).with_name("zizmor")

# The only zizmor audits that may be silenced, each with a written reason next to the ignore comment:
# dangerous-triggers (pull_request_target, issue_comment and workflow_run are what the bot is for; the jobs
# never check out or run pull request code) and self-repository (`./` loads the Action from the base checkout
# the job made; GitHub's `$/` would load the running workflow's commit, a pull request's merge commit on
# pull_request_review) and concurrency-limits (the jobs that queue an approval, and the sweep, are in no
# group on purpose: a fork's own copy of a workflow can join any group and cancel what waits there).
ALLOWED_IGNORES = {"dangerous-triggers", "self-repository", "concurrency-limits"}
PRIVILEGED_TRIGGERS = {"pull_request_target", "workflow_run"}
SHA_PIN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@\s]+)?@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"#\s*v\d+\.\d+\.\d+\s*$")
IGNORE_COMMENT = re.compile(r"zizmor:\s*ignore\[([^\]]*)\](.*)$")
BASE_REFS = {"${{ github.event.pull_request.base.ref }}", "${{ github.event.repository.default_branch }}"}
CHECKOUT = "actions/checkout@"


def rel(path: Path) -> str:
    """The path relative to the repository root, for test ids and messages."""
    return path.relative_to(ROOT).as_posix()


def load(path: Path) -> dict[str, Any]:
    """Parse a workflow or action file with ruamel.yaml's safe loader (YAML 1.2: `on` stays a string)."""
    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{rel(path)}: the top level is not a mapping"
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The workflow's `on:` as a mapping from event name to its settings (None when it has none)."""
    on = workflow["on"]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict)
    return on


def jobs(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The workflow's jobs by id."""
    result = workflow["jobs"]
    assert isinstance(result, dict)
    return result


def steps(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every step of a workflow (with its job id) or of a composite action (job id `runs`)."""
    if "runs" in doc:
        for step in doc["runs"].get("steps", []):
            yield "runs", step
        return
    for job_id, job in jobs(doc).items():
        for step in job.get("steps", []):
            yield job_id, step


def uses_values(doc: dict[str, Any]) -> Iterator[str]:
    """Every `uses:` of the file: steps, and jobs that call reusable workflows."""
    for _, step in steps(doc):
        if "uses" in step:
            yield str(step["uses"])
    if "jobs" in doc:
        for job in jobs(doc).values():
            if "uses" in job:
                yield str(job["uses"])


def is_local(uses: str) -> bool:
    """True for actions of the same repository (`./path`, GitHub's `$/path`)."""
    return uses.startswith(("./", "$/"))


def checkout_steps(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The actions/checkout steps with their job ids."""
    return [(job, step) for job, step in steps(doc) if str(step.get("uses", "")).startswith(CHECKOUT)]


def run_tool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run a command from the repository root, capturing its output as text."""
    return subprocess.run(
        [str(arg) for arg in args], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )


PRIVILEGED = [path for path in WORKFLOWS if PRIVILEGED_TRIGGERS & set(triggers(load(path)))]


def test_the_expected_files_exist() -> None:
    """The Action and the bot's, CI's and the page's workflows are all there (and so all audited below)."""
    names = {rel(path) for path in ALL_FILES}
    assert {
        "action.yml",
        ".github/workflows/leaderboard.yml",
        ".github/workflows/leaderboard-approval-relay.yml",
        ".github/workflows/leaderboard-sync.yml",
        ".github/workflows/ci.yml",
        ".github/workflows/pages.yml",
        ".github/workflows/release.yml",
    } <= names


# --- schemas -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL_FILES, ids=rel)
def test_file_matches_the_github_schema(path: Path) -> None:
    """Each file validates against check-jsonschema's vendored (offline) GitHub schema for its kind."""
    schema = "vendor.github-actions" if path == ACTION else "vendor.github-workflows"
    result = run_tool(sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    """Control: the schema check does fail on a workflow with a misspelt key."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n", encoding="utf-8")
    result = run_tool(
        sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", broken
    )
    assert result.returncode == 1, result.stdout + result.stderr


# --- zizmor --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["regular", "pedantic"])
def test_zizmor_finds_nothing(persona: str) -> None:
    """zizmor, offline, all audits: no finding in the workflows and the Action (ignores need reasons)."""
    assert ZIZMOR.is_file(), f"zizmor is not installed next to {sys.executable}"
    result = run_tool(ZIZMOR, "--offline", "--persona", persona, WORKFLOW_DIR, ACTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout, result.stdout


def test_zizmor_flags_template_injection(tmp_path: Path) -> None:
    """Control: zizmor does report an expression expanded inside `run:` on a privileged trigger."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "name: bad\non:\n  issues:\n    types: [opened]\npermissions: {}\njobs:\n  a:\n    name: a\n"
        "    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n"
        '      - run: echo "${{ github.event.issue.title }}"\n',
        encoding="utf-8",
    )
    result = run_tool(ZIZMOR, "--offline", bad)
    assert result.returncode != 0, result.stdout + result.stderr
    assert "template-injection" in result.stdout, result.stdout


@pytest.mark.parametrize("path", ALL_FILES, ids=rel)
def test_every_zizmor_ignore_has_a_reason(path: Path) -> None:
    """An inline `zizmor: ignore[...]` names an allowed audit, with a reason on its line or the line above."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        match = IGNORE_COMMENT.search(line)
        if not match:
            continue
        rules = {rule.strip() for rule in match.group(1).split(",")}
        assert rules <= ALLOWED_IGNORES, f"{rel(path)}:{number}: ignores {sorted(rules - ALLOWED_IGNORES)}"
        same_line = match.group(2).strip(" -:—#")
        previous = lines[number - 2].strip() if number > 1 else ""
        above = previous[1:].strip() if previous.startswith("#") and "zizmor:" not in previous else ""
        assert max(len(same_line.split()), len(above.split())) >= 3, (
            f"{rel(path)}:{number}: zizmor ignore without a written reason"
        )


@pytest.mark.parametrize("path", WORKFLOWS, ids=rel)
def test_each_risky_trigger_carries_its_own_ignore(path: Path) -> None:
    """One dangerous-triggers ignore covers a whole `on:` in zizmor; here each such trigger needs its own."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.match(r"^  (pull_request_target|issue_comment|workflow_run):", line):
            assert "zizmor: ignore[dangerous-triggers]" in line, f"{rel(path)}:{number}: {line.strip()}"


# --- injection, pinning, permissions, checkouts ---------------------------------------------------------


@pytest.mark.parametrize("path", ALL_FILES, ids=rel)
def test_no_expression_inside_run(path: Path) -> None:
    """No `${{ }}` in any `run:` (composite steps included): values reach scripts only through `env:`."""
    doc = load(path)
    for job_id, step in steps(doc):
        if "run" in step:
            assert "${{" not in str(step["run"]), f"{rel(path)} ({job_id}): expression in {step['run']!r}"


@pytest.mark.parametrize("path", ALL_FILES, ids=rel)
def test_third_party_actions_are_pinned_to_commit_shas(path: Path) -> None:
    """Every non-local `uses:` names a 40-hex commit SHA, with the release it is in a `# vX.Y.Z` comment."""
    doc = load(path)
    text_lines = path.read_text(encoding="utf-8").splitlines()
    for uses in uses_values(doc):
        if is_local(uses):
            continue
        if uses.startswith("docker://"):
            assert "@sha256:" in uses, f"{rel(path)}: image not pinned by digest: {uses}"
            continue
        assert SHA_PIN.match(uses), f"{rel(path)}: not pinned to a commit SHA: {uses}"
        lines = [line for line in text_lines if re.search(rf"uses:\s*{re.escape(uses)}(\s|$)", line)]
        assert lines, f"{rel(path)}: cannot find the line of {uses}"
        for line in lines:
            assert VERSION_COMMENT.search(line), f"{rel(path)}: no `# vX.Y.Z` comment on: {line.strip()}"


def test_each_action_is_pinned_to_one_commit_everywhere() -> None:
    """The same action is pinned to the same SHA and version in every file (one place to bump)."""
    pins: dict[str, set[str]] = {}
    for path in ALL_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.search(r"uses:\s*([^@\s]+)@([0-9a-f]{40})\s*#\s*(v\S+)", line)
            if match:
                pins.setdefault(match.group(1), set()).add(f"{match.group(2)} {match.group(3)}")
    assert pins, "no pinned actions found"
    assert {name: found for name, found in pins.items() if len(found) > 1} == {}


def _read_only(permissions: Any) -> bool:
    """True for `{}` or a mapping whose scopes are all `read` or `none` (or the strings read-all/none)."""
    if isinstance(permissions, str):
        return permissions in {"read-all", "none"}
    return isinstance(permissions, dict) and all(value in {"read", "none"} for value in permissions.values())


@pytest.mark.parametrize("path", WORKFLOWS, ids=rel)
def test_permissions_are_minimal_and_per_job(path: Path) -> None:
    """Top-level `permissions:` is empty (or read-only); every job declares its own scopes explicitly."""
    doc = load(path)
    assert "permissions" in doc, f"{rel(path)}: no top-level permissions"
    assert _read_only(doc["permissions"]), f"{rel(path)}: top-level permissions grant writes"
    for job_id, job in jobs(doc).items():
        assert isinstance(job.get("permissions"), dict), f"{rel(path)} ({job_id}): no per-job permissions map"
        assert set(job["permissions"].values()) <= {"read", "write", "none"}, f"{rel(path)} ({job_id})"


@pytest.mark.parametrize("path", ALL_FILES, ids=rel)
def test_checkouts_persist_no_credentials(path: Path) -> None:
    """Every checkout sets `persist-credentials: false`, so no token is left in .git/config."""
    for job_id, step in checkout_steps(load(path)):
        assert step.get("with", {}).get("persist-credentials") is False, f"{rel(path)} ({job_id})"


def test_the_privileged_workflows_are_the_bots() -> None:
    """Only the bot's two workflows and the page build run with pull_request_target / workflow_run
    (the page build republishes after bot merges, which start no push run); checked just below."""
    assert PRIVILEGED == [RELAY, LEADERBOARD, WORKFLOW_DIR / "pages.yml"]


@pytest.mark.parametrize("path", PRIVILEGED, ids=rel)
def test_privileged_workflows_never_touch_the_pull_requests_head(path: Path) -> None:
    """pull_request_target / workflow_run workflows never name the head, and check out only the base."""
    doc = load(path)
    text = path.read_text(encoding="utf-8")
    for forbidden in ("github.event.pull_request.head", "github.head_ref", "github.event.workflow_run.head"):
        assert forbidden not in text, f"{rel(path)} references {forbidden}"
    for job_id, step in checkout_steps(doc):
        with_ = step.get("with", {})
        assert "repository" not in with_, f"{rel(path)} ({job_id}): checks out another repository"
        if "ref" in with_:
            assert with_["ref"] in BASE_REFS, f"{rel(path)} ({job_id}): checks out {with_['ref']!r}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=rel)
def test_local_action_runs_after_a_checkout(path: Path) -> None:
    """A job that runs `./` checks out (the base) first, so the Action comes from that checkout."""
    for job_id, job in jobs(load(path)).items():
        seen_checkout = False
        for step in job.get("steps", []):
            uses = str(step.get("uses", ""))
            seen_checkout = seen_checkout or uses.startswith(CHECKOUT)
            if uses.startswith("./"):
                assert seen_checkout, f"{rel(path)} ({job_id}): `{uses}` before any checkout"


# --- the Action ----------------------------------------------------------------------------------------


def test_action_declares_its_inputs_and_outputs() -> None:
    """action.yml: branding, documented inputs with their defaults, outputs mapped from the bot step."""
    action = load(ACTION)
    assert action["name"]
    assert action["description"]
    assert action["branding"]["icon"]
    assert action["branding"]["color"]
    assert action["runs"]["using"] == "composite"
    defaults = {
        "github-token": "${{ github.token }}",
        "config": ".github/leaderboard-bot.yml",
        "data-dir": "data",
        "bot-login": "github-actions[bot]",
        "python-version": "3.11",
        "install-only": "false",
        "land": "false",
        "base-commit": "",
        "verified": "",
    }
    inputs = action["inputs"]
    assert set(inputs) == set(defaults)
    for name, default in defaults.items():
        assert str(inputs[name].get("description", "")).strip(), f"input {name} has no description"
        assert inputs[name].get("default") == default, f"input {name}"
    step_ids = {step.get("id") for _, step in steps(action)}
    outputs = action["outputs"]
    assert set(outputs) == {
        *("valid", "added", "changed", "removed", "pull-request", "preview"),
        *("queued", "verified", "merged", "refused"),  # the merge queue's, and what the land job did
    }
    for name, output in outputs.items():
        assert str(output.get("description", "")).strip(), f"output {name} has no description"
        match = re.fullmatch(r"\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}", str(output.get("value")))
        assert match, f"output {name}: {output.get('value')!r}"
        assert match.group(1) in step_ids
        assert match.group(2) == name


def test_action_passes_values_through_env() -> None:
    """The Action installs from its own directory and hands the inputs to the bot via `env:` only."""
    action_steps = [step for _, step in steps(load(ACTION))]
    install = next(step for step in action_steps if step.get("name") == "Install leaderboard-bot")
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert install["env"]["VENV"] == "${{ steps.venv.outputs.dir }}"
    assert install["env"]["CACHE_HIT"] == "${{ steps.venv-cache.outputs.cache-hit }}"
    assert install["run"] == 'bash "$ACTION_PATH/requirements/install.sh"'
    bot = next(step for step in action_steps if step.get("id") == "bot")
    assert 'leaderboard-bot" handle-event' in bot["run"]
    assert bot["env"] == {
        "GITHUB_TOKEN": "${{ inputs.github-token }}",
        "LEADERBOARD_CONFIG": "${{ inputs.config }}",
        "LEADERBOARD_DATA_DIR": "${{ inputs.data-dir }}",
        "LEADERBOARD_BOT_LOGIN": "${{ inputs.bot-login }}",
        "LEADERBOARD_LAND": "${{ inputs.land }}",
        "LEADERBOARD_BASE_COMMIT": "${{ inputs.base-commit }}",
        "LEADERBOARD_VERIFIED": "${{ inputs.verified }}",
    }
    for step in action_steps:
        if "run" in step:
            assert step.get("shell") == "bash"


def test_action_caches_its_environment_keyed_on_os_python_and_lock() -> None:
    """A cache hit restores the whole environment: the key names the runner OS, the exact Python and the
    hash of the Action's own locks (setup-python's cache cannot see outside the workspace, where the
    Action lives when another repository uses it)."""
    action_steps = [step for _, step in steps(load(ACTION))]
    setup = next(
        step for step in action_steps if str(step.get("uses", "")).startswith("actions/setup-python@")
    )
    assert "cache" not in setup.get("with", {})
    locate = next(step for step in action_steps if step.get("id") == "venv")
    assert '"$ACTION_PATH/requirements/action.txt" "$ACTION_PATH/requirements/uv.txt"' in locate["run"]
    cache = next(step for step in action_steps if str(step.get("uses", "")).startswith("actions/cache@"))
    key = cache["with"]["key"]
    for part in ("runner.os", "steps.python.outputs.python-version", "steps.venv.outputs.hash"):
        assert part in key
    assert "restore-keys" not in cache["with"]  # a stale environment is never reused
    assert cache["with"]["path"] == "${{ steps.venv.outputs.dir }}"


def test_the_locks_pin_every_dependency_by_hash() -> None:
    """requirements/*.txt pin exact versions with hashes (installed with --require-hashes), cover every
    runtime dependency of pyproject.toml and say how they were generated."""
    install = (ROOT / "requirements" / "install.sh").read_text()
    commands = [line for line in install.splitlines() if not line.lstrip().startswith("#")]
    assert sum("--require-hashes" in line for line in commands) == 2  # uv's bootstrap, then the bot's deps
    declared = requires("leaderboard-bot") or []
    wanted = _names(d for d in declared if "extra ==" not in d)
    dev = _names(d for d in declared if re.search(r"extra == .dev.", d))
    for name in ("action.txt", "uv.txt", "release.txt", "build.txt", "dev.txt"):
        text = (ROOT / "requirements" / name).read_text()
        assert "bash requirements/compile.sh" in text.splitlines()[1]
        blocks = re.split(r"\n(?=[a-z0-9])", text.split("\n", 2)[2].strip())
        pins = [b for b in blocks if not b.startswith("#")]
        assert pins, name
        for block in pins:
            assert re.match(r"^[a-z0-9._-]+==\S+", block), block
            assert "--hash=sha256:" in block, block
        pinned = {b.split("==", 1)[0] for b in pins}
        if name == "action.txt":
            assert wanted <= pinned, wanted - pinned
        if name == "dev.txt":  # what tests/run.sh installs: everything, and the build backend
            assert dev
            assert wanted | dev | {"setuptools"} <= pinned, (wanted | dev) - pinned
    run = (ROOT / "tests" / "run.sh").read_text()
    assert "install --require-hashes -r requirements/dev.txt" in run
    assert "install --no-deps --no-build-isolation -e ." in run


def _names(requirements: Iterable[str]) -> set[str]:
    """Normalized project names of requirement strings."""
    return {
        re.split(r"[<>=!\[ ;]", d, maxsplit=1)[0].lower().replace(".", "-").replace("_", "-")
        for d in requirements
    }


# --- the bot's workflows --------------------------------------------------------------------------------

WRITE_PR = {"pull-requests": "write", "issues": "write"}
LAND_PERMISSIONS = {"contents": "write", **WRITE_PR}
LAND_GROUP = "leaderboard-land"  # ONE group for the land jobs (see test_every_merge_is_serialized)


def test_leaderboard_triggers() -> None:
    """leaderboard.yml listens to exactly the bot's events, with no path filter on pull requests."""
    on = triggers(load(LEADERBOARD))
    assert on == {
        "pull_request_target": {"types": ["opened", "synchronize", "reopened", "edited"]},
        # labeled: an issue filed before the label existed, or labelled later; closed / unlabeled withdraw
        # the submission, reopened submits it again (bot/github/issue.py handles each)
        "issues": {"types": ["opened", "edited", "labeled", "reopened", "closed", "unlabeled"]},
        "pull_request_review": {"types": ["submitted"]},
        "issue_comment": {"types": ["created"]},
        "schedule": [{"cron": "41 */3 * * *"}],  # the sweep
        "workflow_dispatch": None,
    }


def test_leaderboard_jobs_conditions_permissions_and_concurrency() -> None:
    """Each job: its event condition, exactly the scopes it needs, and its concurrency group (None: none)."""
    found = jobs(load(LEADERBOARD))
    assert set(found) == {"validate", "issue-form", "merge", "command", "land", "sweep"}
    expected: dict[str, tuple[list[str], dict[str, str], str | None, bool]] = {
        "validate": (
            ["github.event_name == 'pull_request_target'"],
            {"contents": "read", **WRITE_PR, "checks": "write"},
            "leaderboard-pr-${{ github.event.pull_request.number }}",
            True,
        ),
        "issue-form": (
            [
                "github.event_name == 'issues'",
                "contains(github.event.issue.labels.*.name, 'leaderboard-submission')",
            ],
            {"contents": "write", **WRITE_PR},
            "leaderboard-issue-${{ github.event.issue.number }}",
            True,
        ),
        "merge": (  # queues the pull request; the land job merges
            ["github.event_name == 'pull_request_review'", "github.event.review.state == 'approved'"],
            {"contents": "read", **WRITE_PR},
            None,
            False,
        ),
        "command": (
            [
                "github.event_name == 'issue_comment'",
                "github.event.issue.pull_request",
                "startsWith(github.event.comment.body, '/leaderboard')",
            ],
            {"contents": "write", **WRITE_PR, "checks": "write"},
            None,
            False,
        ),
        "land": (
            [
                "!cancelled()",
                "needs.merge.outputs.queued == 'true'",
                "needs.command.outputs.queued == 'true'",
            ],
            LAND_PERMISSIONS,
            LAND_GROUP,
            False,
        ),
        "sweep": (
            ["github.event_name == 'schedule'", "github.event_name == 'workflow_dispatch'"],
            LAND_PERMISSIONS,
            None,
            False,
        ),
    }
    for job_id, (conditions, permissions, group, cancel) in expected.items():
        job = found[job_id]
        for condition in conditions:
            assert condition in " ".join(str(job["if"]).split()), f"{job_id}: if lacks {condition}"
        assert job["permissions"] == permissions, job_id
        if group is None:
            assert "concurrency" not in job, job_id
        else:
            assert group in job["concurrency"]["group"], job_id
            assert job["concurrency"]["cancel-in-progress"] is cancel, job_id
        assert "./" in [step.get("uses") for step in job["steps"]], f"{job_id} does not run the Action"
    # Only the check adds steps after the Action: the page preview, built from data and uploaded.
    after = [step.get("name") for step in found["validate"]["steps"]][-2:]
    assert after == ["Build the page preview", "Upload the page preview"]
    # GitHub keeps one pending run per group, and a fork's own copy of the workflow can join any group: the
    # jobs that queue an approval are in none, so no run a stranger starts can cancel them while they wait.


def test_merge_job_checks_out_the_base_branch() -> None:
    """On pull_request_review the default checkout is the PR's merge commit: the merge and land jobs ask
    for base."""
    for name in ("merge", "land"):
        job = jobs(load(LEADERBOARD))[name]
        checkout = next(step for step in job["steps"] if str(step.get("uses", "")).startswith(CHECKOUT))
        assert checkout["with"]["ref"] == "${{ github.event.pull_request.base.ref }}", name


def test_relay_follows_the_leaderboard_workflow() -> None:
    """The relay runs when a review-started "Leaderboard" run completes, with the merge job's scopes, in
    no concurrency group (GitHub would cancel all but one pending relay run, and its approval with it; and
    a fork's run can join any group)."""
    leaderboard = load(LEADERBOARD)
    relay = load(RELAY)
    assert triggers(relay) == {"workflow_run": {"workflows": [leaderboard["name"]], "types": ["completed"]}}
    assert set(jobs(relay)) == {"relay", "land"}
    job = jobs(relay)["relay"]
    assert "github.event.workflow_run.event == 'pull_request_review'" in str(job["if"])
    assert job["permissions"] == jobs(leaderboard)["merge"]["permissions"]
    assert "concurrency" not in job
    assert [step.get("uses") for step in job["steps"]][-1] == "./"
    land = jobs(relay)["land"]
    assert land["needs"] == "relay"
    assert land["if"] == "needs.relay.outputs.queued == 'true'"
    assert land["permissions"] == LAND_PERMISSIONS


def test_every_merge_is_serialized_in_one_group_and_queued_first() -> None:
    """Every job that merges runs the Action with land: 'true' on its checkout's commit. The land jobs run
    in the one group, never cancelled while they run, after the job that queued, whose output they take;
    the sweep, which lands what is left queued, is in no group (a fork's run can hold or flush any group)
    and on the default branch."""
    workflows = {"leaderboard": jobs(load(LEADERBOARD)), "relay": jobs(load(RELAY))}
    landing = []
    for name, found in workflows.items():
        for job_id, job in found.items():
            action = next(step for step in job["steps"] if step.get("uses") == "./")
            if (action.get("with") or {}).get("land") != "true":
                continue
            landing.append(f"{name}/{job_id}")
            assert action["with"]["base-commit"] == "${{ steps.checkout.outputs.commit }}"
            if job_id == "sweep":
                assert "concurrency" not in job
                assert "needs" not in job
                assert set(action["with"]) == {"land", "base-commit"}
                checkout = next(step for step in job["steps"] if step.get("id") == "checkout")
                assert "ref" not in checkout["with"]  # the default branch, on schedule and workflow_dispatch
                continue
            assert job["concurrency"] == {"group": LAND_GROUP, "cancel-in-progress": False}
            needs = [job["needs"]] if isinstance(job["needs"], str) else job["needs"]
            for need in needs:
                assert found[need]["outputs"] == {
                    "queued": "${{ steps.bot.outputs.queued }}",
                    "verified": "${{ steps.bot.outputs.verified }}",  # the permissions it checked
                }
            handed = " || ".join(f"needs.{need}.outputs.verified" for need in needs)
            assert action["with"]["verified"] == "${{ " + handed + " }}"
    assert landing == ["leaderboard/land", "leaderboard/sweep", "relay/land"]


def test_sync_runs_hourly_and_on_demand_with_the_action() -> None:
    """leaderboard-sync.yml: schedule + workflow_dispatch (an optional revision), one sync at a time,
    write scopes for the sync branch and its pull request only, the Action after a credential-free
    checkout of the default branch, and the Hub token passed through env (never into a script)."""
    workflow = load(SYNC)
    on = triggers(workflow)
    assert set(on) == {"schedule", "workflow_dispatch"}
    assert [item["cron"] for item in on["schedule"]] == ["17 * * * *"]
    assert on["workflow_dispatch"]["inputs"]["revision"]["required"] is False
    assert workflow["permissions"] == {}
    assert workflow["concurrency"] == {"group": "leaderboard-sync", "cancel-in-progress": False}
    (job,) = jobs(workflow).values()
    assert job["permissions"] == {"contents": "write", **WRITE_PR}
    assert [str(step.get("uses", "")).split("@")[0] for step in job["steps"]] == ["actions/checkout", "./"]
    assert "ref" not in job["steps"][0]["with"]
    assert job["steps"][1]["env"] == {"HF_TOKEN": "${{ secrets.HF_TOKEN }}"}
    assert not any("run" in step for step in job["steps"])


def test_ci_runs_the_readme_test_command() -> None:
    """ci.yml: push to main and pull requests, read-only, Python 3.11, `bash tests/run.sh`."""
    ci = load(CI)
    assert triggers(ci) == {"push": {"branches": ["main"]}, "pull_request": None}
    (job,) = jobs(ci).values()
    assert job["runs-on"] == "ubuntu-latest"
    assert job["permissions"] == {"contents": "read"}
    setup = next(
        step for step in job["steps"] if str(step.get("uses", "")).startswith("actions/setup-python@")
    )
    assert setup["with"]["python-version"] == "3.11"
    assert [step.get("run") for step in job["steps"] if "run" in step] == ["bash tests/run.sh"]


def test_release_runs_on_version_tags_with_minimal_permissions_per_job() -> None:
    """release.yml on vX.Y.Z tags: build reads, only publish mints an OIDC token, only the last job writes."""
    release = load(RELEASE)
    assert triggers(release) == {"push": {"tags": ["v*.*.*"]}}
    found = jobs(release)
    assert {job_id: job["permissions"] for job_id, job in found.items()} == {
        "build": {"contents": "read"},
        "publish": {"id-token": "write"},
        "github-release": {"contents": "write"},
    }
    assert found["publish"]["needs"] == "build"
    assert found["github-release"]["needs"] == ["build", "publish"]
    assert release["concurrency"]["cancel-in-progress"] is False


def test_release_builds_checks_and_uses_the_package_before_publishing() -> None:
    """The build job stamps the release, builds, runs twine check, installs the wheel into a clean venv and
    runs `--version`, validates the examples and runs `init` from outside the checkout."""
    build = "\n".join(str(step.get("run", "")) for step in jobs(load(RELEASE))["build"]["steps"])
    for command in (
        "python -m bot.adopt.release_tool stamp",
        "python -m build",
        "twine check --strict dist/*",
        "--require-hashes -r requirements/release.txt",
        "python -m build --no-isolation",
        'python" -m pip install --disable-pip-version-check --no-deps dist/*.whl',
        'cd "$RUNNER_TEMP"',
        '"$bot" --version',
        '"$bot" validate "$GITHUB_WORKSPACE/examples"',
        '"$bot" init adopted',
        "dist/*.tar.gz",
    ):
        assert command in build, command


def test_release_publishes_with_trusted_publishing_and_moves_the_major_tag() -> None:
    """publish: the pypi environment, the pinned PyPI action, no checkout (nothing of the repository runs next
    to the OIDC token) and no stored token; the release job creates the release and moves vX."""
    found = jobs(load(RELEASE))
    publish = found["publish"]
    assert publish["environment"]["name"] == "pypi"
    uses = [str(step.get("uses", "")) for step in publish["steps"]]
    assert uses[-1].startswith("pypa/gh-action-pypi-publish@")
    assert not any(use.startswith(CHECKOUT) for use in uses)
    assert not any("run" in step or "password" in step.get("with", {}) for step in publish["steps"])
    runs = "\n".join(str(step.get("run", "")) for step in found["github-release"]["steps"])
    assert 'gh release create "$GITHUB_REF_NAME" dist/*' in runs
    assert "python3 -m bot.adopt.release_tool notes" in runs
    assert 'major="${GITHUB_REF_NAME%%.*}"' in runs
    assert "git/refs/tags/$major" in runs
    # GitHub refuses GITHUB_TOKEN a ref move that changes workflow files: an environment secret may stand in.
    move = next(step for step in found["github-release"]["steps"] if step.get("name") == "Move the major tag")
    assert move["env"]["GH_TOKEN"] == "${{ secrets.RELEASE_TAG_TOKEN || github.token }}"
    assert found["github-release"]["environment"]["name"] == "release"


def test_review_runs_are_titled_as_the_relay_reads_them() -> None:
    """leaderboard.yml's run-name gives a review run the title the approval relay parses (its hint of
    which review started the run); other runs keep their pull request's or issue's title."""
    name = " ".join(str(load(LEADERBOARD)["run-name"]).split())
    match = re.fullmatch(
        r"\$\{\{ github\.event_name == 'pull_request_review' && format\('([^']*)', "
        r"github\.event\.review\.state, github\.event\.pull_request\.number\) \|\| "
        r"github\.event\.pull_request\.title \|\| github\.event\.issue\.title \|\| github\.workflow \}\}",
        name,
    )
    assert match is not None, name
    for state in ("approved", "commented", "changes_requested", "dismissed"):
        title = match[1].replace("{0}", state).replace("{1}", "42")
        assert review_hint({"display_title": title}) == (state, 42)
    assert review_hint({"display_title": "Add H100 results"}) is None
    assert review_hint({"display_title": "Review approved of #42 (by someone)"}) is None
