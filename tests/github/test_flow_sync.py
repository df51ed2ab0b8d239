"""The Hugging Face sync end to end: the real huggingface_hub client reads a stand-in Hub over HTTP,
the bot opens ONE pull request on the GitHub stand-in, re-runs on the same commit change nothing, a
new commit of the dataset updates the same pull request, and an approval merges it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from bot.github.sync import BRANCH
from bot.render.comment import MARKER
from tests.support.bot_stage import REPO, ROOT, Run, Stage
from tests.support.hub_standin import HubStandin, serve, unreachable_url
from tests.support.merge_stage import command, head
from tests.support.paths import FIXTURES
from tests.support.standin import GitHubStandin

DATASET = "intellistream/sagellm-benchmark-results"
CORPUS = FIXTURES / "sagellm-benchmark-0.5.4.14"
AGGREGATE = {
    name: (CORPUS / "hf_data" / name).read_bytes()
    for name in ("leaderboard_single.json", "leaderboard_multi.json")
}
CANONICAL = {
    f"canonical/{path.name}": path.read_bytes()
    for path in sorted((CORPUS / "upload_hf" / "canonical").glob("*.json"))
}
DATA = "data/leaderboard_single.json"
SCHEDULE = {"schedule": "17 * * * *", "workflow": ".github/workflows/leaderboard-sync.yml"}


@pytest.fixture
def hub_standin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[HubStandin]:
    yield from serve(monkeypatch, tmp_path)


@pytest.fixture
def hub(hub_standin: HubStandin) -> HubStandin:
    return hub_standin


def without_sync() -> str:
    """The repository's configuration without its sync section."""
    text = (ROOT / ".github" / "leaderboard-bot.yml").read_text(encoding="utf-8")
    start = text.index("\nsync:\n")
    end = text.find("\n\n", start + 1)
    return text[:start] + (text[end:] if end != -1 else "\n")


def configure(stage: Stage, source: str = "aggregate") -> None:
    """Commit the configuration with a sync section reading ``source`` to the default branch."""
    text = without_sync() + f"\nsync:\n  dataset: {DATASET}\n  revision: main\n  source: {source}\n"
    stage.srv.commit(REPO, "main", {".github/leaderboard-bot.yml": text}, author="admin")


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    result = Stage(github_standin, tmp_path)
    configure(result)
    return result


def run_sync(stage: Stage, hub_url: str, payload: dict[str, Any] | None = None) -> Run:
    env = {"HF_ENDPOINT": hub_url, "HF_HOME": str(stage.tmp / "hf-home")}
    return stage.deliver("schedule" if payload is None else "workflow_dispatch", payload or SCHEDULE, env)


def pulls(stage: Stage) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = stage.srv.api("admin").get(f"/repos/{REPO}/pulls", state="all")
    return result


def branch_entries(stage: Stage, name: str = "data/leaderboard_single.json") -> list[dict[str, Any]]:
    data = stage.srv.read_file(REPO, name, BRANCH)
    assert data is not None
    entries: list[dict[str, Any]] = json.loads(data)
    return entries


