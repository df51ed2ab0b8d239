"""The GitHub stand-in driven by real PyGithub over HTTP: git data, contents, refs, pulls, merges."""

from __future__ import annotations

import base64
import subprocess
import threading
from pathlib import Path

import pytest
import requests
from github import Github, GithubException, InputGitTreeElement
from github.Repository import Repository

from tests.support.standin import GitHubStandin, Submodule, Symlink
from tests.support.standin.git import Blob, Commit, ObjectStore, Person, object_sha
from tests.support.standin.gitops import commits_between

REPO = "octo-org/leaderboard"


@pytest.fixture
def lb(github_standin: GitHubStandin) -> tuple[GitHubStandin, Repository, Github]:
    """A seeded repository with a maintainer (alice) and a PyGithub client for her."""
    srv = github_standin
    srv.create_repo(
        REPO, {"README.md": "# leaderboard\n", "data/entries.json": "[]\n"}, owner_type="Organization"
    )
    srv.set_role(REPO, "alice", "maintain")
    gh = srv.client(srv.user_token("alice"))
    return srv, gh.get_repo(REPO), gh


def test_object_ids_match_real_git(tmp_path: Path) -> None:
    """Blob, tree (with a symlink and nested dirs) and commit SHAs equal git's own."""

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    run("init", "-q")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.txt").write_text("hello\n")
    (tmp_path / "z.md").write_text("z\n")
    (tmp_path / "a.txt").write_text("sorts before a/\n")
    (tmp_path / "link").symlink_to("a/b.txt")
    run("add", "-A")
    tree = run("write-tree").stdout.decode().strip()
    env = {
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@x",
        "GIT_AUTHOR_DATE": "1700000000 +0000",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@x",
        "GIT_COMMITTER_DATE": "1700000000 +0000",
        "PATH": "/usr/bin:/bin",
    }
    commit = (
        subprocess.run(
            ["git", "commit-tree", tree, "-m", "msg"], cwd=tmp_path, env=env, check=True, capture_output=True
        )
        .stdout.decode()
        .strip()
    )
    store = ObjectStore()
    files = {
        "a/b.txt": ("100644", store.put_blob(b"hello\n")),
        "z.md": ("100644", store.put_blob(b"z\n")),
        "a.txt": ("100644", store.put_blob(b"sorts before a/\n")),
        "link": ("120000", store.put_blob(b"a/b.txt")),
    }
    assert store.build_tree(files) == tree
    who = Person("A", "a@x", 1700000000)
    assert object_sha(Commit(tree, (), who, who, "msg\n")) == commit
    assert object_sha(Blob(b"hello\n")) == "ce013625030ba8dba906f756967f9e9ca394464a"


def test_contents_create_update_and_sha_rules(lb: tuple[GitHubStandin, Repository, Github]) -> None:
    """PUT contents needs the current blob sha: missing → 422, stale → 409; each write moves the branch."""
    srv, repo, _ = lb
    created = repo.create_file("data/new.json", "add", '{"a": 1}\n', branch="main")
    assert created["commit"].sha == srv.ref_sha(REPO, "main")
    content = repo.get_contents("data/new.json", ref="main")
    assert content.decoded_content == b'{"a": 1}\n'
    assert content.encoding == "base64"
    with pytest.raises(GithubException) as missing:
        repo.create_file("data/new.json", "again", "x", branch="main")
    assert missing.value.status == 422
    repo.update_file("data/new.json", "edit", "v2", content.sha, branch="main")
    with pytest.raises(GithubException) as stale:
        repo.update_file("data/new.json", "edit", "v3", content.sha, branch="main")
    assert stale.value.status == 409
    assert "does not match" in stale.value.data["message"]
    latest = repo.get_contents("data/new.json")
    repo.delete_file("data/new.json", "rm", latest.sha, branch="main")
    assert srv.read_file(REPO, "data/new.json") is None
    listing = repo.get_contents("data")
    assert [c.path for c in listing] == ["data/entries.json"]
    assert listing[0].type == "file"