def test_a_sync_opens_one_pull_request_listing_the_new_entries_and_their_problems(
    stage: Stage, hub: HubStandin
) -> None:
    sha = hub.publish(DATASET, {**AGGREGATE, **CANONICAL})
    main_before = stage.srv.ref_sha(REPO, "main")
    run = run_sync(stage, hub.url)
    assert run.code == 0, run.stderr + run.summary
    (pull,) = pulls(stage)
    assert pull["head"]["ref"] == BRANCH
    assert pull["base"]["ref"] == "main"
    assert f"sha={sha}" in pull["body"]
    assert stage.srv.ref_sha(REPO, "main") == main_before  # nothing committed to the default branch
    published = {e["entry_id"] for e in stage.main_entries()}
    synced = [e for e in branch_entries(stage) if e["entry_id"] not in published]
    expected = {e["entry_id"] for e in json.loads(AGGREGATE["leaderboard_single.json"])}
    assert {e["entry_id"] for e in synced} == expected
    raw = {e["entry_id"]: e for e in json.loads(AGGREGATE["leaderboard_single.json"])}
    for entry in synced:  # the aggregate's "" stand-ins are null again
        assert entry["environment"]["cuda_version"] == (
            raw[entry["entry_id"]]["environment"]["cuda_version"] or None
        )
    (comment,) = stage.bot_comments(int(pull["number"]))
    body = comment["body"]
    assert body.startswith(MARKER)
    assert "#### New entries" in body
    for entry_id in expected:
        assert entry_id[:8] in body
    assert "#### Problems" in body
    assert "hf://datasets/intellistream/sagellm-benchmark-results/leaderboard_single.json" in body
    assert "LB504" in body  # the exporter's hard-coded FP32, flagged on the dataset's own lines
    assert sha in body
    assert json.loads(run.outputs["added"]) == sorted(expected)
    assert run.outputs["pull-request"] == str(pull["number"])
    labels = {label["name"] for label in stage.srv.issue(REPO, int(pull["number"]))["labels"]}
    assert "leaderboard: valid" in labels
    assert run.requests <= 12, f"opening the sync pull request took {run.requests} GitHub requests"
    assert [path for method, path in hub.requests if method == "GET" and "/resolve/" in path] == [
        f"/datasets/{DATASET}/resolve/{sha}/{name}" for name in AGGREGATE
    ]  # every file read at the commit the revision resolved to


def test_a_second_run_on_the_same_revision_changes_nothing(stage: Stage, hub: HubStandin) -> None:
    hub.publish(DATASET, AGGREGATE)
    run_sync(stage, hub.url)
    (pull,) = pulls(stage)
    head, comments = stage.srv.ref_sha(REPO, BRANCH), stage.srv.comments(REPO, int(pull["number"]))
    writes = stage.srv.count("POST") + stage.srv.count("PATCH")
    seen = len(hub.requests)
    again = run_sync(stage, hub.url)
    assert again.code == 0, again.stderr
    assert "nothing to do" in again.summary
    assert hub.requests[seen:] == [("GET", f"/api/datasets/{DATASET}/revision/main")]  # no download
    assert again.requests <= 2, f"a sync with nothing to do took {again.requests} GitHub requests"
    assert stage.srv.count("POST") + stage.srv.count("PATCH") == writes
    assert stage.srv.ref_sha(REPO, BRANCH) == head
    assert stage.srv.comments(REPO, int(pull["number"])) == comments
    assert len(pulls(stage)) == 1


def test_a_new_revision_updates_the_same_pull_request(stage: Stage, hub: HubStandin) -> None:
    hub.publish(DATASET, AGGREGATE)
    run_sync(stage, hub.url)
    (pull,) = pulls(stage)
    entries = json.loads(AGGREGATE["leaderboard_single.json"])
    entries[0]["metrics"]["throughput_tps"] = 999.5
    extra = json.loads(json.dumps(entries[1]))
    extra["entry_id"], extra["metadata"]["notes"] = (
        "0f0e0d0c-0b0a-4908-8706-050403020100",
        "Benchmark run: again",
    )
    extra["workload"]["concurrent_requests"] = 4
    new_sha = hub.publish(
        DATASET, {"leaderboard_single.json": json.dumps([*entries, extra], indent=2).encode()}
    )
    run = run_sync(stage, hub.url)
    assert run.code == 0, run.stderr + run.summary
    (same,) = pulls(stage)
    assert same["number"] == pull["number"]
    assert f"sha={new_sha}" in same["body"]
    synced = {e["entry_id"]: e for e in branch_entries(stage)}
    assert synced[entries[0]["entry_id"]]["metrics"]["throughput_tps"] == 999.5
    assert extra["entry_id"] in synced
    (comment,) = stage.bot_comments(int(pull["number"]))
    assert extra["entry_id"][:8] in comment["body"]
    assert new_sha in comment["body"]
    assert run.requests <= 11, f"updating the sync pull request took {run.requests} GitHub requests"


def test_an_approval_merges_the_sync_and_the_next_run_has_nothing_to_do(
    stage: Stage, hub: HubStandin
) -> None:
    hub.publish(DATASET, AGGREGATE)
    run_sync(stage, hub.url)
    (pull,) = pulls(stage)
    before = len(stage.main_entries())
    merged = stage.approve(int(pull["number"]), "maint")
    assert merged.code == 0, merged.stderr + merged.summary
    assert len(stage.main_entries()) == before + len(json.loads(AGGREGATE["leaderboard_single.json"]))
    hub.publish(DATASET, {"README.md": b"# results\n"})  # a new commit that changes no entry
    after = run_sync(stage, hub.url)
    assert after.code == 0, after.stderr
    assert "nothing to sync" in after.summary
    assert len(pulls(stage)) == 1


def test_canonical_files_are_read_through_the_tree_listing(stage: Stage, hub: HubStandin) -> None:
    configure(stage, "canonical")
    sha = hub.publish(DATASET, {**AGGREGATE, **CANONICAL})
    run = run_sync(stage, hub.url)
    assert run.code == 0, run.stderr + run.summary
    assert ("GET", f"/api/datasets/{DATASET}/tree/{sha}/canonical") in hub.requests
    published = {e["entry_id"] for e in stage.main_entries()}
    synced = {e["entry_id"] for e in branch_entries(stage)} - published
    assert synced == {json.loads(data)["entry_id"] for data in CANONICAL.values()}
    (pull,) = pulls(stage)
    (comment,) = stage.bot_comments(int(pull["number"]))
    assert "canonical/161619c28d6cbc3ec46f_leaderboard.json" in comment["body"]


def test_an_unreachable_hub_changes_nothing_and_says_so_in_one_line(stage: Stage, hub: HubStandin) -> None:
    hub.publish(DATASET, AGGREGATE)
    run_sync(stage, hub.url)
    (pull,) = pulls(stage)
    head, comments = stage.srv.ref_sha(REPO, BRANCH), stage.srv.comments(REPO, int(pull["number"]))
    writes = stage.srv.count("POST") + stage.srv.count("PATCH") + stage.srv.count("DELETE")
    with unreachable_url() as url:
        run = run_sync(stage, url)
    assert run.code == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("leaderboard-bot: error: could not reach the Hugging Face Hub at " + url)
    assert "nothing was changed" in lines[0]
    assert "Traceback" not in run.stderr
    assert stage.srv.count("POST") + stage.srv.count("PATCH") + stage.srv.count("DELETE") == writes
    assert stage.srv.ref_sha(REPO, BRANCH) == head
    assert stage.srv.comments(REPO, int(pull["number"])) == comments
    assert pulls(stage) == [pull]


def test_a_missing_file_changes_nothing_and_says_so_in_one_line(stage: Stage, hub: HubStandin) -> None:
    hub.publish(DATASET, {"leaderboard_single.json": AGGREGATE["leaderboard_single.json"]})
    run = run_sync(stage, hub.url)
    assert run.code == 1
    (line,) = run.stderr.strip().splitlines()
    assert f"dataset {DATASET} has no file leaderboard_multi.json" in line
    assert pulls(stage) == []


def test_bad_files_on_the_hub_get_precise_findings_and_nothing_is_written(
    stage: Stage, hub: HubStandin
) -> None:
    broken = AGGREGATE["leaderboard_single.json"].replace(b'"entry_id"', b'"entry_id": 1, "entry_id"', 1)
    hub.publish(
        DATASET, {**AGGREGATE, "leaderboard_single.json": broken, "leaderboard_multi.json": b'{"a": 1}'}
    )
    run = run_sync(stage, hub.url)
    assert run.code == 1
    assert f"hf://datasets/{DATASET}/leaderboard_single.json:3:" in run.stderr  # the duplicate key's line
    assert "LB002" in run.stderr
    assert f"hf://datasets/{DATASET}/leaderboard_multi.json" in run.stderr
    assert "nothing was changed" in run.stderr
    assert pulls(stage) == []
    assert stage.srv.ref_sha(REPO, BRANCH) is None


def test_the_job_summary_shows_the_hubs_text_literally(stage: Stage, hub: HubStandin) -> None:
    key = b'"<img src=x onerror=alert(1)> @maintainer": 1, '  # twice: an LB002 quoting the key
    broken = AGGREGATE["leaderboard_single.json"].replace(b'"entry_id"', key + key + b'"entry_id"', 1)
    hub.publish(DATASET, {**AGGREGATE, "leaderboard_single.json": broken})
    run = run_sync(stage, hub.url)
    assert run.code == 1
    assert "<img src=x" in run.stderr  # the findings quote the dataset's key
    html = cmarkgfm.github_flavored_markdown_to_html(run.summary, options=Options.CMARK_OPT_UNSAFE)
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; @maintainer" in html.split("<pre>")[1]  # inside the block