def test_large_file_needs_blob_or_raw(lb: tuple[GitHubStandin, Repository, Github]) -> None:
    """Files over 1 MB come back with encoding "none" and empty content; blobs and raw still work."""
    srv, repo, _ = lb
    big = b'{"entry": 1}\n' * 90_000
    assert len(big) > 1024 * 1024
    srv.commit(REPO, "main", {"data/big.json": big})
    content = repo.get_contents("data/big.json")
    assert content.encoding == "none"
    assert content.content == ""
    assert content.size == len(big)
    with pytest.raises(AssertionError):
        _ = content.decoded_content
    assert base64.b64decode(repo.get_git_blob(content.sha).content) == big
    raw = requests.get(content.url, headers={"Accept": "application/vnd.github.raw"}, timeout=10)
    assert raw.status_code == 200
    assert raw.content == big
    assert requests.get(content.download_url, timeout=10).content == big


def test_symlinks_submodules_and_trees(lb: tuple[GitHubStandin, Repository, Github]) -> None:
    """Mode 120000 entries are symlinks (followed when they point at a file); trees list modes."""
    srv, repo, _ = lb
    sub = "1" * 40
    srv.commit(
        REPO,
        "main",
        {
            "docs/link": Symlink("../README.md"),
            "docs/dangling": Symlink("/etc/passwd"),
            "vendor/lib": Submodule(sub),
        },
    )
    tree = repo.get_git_tree("main", recursive=True)
    modes = {e.path: (e.mode, e.type) for e in tree.tree}
    assert modes["docs/link"] == ("120000", "blob")
    assert modes["vendor/lib"] == ("160000", "commit")
    assert modes["docs"] == ("040000", "tree")
    assert repo.get_contents("docs/dangling").type == "symlink"
    followed = repo.get_contents("docs/link")
    assert followed.type == "file"
    assert followed.decoded_content == b"# leaderboard\n"
    listing = {c.name: c.type for c in repo.get_contents("docs")}
    assert listing == {"dangling": "symlink", "link": "symlink"}
    assert {c.name: c.type for c in repo.get_contents("vendor")} == {"lib": "file"}
    assert repo.get_contents("vendor/lib").type == "submodule"


def test_git_data_refs_and_fast_forward_rule(lb: tuple[GitHubStandin, Repository, Github]) -> None:
    """Blobs, trees with base_tree, commits; ref create/duplicate/fast-forward/force/delete."""
    srv, repo, _ = lb
    tip = repo.get_git_commit(srv.ref_sha(REPO, "main") or "")
    blob = repo.create_git_blob("v1\n", "utf-8")
    elements = [
        InputGitTreeElement("data/v.txt", "100644", "blob", sha=blob.sha),
        InputGitTreeElement("README.md", "100644", "blob", sha=None),
    ]
    tree = repo.create_git_tree(elements, base_tree=tip.tree)
    assert {e.path for e in repo.get_git_tree(tree.sha, recursive=True).tree} == {
        "data",
        "data/entries.json",
        "data/v.txt",
    }
    commit = repo.create_git_commit("add v", tree, [tip])
    ref = repo.create_git_ref("refs/heads/work", tip.sha)
    with pytest.raises(GithubException) as dup:
        repo.create_git_ref("refs/heads/work", tip.sha)
    assert dup.value.status == 422
    assert dup.value.data["message"] == "Reference already exists"
    ref.edit(commit.sha)
    assert repo.get_git_ref("heads/work").object.sha == commit.sha
    with pytest.raises(GithubException) as nff:
        ref.edit(tip.sha)
    assert nff.value.status == 422
    assert nff.value.data["message"] == "Update is not a fast forward"
    ref.edit(tip.sha, force=True)
    assert srv.ref_sha(REPO, "work") == tip.sha
    ref.delete()
    assert srv.ref_sha(REPO, "work") is None