def test_a_dispatch_may_name_the_revision(stage: Stage, hub: HubStandin) -> None:
    first = hub.publish(DATASET, AGGREGATE)
    hub.publish(DATASET, {"leaderboard_single.json": b"[]\n"})  # main moved on, to an empty dataset
    payload = {
        "inputs": {"revision": first},
        "ref": "refs/heads/main",
        "repository": {"full_name": REPO, "default_branch": "main"},
        "sender": {"login": "maint"},
        "workflow": ".github/workflows/leaderboard-sync.yml",
    }
    run = run_sync(stage, hub.url, payload)
    assert run.code == 0, run.stderr + run.summary
    (pull,) = pulls(stage)
    assert f"sha={first}" in pull["body"]


def test_without_a_configured_dataset_the_sync_says_what_to_add(stage: Stage, hub: HubStandin) -> None:
    stage.srv.commit(REPO, "main", {".github/leaderboard-bot.yml": without_sync()}, author="admin")
    run = run_sync(stage, hub.url)
    assert run.code == 1
    assert "add sync.dataset to .github/leaderboard-bot.yml" in run.stderr
    assert hub.requests == []


def test_a_closed_sync_is_not_proposed_again_until_the_dataset_changes(stage: Stage, hub: HubStandin) -> None:
    hub.publish(DATASET, AGGREGATE)
    run_sync(stage, hub.url)
    (pull,) = pulls(stage)
    stage.srv.api("maint").patch(f"/repos/{REPO}/pulls/{pull['number']}", {"state": "closed"})
    again = run_sync(stage, hub.url)
    assert again.code == 0, again.stderr
    assert f"#{pull['number']} proposed it and is closed" in again.summary
    assert len(pulls(stage)) == 1
    entries = json.loads(AGGREGATE["leaderboard_single.json"])
    entries[0]["metrics"]["ttft_ms"] = 111.0
    new_sha = hub.publish(DATASET, {"leaderboard_single.json": json.dumps(entries).encode()})
    proposed = run_sync(stage, hub.url)
    assert proposed.code == 0, proposed.stderr + proposed.summary
    newest = max(pulls(stage), key=lambda p: int(p["number"]))
    assert newest["state"] == "open"
    assert newest["number"] != pull["number"]
    assert f"sha={new_sha}" in newest["body"]
    assert branch_entries(stage)[-len(entries)]["metrics"]["ttft_ms"] == 111.0


def test_an_entry_with_errors_is_proposed_with_its_errors_and_cannot_merge(
    stage: Stage, hub: HubStandin
) -> None:
    entries = json.loads(AGGREGATE["leaderboard_single.json"])
    entries[2]["metrics"]["error_rate"] = 15  # a percentage where a ratio belongs
    hub.publish(DATASET, {**AGGREGATE, "leaderboard_single.json": json.dumps(entries, indent=2).encode()})
    run = run_sync(stage, hub.url)
    assert run.code == 1  # the run is red: the dataset holds an invalid entry
    assert run.outputs["valid"] == "false"
    (pull,) = pulls(stage)
    (comment,) = stage.bot_comments(int(pull["number"]))
    assert "1 error" in comment["body"]
    assert "`$[2].metrics.error_rate`" in comment["body"]
    assert "15 is greater than the maximum of 1" in comment["body"]
    labels = {label["name"] for label in stage.srv.issue(REPO, int(pull["number"]))["labels"]}
    assert "leaderboard: invalid" in labels
    before = stage.main_entries()
    merged = stage.approve(int(pull["number"]), "maint")
    assert merged.code == 1
    assert stage.main_entries() == before  # an approval does not merge an invalid sync