def test_ref_compare_and_swap_under_20_racing_threads(github_standin: GitHubStandin) -> None:
    """Per round exactly one of 20 racing fast-forward updates wins; with a retry loop all 20 land."""
    srv = github_standin
    srv.create_repo(REPO, {"README.md": "x\n"})
    start = srv.ref_sha(REPO) or ""
    clients = [srv.client(srv.app_token(f"racer{i}")).get_repo(REPO) for i in range(20)]
    barrier = threading.Barrier(20, timeout=30)
    outcomes: list[tuple[str, int, int, str | None]] = []
    lock = threading.Lock()

    def record(phase: str, i: int, status: int, message: str | None) -> None:
        with lock:
            outcomes.append((phase, i, status, message))

    def commit_on(repo: Repository, tip: str, name: str) -> str:
        parent = repo.get_git_commit(tip)
        blob = InputGitTreeElement(f"entries/{name}", "100644", "blob", content=name)
        tree = repo.create_git_tree([blob], base_tree=parent.tree)
        return repo.create_git_commit(f"add {name}", tree, [parent]).sha

    def attempt(phase: str, i: int, repo: Repository, name: str) -> bool:
        ref = repo.get_git_ref("heads/main")
        new = commit_on(repo, ref.object.sha, name)
        if phase.startswith("round"):
            barrier.wait()
        try:
            ref.edit(new)
        except GithubException as exc:
            record(phase, i, exc.status, exc.data.get("message"))
            return False
        record(phase, i, 200, None)
        return True

    def racer(i: int) -> None:
        for rnd in range(3):
            attempt(f"round{rnd}", i, clients[i], f"round{rnd}-{i}")
            barrier.wait()
        for _ in range(60):
            if attempt("retry", i, clients[i], f"retry-{i}"):
                return

    threads = [threading.Thread(target=racer, args=(i,)) for i in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    for phase in ("round0", "round1", "round2", "retry"):
        wins = [o for o in outcomes if o[0] == phase and o[2] == 200]
        losses = {(o[2], o[3]) for o in outcomes if o[0] == phase and o[2] != 200}
        assert len(wins) == (20 if phase == "retry" else 1), phase
        assert losses <= {(422, "Update is not a fast forward")}, phase
    for i in range(20):
        assert srv.read_file(REPO, f"entries/retry-{i}") == f"retry-{i}".encode()
    history = commits_between(srv.world.store, start, srv.ref_sha(REPO) or "")
    assert len(history) == 23
    assert all(len(srv.world.store.commit(c).parents) == 1 for c in history)


def test_pull_request_files_pagination_and_merge_base(lb: tuple[GitHubStandin, Repository, Github]) -> None:
    """250 files over 100-per-page Link pages, renames, and a three-dot diff against the merge base."""
    srv, _, _ = lb
    srv.commit(REPO, "feature", {f"entries/e{i:03}.json": f'{{"i": {i}}}\n' for i in range(250)}, base="main")
    srv.commit(
        REPO, "feature", {"data/entries.json": None, "data/all.json": "[]\n", "README.md": "# lb\nmore\n"}
    )
    srv.commit(REPO, "main", {"unrelated.txt": "base moved on\n"})
    gh = srv.client(srv.user_token("bob"), per_page=100)
    srv.clear_log()
    pr = gh.get_repo(REPO).create_pull(base="main", head="feature", title="Add entries", body="")
    files = list(pr.get_files())
    assert len(files) == 252
    assert srv.count("GET", r"/pulls/\d+/files$") == 3
    assert "unrelated.txt" not in {f.filename for f in files}
    renamed = next(f for f in files if f.status == "renamed")
    assert (renamed.filename, renamed.previous_filename) == ("data/all.json", "data/entries.json")
    readme = next(f for f in files if f.filename == "README.md")
    assert (readme.status, readme.additions, readme.deletions, readme.changes) == ("modified", 2, 1, 3)
    assert readme.patch.startswith("@@")
    assert readme.sha == srv.api("bob").get(f"/repos/{REPO}/contents/README.md", ref="feature")["sha"]
    link = next(r for r in srv.requests if r.path.endswith("/files"))
    assert link.status == 200
    with pytest.raises(GithubException) as dup:
        gh.get_repo(REPO).create_pull(base="main", head="feature", title="again", body="")
    assert dup.value.status == 422
    assert dup.value.data["errors"][0]["message"] == "A pull request already exists for octo-org:feature."
    assert [p.number for p in gh.get_repo(REPO).get_pulls(state="open", head="octo-org:feature")] == [
        pr.number
    ]


def test_pull_request_files_capped_at_3000(github_standin: GitHubStandin) -> None:
    """The files list stops at 3,000 entries."""
    srv = github_standin
    srv.create_repo(REPO, {"README.md": "x\n"})
    srv.commit(REPO, "many", {f"f/{i:04}": "" for i in range(3005)}, base="main")
    number = srv.open_pr(REPO, "many")
    api = srv.api("octo-org")
    assert len(api.get(f"/repos/{REPO}/pulls/{number}/files", per_page="100", page="30")) == 100
    assert api.get(f"/repos/{REPO}/pulls/{number}/files", per_page="100", page="31") == []


def test_merge_rules_and_auto_merge_detection(lb: tuple[GitHubStandin, Repository, Github]) -> None:
    """Stale sha → 409, conflict → 405, merge closes "Closes #N"; a bot commit on base marks a PR merged."""
    srv, repo, _ = lb
    issue = srv.create_issue(REPO, "Submission", author="carol")
    head = srv.commit(REPO, "sub", {"data/entries.json": "[1]\n"}, base="main", author="carol")
    number = srv.open_pr(REPO, "sub", body=f"Closes #{issue}", author="carol")
    pr = repo.get_pull(number)
    with pytest.raises(GithubException) as stale:
        pr.merge(sha="0" * 40)
    assert stale.value.status == 409
    assert stale.value.data["message"].startswith("Head branch was modified")
    srv.commit(REPO, "conflict", {"README.md": "mine\n"}, base="main")
    srv.commit(REPO, "main", {"README.md": "theirs\n"})
    other = repo.get_pull(srv.open_pr(REPO, "conflict"))
    assert other.mergeable is False
    with pytest.raises(GithubException) as blocked:
        other.merge()
    assert blocked.value.status == 405
    assert blocked.value.data["message"] == "Pull Request is not mergeable"
    status = pr.merge(sha=head, merge_method="merge")
    assert status.merged
    merged = repo.get_pull(number)
    assert merged.merged
    assert merged.state == "closed"
    assert merged.merge_commit_sha == status.sha
    assert repo.get_git_commit(status.sha).parents[1].sha == head
    assert repo.get_issue(issue).state == "closed"
    bot = srv.client(srv.actions_token()).get_repo(REPO)
    srv.commit(REPO, "sub2", {"data/x.json": "{}\n"}, base="main", author="dave")
    third = srv.open_pr(REPO, "sub2", author="dave")
    main = bot.get_git_commit(srv.ref_sha(REPO, "main") or "")
    pr_head = bot.get_git_commit(srv.ref_sha(REPO, "sub2") or "")
    tree = bot.create_git_tree(
        [InputGitTreeElement("data/x.json", "100644", "blob", content="{}\n")], main.tree
    )
    landed = bot.create_git_commit("Land #3", tree, [main, pr_head])
    bot.get_git_ref("heads/main").edit(landed.sha)
    after = bot.get_pull(third)
    assert after.merged
    assert after.state == "closed"
    assert after.merge_commit_sha == landed.sha
    assert after.merged_by.login == "github-actions[bot]"


def test_fork_pull_request_head_readable_from_base(github_standin: GitHubStandin) -> None:
    """A fork PR's head commit is readable from the base repository by SHA and refs/pull/N/head."""
    srv = github_standin
    srv.create_repo(REPO, {"README.md": "x\n"})
    srv.fork(REPO, "contrib")
    head = srv.commit("contrib/leaderboard", "patch-1", {"data/e.json": "{}\n"}, author="contrib")
    srv.set_role(REPO, "contrib", "read")
    gh = srv.client(srv.user_token("contrib"))
    pr = gh.get_repo(REPO).create_pull(base="main", head="contrib:patch-1", title="Fork PR", body="")
    assert pr.head.repo.full_name == "contrib/leaderboard"
    assert pr.head.sha == head
    base = gh.get_repo(REPO)
    assert base.get_git_commit(head).sha == head
    assert base.get_git_ref(f"pull/{pr.number}/head").object.sha == head
    assert base.get_contents("data/e.json", ref=head).decoded_content == b"{}\n"
    newer = srv.commit("contrib/leaderboard", "patch-1", {"data/e.json": '{"v": 2}\n'})
    assert base.get_pull(pr.number).head.sha == newer
    assert [e.action for e in srv.events if e.name == "pull_request"] == ["opened", "synchronize"]