def test_switching_to_the_canonical_files_updates_the_pull_request(stage: Stage, hub: HubStandin) -> None:
    sha = hub.publish(DATASET, {**AGGREGATE, **CANONICAL})
    run_sync(stage, hub.url)
    configure(stage, "canonical")  # the same dataset commit, read another way
    run = run_sync(stage, hub.url)
    assert run.code == 0, run.stderr + run.summary
    (pull,) = pulls(stage)
    assert f"sha={sha} source=canonical" in pull["body"]
    assert ("GET", f"/api/datasets/{DATASET}/tree/{sha}/canonical") in hub.requests


def _published_then_changed_on_the_hub(stage: Stage, hub: HubStandin) -> tuple[int, str, str]:
    """Sync and merge the dataset, then let the dataset change one entry's throughput and sync that:
    (the open sync pull request, the changed entry's id, the dataset commit)."""
    hub.publish(DATASET, AGGREGATE)
    run_sync(stage, hub.url)
    (first,) = pulls(stage)
    assert stage.approve(int(first["number"]), "maint").code == 0
    entries = json.loads(AGGREGATE["leaderboard_single.json"])
    entries[0]["metrics"]["throughput_tps"] = 999.5
    sha = hub.publish(DATASET, {"leaderboard_single.json": json.dumps(entries, indent=2).encode()})
    assert run_sync(stage, hub.url).code == 0
    newest = max(pulls(stage), key=lambda p: int(p["number"]))
    assert newest["state"] == "open"
    return int(newest["number"]), str(entries[0]["entry_id"]), sha


def allow(stage: Stage, number: int) -> Run:
    """A maintainer's `/leaderboard merge SHA --allow-changes` for a sync that changes published entries."""
    return command(stage, number, f"/leaderboard merge {head(stage, number)} --allow-changes")


def _edit_main(stage: Stage, entry_id: str | None, notes: str) -> str:
    """A maintainer's direct commit to main: ``entry_id``'s notes (or, for None, nothing of any entry
    the sync changes: the first entry's). The new main commit."""
    entries = stage.main_entries()
    target = next(e for e in entries if entry_id in (None, e["entry_id"]))
    target["metadata"]["notes"] = notes
    stage.srv.commit(REPO, "main", {DATA: json.dumps(entries, indent=2) + "\n"}, author="admin")
    return str(stage.srv.ref_sha(REPO, "main"))


def test_a_sync_overtaken_on_the_default_branch_is_rebuilt_on_it(stage: Stage, hub: HubStandin) -> None:
    number, changed, sha = _published_then_changed_on_the_hub(stage, hub)
    main_now = _edit_main(stage, changed, "re-measured by a maintainer")
    tip = stage.srv.ref_sha(REPO, BRANCH)
    run = run_sync(stage, hub.url)  # the same dataset commit
    assert run.code == 0, run.stderr + run.summary
    assert f"main changed `{changed}` since #{number} was built on it" in run.summary
    assert stage.srv.ref_sha(REPO, BRANCH) != tip  # rebuilt, in the same pull request
    (same,) = [p for p in pulls(stage) if p["state"] == "open"]
    assert same["number"] == number
    assert f"sha={sha} source=aggregate base={main_now}" in same["body"]
    merged = allow(stage, number)  # built on main as it is: nothing to refuse (LB310)
    assert merged.code == 0, merged.stderr + merged.summary
    published = {e["entry_id"]: e for e in stage.main_entries()}
    assert published[changed]["metrics"]["throughput_tps"] == 999.5


def test_a_sync_whose_entries_main_left_alone_is_not_rebuilt(stage: Stage, hub: HubStandin) -> None:
    number, changed, _ = _published_then_changed_on_the_hub(stage, hub)
    other = next(e["entry_id"] for e in stage.main_entries() if e["entry_id"] != changed)
    _edit_main(stage, other, "a note on another entry")
    tip, comments = stage.srv.ref_sha(REPO, BRANCH), stage.srv.comments(REPO, number)
    run = run_sync(stage, hub.url)
    assert run.code == 0, run.stderr
    assert "nothing to do" in run.summary
    assert stage.srv.ref_sha(REPO, BRANCH) == tip
    assert stage.srv.comments(REPO, number) == comments
    assert allow(stage, number).code == 0  # the edit of the other entry does not block it
    published = {e["entry_id"]: e for e in stage.main_entries()}
    assert published[other]["metadata"]["notes"] == "a note on another entry"
    assert published[changed]["metrics"]["throughput_tps"] == 999.5
