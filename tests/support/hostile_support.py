"""The hostile-input corpus of tests/cases/hostile/: cases, input generators, one runner per channel.

A case is ``<name>.expected.json``: its channel, the expected exit code, rule ids and a distinctive
part of the message. Its input is ``<name>.<ext>`` beside it (named by ``input``), or is described in
the expectation itself (issue-form values, run-directory files, pull-request files), or is made at
test time by a generator named in ``generator`` (10 MB bodies, 10,000-deep nesting, bombs) so that
nothing large is committed. Each runner returns an :class:`Observed` that tests/acceptance/test_hostile.py
compares with the expectation; :class:`Recorder` collects the results into
``test-output/hostile-summary.json``.

Exit codes of channels that are not a command are what the bot's handler would return: 1 when the
outcome has errors (issue form) or a file is blocked (pull-request file names), else 0.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.paths import ROOT

CORPUS = ROOT / "tests" / "cases" / "hostile"
OUTPUT = ROOT / "test-output"
CONFIG = ROOT / ".github" / "leaderboard-bot.yml"
DATA = ROOT / "data"
EXAMPLE = ROOT / "examples" / "single-gpu.json"
YAML_EXAMPLE = ROOT / "examples" / "single-gpu.yaml"
BOT = (sys.executable, "-m", "bot")
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.timezone.utc)  # fixed, so LB203 is deterministic
CHANNELS = {
    "submission": "submission files through `submit --format json` (subprocess) and `validate`",
    "data-edit": "edited data/leaderboard_single.json passed to `submit` (subprocess)",
    "issue-form": "issue bodies through bot.form.entry.build_submission + bot.ledger.evaluate.evaluate",
    "issue-e2e": "issue bodies end to end on the GitHub stand-in (issues.opened)",
    "import": "benchmark run directories through `import` (subprocess)",
    "config": "config files through `validate --config FILE` (subprocess)",
    "pr-files": "pull-request file names through bot.github.pr_files.classify",
    "pr": "pull requests and reviews end to end on the GitHub stand-in",
}
KEYS = {
    "description", "channel", "input", "generator", "exit", "rules", "message", "validate", "data",
    "added", "written", "maintainer", "form", "newline", "body", "paste", "paste_entry", "inject",
    "entry", "comment_safe", "comment_contains", "comment_limit", "pulls", "run_files", "links", "tree",
    "argument_loop", "files", "steps", "author", "bot_comments", "user_comment_intact", "max_seconds",
}  # fmt: skip
_MD_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~>])")
_COMMENT_RULE = re.compile(r"\((LB\d{3}|schema|form)\)")
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Case:
    """One corpus case: its name and its expectation."""

    name: str
    spec: dict[str, Any]

    @property
    def channel(self) -> str:
        """The channel the input goes through."""
        return str(self.spec["channel"])

    @property
    def exit(self) -> int:
        """The expected exit code."""
        return int(self.spec["exit"])

    @property
    def rules(self) -> set[str]:
        """The exact set of rule ids expected among the (unwaived) findings."""
        return set(self.spec.get("rules", []))

    def input_path(self) -> Path | None:
        """The committed input file, if the case has one."""
        name = self.spec.get("input")
        return CORPUS / str(name) if name else None


def load_cases() -> list[Case]:
    """Every case of the corpus, by name."""
    cases = []
    for path in sorted(CORPUS.glob("*.expected.json")):
        cases.append(Case(path.name.removesuffix(".expected.json"), json.loads(path.read_text("utf-8"))))
    return cases


@dataclass
class Observed:
    """What one run of a case produced."""

    exit: int
    rules: set[str]
    messages: list[str]  # where the expected message fragment is looked for
    printed: str  # everything written to stdout/stderr (or the comment), for the traceback check
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def has_message(self, fragment: str) -> bool:
        """Whether any message contains ``fragment``."""
        return any(fragment in message for message in self.messages)


# ------------------------------------------------------------------------------------------ inputs


def example_text() -> str:
    """The single-GPU example entry as committed."""
    return EXAMPLE.read_text("utf-8")


def example(**changes: Any) -> dict[str, Any]:
    """The single-GPU example with ``section__key=value`` changes applied."""
    entry: dict[str, Any] = json.loads(example_text())
    for path, value in changes.items():
        target = entry
        *parents, last = path.split("__")
        for key in parents:
            target = target[key]
        target[last] = value
    return entry


def published() -> list[dict[str, Any]]:
    """The published single-node entries."""
    entries: list[dict[str, Any]] = json.loads((DATA / "leaderboard_single.json").read_text("utf-8"))
    return entries


def dump(value: Any) -> str:
    """JSON as contributors write it (2-space indent)."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _write(tmp: Path, name: str, data: str | bytes) -> Path:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _huge_integer(tmp: Path) -> list[Path]:
    return [
        _write(tmp, "huge.json", example_text().replace('"batch_size": 1', '"batch_size": ' + "9" * 5000))
    ]


def _utf16_with_bom(tmp: Path) -> list[Path]:
    return [_write(tmp, "utf16.json", b"\xff\xfe" + example_text().encode("utf-16-le"))]


def _utf16_without_bom(tmp: Path) -> list[Path]:
    return [_write(tmp, "utf16.json", example_text().encode("utf-16-le"))]


def _latin1(tmp: Path) -> list[Path]:
    return [_write(tmp, "latin1.json", example_text().replace("Ubuntu", "Übüntu").encode("latin-1"))]


def _ten_megabytes(tmp: Path) -> list[Path]:
    return [_write(tmp, "ten.json", dump(example(metadata__notes="x" * 10_500_000)))]


def _deep_arrays(tmp: Path) -> list[Path]:
    return [_write(tmp, "deep.json", "[" * 10_000 + "]" * 10_000)]


def _deep_objects(tmp: Path) -> list[Path]:
    return [_write(tmp, "deep.json", '{"a": ' * 10_000 + "1" + "}" * 10_000)]


def _deep_yaml(tmp: Path) -> list[Path]:
    return [_write(tmp, "deep.yaml", "[" * 10_000 + "]" * 10_000)]


def _yaml_scalar_bomb(tmp: Path) -> list[Path]:
    # 1 MB of text once, 4,000 aliases of it: 4 GB as soon as anything serializes the entry.
    text = 'x_pad: &s "' + "lol" * 350_000 + '"\nx_bomb: [' + ", ".join(["*s"] * 4000) + "]\n"
    return [_write(tmp, "bomb.yaml", text + YAML_EXAMPLE.read_text("utf-8"))]


def _yaml_huge_integer(tmp: Path) -> list[Path]:
    text = YAML_EXAMPLE.read_text("utf-8").replace("batch_size: 1", "batch_size: " + "9" * 5000)
    return [_write(tmp, "huge.yaml", text)]


def _three_thousand_entries(tmp: Path) -> list[Path]:
    items = []
    for index in range(3000):
        entry = example(workload__batch_size=100 + index)
        entry["entry_id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"hostile/{index}"))
        entry["metadata"].pop("notes")  # 3,000 compact entries stay under the 5 MB limit
        items.append(entry)
    return [_write(tmp, "many.json", json.dumps(items, separators=(",", ":"), ensure_ascii=False))]


def _head(tmp: Path, entries: Any) -> Path:
    return _write(tmp, "head/leaderboard_single.json", dump(entries))


def _edit_remove(tmp: Path) -> list[Path]:
    return [_head(tmp, published()[1:])]


def _edit_reorder(tmp: Path) -> list[Path]:
    return [_head(tmp, published()[::-1])]


def _edit_change(tmp: Path) -> list[Path]:
    entries = published()
    entries[3]["metrics"]["ttft_ms"] = 1.0
    return [_head(tmp, entries)]


def _edit_duplicate(tmp: Path) -> list[Path]:
    entries = published()
    return [_head(tmp, [*entries, entries[5]])]


def _edit_duplicate_changed(tmp: Path) -> list[Path]:
    entries = published()
    copy = json.loads(json.dumps(entries[5]))
    copy["metrics"]["throughput_tps"] = 99999.0
    return [_head(tmp, [*entries, copy])]


def _edit_change_and_resubmit(tmp: Path) -> list[Path]:
    entries = published()
    again = json.loads(json.dumps(entries[3]))
    entries[3]["metrics"]["ttft_ms"] = 1.0
    again["workload"]["batch_size"] = 77
    return [_head(tmp, entries), _write(tmp, "head/again.json", dump(again))]


def _edit_multi_in_single(tmp: Path) -> list[Path]:
    multi = json.loads((DATA / "leaderboard_multi.json").read_text("utf-8"))[0]
    multi["entry_id"] = "11111111-2222-4333-8444-555555555555"
    return [_head(tmp, [*published(), multi])]


def _edit_truncated(tmp: Path) -> list[Path]:
    return [
        _write(
            tmp, "head/leaderboard_single.json", (DATA / "leaderboard_single.json").read_text("utf-8")[:5000]
        )
    ]


def _edit_object(tmp: Path) -> list[Path]:
    return [_head(tmp, published()[0])]


def _config_2mb(tmp: Path) -> list[Path]:
    return [_write(tmp, "big.yml", "# " + "x" * 2_100_000 + "\nrules: {}\n")]


def _form_70k(tmp: Path) -> list[Path]:
    from tests.support.form_render import SINGLE_GPU, render_body

    return [_write(tmp, "body.md", render_body({**SINGLE_GPU, "notes": "x" * 70_000}))]


GENERATORS: dict[str, Callable[[Path], list[Path]]] = {
    "huge_integer": _huge_integer,
    "utf16_with_bom": _utf16_with_bom,
    "utf16_without_bom": _utf16_without_bom,
    "latin1": _latin1,
    "ten_megabytes": _ten_megabytes,
    "deep_arrays": _deep_arrays,
    "deep_objects": _deep_objects,
    "deep_yaml": _deep_yaml,
    "yaml_scalar_bomb": _yaml_scalar_bomb,
    "yaml_huge_integer": _yaml_huge_integer,
    "three_thousand_entries": _three_thousand_entries,
    "edit_remove": _edit_remove,
    "edit_reorder": _edit_reorder,
    "edit_change": _edit_change,
    "edit_duplicate": _edit_duplicate,
    "edit_duplicate_changed": _edit_duplicate_changed,
    "edit_change_and_resubmit": _edit_change_and_resubmit,
    "edit_multi_in_single": _edit_multi_in_single,
    "edit_truncated": _edit_truncated,
    "edit_object": _edit_object,
    "config_2mb": _config_2mb,
    "form_70k": _form_70k,
}


def inputs(case: Case, tmp: Path) -> list[Path]:
    """The case's input files: the committed one, or the generator's (written into ``tmp``)."""
    path = case.input_path()
    if path is not None:
        return [path]
    return GENERATORS[str(case.spec["generator"])](tmp)


# ------------------------------------------------------------------------------ command line


def snapshot(directory: Path) -> dict[str, str]:
    """SHA-256 of every file under ``directory``, by relative path."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def command(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``leaderboard-bot ARGS`` as a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [*BOT, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120, check=False
    )


def _findings_observed(code: int, findings: list[dict[str, Any]], printed: str) -> Observed:
    shown = [f for f in findings if not f.get("waived")]
    return Observed(code, {str(f["rule"]) for f in shown}, [str(f["message"]) for f in shown], printed)


def _parse_json(stdout: str) -> Any:
    try:
        return json.loads(stdout)
    except ValueError:
        return None


def run_submit(case: Case, tmp: Path) -> Observed:
    """``submit FILE... --data-dir <copy of data> --format json`` as a subprocess.

    ``extra``: the JSON report, and the data files' texts before and after.
    """
    paths = inputs(case, tmp)
    data = tmp / "data"
    shutil.copytree(DATA, data)
    before = {p.name: p.read_bytes() for p in data.glob("leaderboard_*.json")}
    args = ["submit", *map(str, paths), "--data-dir", str(data), "--format", "json", "--config", str(CONFIG)]
    done = command([*args, "--maintainer"] if case.spec.get("maintainer") else args, tmp)
    report = _parse_json(done.stdout)
    findings = report["findings"] if isinstance(report, dict) else []
    observed = _findings_observed(done.returncode, findings, done.stdout + done.stderr)
    after = {p.name: p.read_bytes() for p in data.glob("leaderboard_*.json")}
    observed.extra.update(report=report, before=before, after=after, leftovers=sorted(data.glob(".tmp-*")))
    return observed


def run_validate(case: Case, tmp: Path) -> Observed:
    """``validate FILE --format json``, in-process (the same code path as the command line)."""
    from bot.cli.main import main

    paths = inputs(case, tmp)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["validate", *map(str, paths), "--format", "json", "--config", str(CONFIG)])
        except Exception:  # a crash is an outcome to report, not a reason to stop the corpus
            traceback.print_exc()
            code = -1
    report = _parse_json(out.getvalue())
    return _findings_observed(
        code, report if isinstance(report, list) else [], out.getvalue() + err.getvalue()
    )


def run_config(case: Case, tmp: Path) -> Observed:
    """``validate examples/single-gpu.json --config FILE --format json`` as a subprocess."""
    (path,) = inputs(case, tmp)
    done = command(["validate", str(EXAMPLE), "--config", str(path), "--format", "json"], tmp)
    report = _parse_json(done.stdout)
    return _findings_observed(
        done.returncode, report if isinstance(report, list) else [], done.stdout + done.stderr
    )


# ----------------------------------------------------------------------------------- import

HARDWARE = """\
vendor: NVIDIA
chip_model: A100-80GB
chip_count: 1
memory_per_chip_gb: 80
os: Ubuntu 22.04
python_version: "3.11.9"
cuda_version: "12.1"
"""
IMPORT_FLAGS = ("--submitter", "Alice", "--set", "model.parameters=124M", "--set", "model.precision=FP32")


def _run_template() -> dict[str, Any]:
    config = {
        "run_id": "Q1_run",
        "timestamp": "2026-01-28T08:14:23",
        "backend": "cpu",
        "model": "gpt2",
        "model_path": "gpt2",
        "workload": "Q1",
        "dataset": "default",
        "num_samples": 5,
        "versions": {"sagellm_benchmark": "0.3.0.3", "sagellm_core": "0.3.0.5", "sagellm_backend": "0.3.0.6"},
    }
    metrics = {
        "avg_ttft_ms": 45.2,
        "avg_tbt_ms": 3.1,
        "avg_tpot_ms": 3.2,
        "avg_throughput_tps": 80.5,
        "total_requests": 5,
        "successful_requests": 5,
        "failed_requests": 0,
        "error_rate": 0.0,
        "peak_mem_mb": 1146,
    }
    return {
        "config.json": config,
        "Q1_metrics.json": {"metrics": metrics, "timestamp": "2026-01-28T08:15:00", "version": "0.3.0.3"},
        "summary.json": {
            "run_id": "Q1_run",
            "workloads": {"Q1": {"status": "success", "metrics_file": "Q1_metrics.json"}},
        },
    }


def _run_file(name: str, template: dict[str, Any], override: Any) -> str:
    """A file of the run: the template, with a dict merged in (into "metrics" for metrics files)."""
    if override == "HUGE_INT":
        return '{"metrics": {"avg_ttft_ms": ' + "9" * 5000 + "}}"
    if override == "DEEP":
        return "[" * 100_000 + "]" * 100_000
    if isinstance(override, str):
        return override
    value = template[name]
    if isinstance(override, dict):
        target = value["metrics"] if name.endswith("_metrics.json") else value
        target.update(override)
    # "NaN" stands for the bare token, which a JSON expectation cannot hold.
    return json.dumps(value, indent=2).replace('"NaN"', "NaN")


def build_run(case: Case, tmp: Path) -> Path:
    """The run directory (inside ``tmp/tree``) with the case's file overrides and links applied."""
    run = tmp / "tree" / "Q1_run"
    run.mkdir(parents=True)
    template = _run_template()
    overrides: dict[str, Any] = case.spec.get("run_files", {})
    for name in template:
        if name in overrides and overrides[name] is None:
            continue
        (run / name).write_text(_run_file(name, template, overrides.get(name)), encoding="utf-8")
    for link, target in case.spec.get("links", {}).items():
        os.symlink(target, tmp / "tree" / link)
    if case.spec.get("argument_loop"):
        os.symlink("loop", tmp / "loop")
        return tmp / "loop"
    return tmp / "tree" if case.spec.get("tree") else run


def run_import(case: Case, tmp: Path) -> Observed:
    """``import PATH --hardware hw.yaml ... --out-dir tmp/out`` as a subprocess.

    ``extra``: the files written to the output folder (temporary files included).
    """
    path = build_run(case, tmp)
    (tmp / "hw.yaml").write_text(HARDWARE)
    out = tmp / "out"
    args = ["import", str(path), "--hardware", str(tmp / "hw.yaml"), *IMPORT_FLAGS, "--out-dir", str(out)]
    done = command(args, tmp)
    printed = done.stdout + done.stderr
    written = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    return Observed(done.returncode, set(), [printed], printed, {"written": written})


# ------------------------------------------------------------------------------- issue forms


def form_body(case: Case, tmp: Path) -> str:
    """The issue body of a case, rendered as GitHub renders the submitted form."""
    from tests.support.form_render import SINGLE_GPU, render_body

    spec = case.spec
    if "body" in spec:
        return str(spec["body"])
    if "generator" in spec:
        return inputs(case, tmp)[0].read_text("utf-8")
    values: dict[str, Any] = {**SINGLE_GPU, **spec.get("form", {})}
    paste = spec.get("paste")
    if "paste_entry" in spec:
        paste = json.dumps(example(**spec["paste_entry"]), indent=2)
    if paste is not None:
        values = dict.fromkeys(SINGLE_GPU) | {"confirm": SINGLE_GPU["confirm"], "entry": paste}
    if "inject" in spec:
        values.update(dict.fromkeys(injectable(SINGLE_GPU), spec["inject"]))
    return render_body(values, spec.get("newline", "\n"))


def injectable(values: Mapping[str, Any]) -> list[str]:
    """The free-text fields of the form (text values that are not numbers and not dropdowns)."""
    from tests.support.form_render import form

    dropdowns = {item["id"] for item in form()["body"] if item["type"] == "dropdown"}
    found = []
    for key, value in values.items():
        if key in dropdowns or not isinstance(value, str):
            continue
        with contextlib.suppress(ValueError):
            float(value)
            continue
        found.append(key)
    return found


def run_issue_form(case: Case, tmp: Path) -> Observed:
    """The issue-form pipeline in-process, exactly as ``bot.github.issue.submit_issue`` runs it.

    ``extra``: the built entry (or None), the comment the bot would post, and the planned writes.
    """
    from bot.contract.config import load_config
    from bot.form.entry import build_submission, reword
    from bot.fs import load_data_dir
    from bot.ledger.evaluate import Submission, evaluate
    from bot.ledger.submission import Submitter
    from bot.render.comment import CommentContext, render

    config, _ = load_config(str(CONFIG), CONFIG.read_bytes())
    body = form_body(case, tmp)
    submission = build_submission(body, repo="sage/leaderboard", number=7, author="alice", config=config)
    base, base_findings = load_data_dir(str(DATA), config)
    documents = [submission.document] if submission.document is not None else []
    outcome = evaluate(
        base,
        Submission(
            documents, submitter=Submitter("alice"), load_findings=[*submission.findings, *base_findings]
        ),
        config,
        now=NOW,
    )
    outcome.findings = reword(outcome.findings, submission)
    comment = render(outcome, CommentContext(f"leaderboard-bot submit {submission.path} --dry-run"))
    shown = [f for f in outcome.findings if f.waived is None]
    code = 1 if outcome.errors or submission.document is None else 0
    entry = submission.document.data if submission.document is not None else None
    observed = Observed(code, {f.rule for f in shown}, [f.message for f in shown], comment)
    observed.extra.update(entry=entry, comment=comment, texts=outcome.merge.texts)
    return observed


# ---------------------------------------------------------------------------- the stand-in


def plain_comment(body: str) -> str:
    """A bot comment as a reader sees it: Markdown escapes, entities and zero-width spaces removed."""
    return html.unescape(_MD_ESCAPED.sub(r"\1", body)).replace("\u200b", "")


def comment_rules(body: str) -> set[str]:
    """The rule ids a bot comment names, as ``(LB401)``."""
    return set(_COMMENT_RULE.findall(plain_comment(body)))


def main_state(stage: Any) -> tuple[str | None, dict[str, bytes | None]]:
    """The base branch's head and its data files' bytes."""
    from tests.support.bot_stage import REPO

    names = ("data/leaderboard_single.json", "data/leaderboard_multi.json")
    return stage.srv.ref_sha(REPO, "main"), {n: stage.srv.read_file(REPO, n, "main") for n in names}


def run_issue_e2e(case: Case, tmp: Path, stage: Any) -> Observed:
    """Open a labelled issue with the case's body and deliver ``issues.opened``.

    ``extra``: the bot's comment on the issue and the number of pull requests afterwards.
    """
    from tests.support.bot_stage import REPO

    number = stage.open_issue(form_body(case, tmp))
    run = stage.issue_event(number, "opened")
    comments = stage.bot_comments(number)
    body = comments[0]["body"] if comments else ""
    pulls = stage.srv.api("admin").get(f"/repos/{REPO}/pulls", state="all")
    observed = Observed(
        run.code,
        comment_rules(body),
        [plain_comment(body), run.summary, run.stderr],
        run.summary + run.stderr,
    )
    observed.extra.update(comment=body, pulls=len(pulls))
    return observed


def _pr_file(spec: Mapping[str, Any]) -> Any:
    """The stand-in file value a pull-request file spec describes."""
    from tests.support.bot_stage import as_file
    from tests.support.standin import Submodule, Symlink

    if "entry" in spec:
        return as_file(example(**spec["entry"]))
    if "text" in spec:
        return spec["text"]
    if "symlink" in spec:
        return Symlink(spec["symlink"])
    if "submodule" in spec:
        return Submodule(spec["submodule"])
    if "copy" in spec:
        return (ROOT / spec["copy"]).read_bytes()
    if spec.get("delete"):
        return None
    return PR_FILE_GENERATORS[spec["generator"]]()


def _single_with_changed_third() -> str:
    entries = published()
    entries[3]["metrics"]["ttft_ms"] = 1.0
    return dump(entries)


def _new_entry_with_third_id() -> str:
    entry = published()[3]
    entry["workload"]["batch_size"] = 77
    return dump(entry)


PR_FILE_GENERATORS: dict[str, Callable[[], str]] = {
    "six_megabyte_entry": lambda: dump(example(metadata__notes="x" * 6 * 1024 * 1024)),
    "single_with_changed_third": _single_with_changed_third,
    "new_entry_with_third_id": _new_entry_with_third_id,
}


def _pr_step(stage: Any, number: int, step: Mapping[str, Any], files: Mapping[str, Any]) -> Any:
    from tests.support.bot_stage import REPO

    kind = step["do"]
    if kind == "pr_event":
        return stage.pr_event(number)
    if kind == "comment":
        stage.srv.comment(REPO, number, step["body"], author=step["author"])
        return None
    if kind == "approve":
        return stage.approve(number, step["reviewer"])
    head = stage.srv.pull(REPO, number)["head"]["sha"]
    if kind == "approve_stale":  # push one more commit, then approve the one before it
        path = next(iter(files))
        stage.srv.commit(
            REPO, "results", {path: _pr_file({"entry": {"metrics__ttft_ms": 1.5}})}, author="alice"
        )
        return stage.approve(number, step["reviewer"], commit_id=head)
    if kind == "fake_review":  # reviews GitHub itself refuses to create (own PR, bots): payload only
        user = {"login": step["login"], "type": step["type"]}
        review = {"id": 1, "state": "APPROVED", "commit_id": head, "user": user, "body": ""}
        return stage.deliver("pull_request_review", stage.review_payload(review, number))
    raise ValueError(f"unknown step {kind!r}")


def run_pr(case: Case, stage: Any) -> Observed:
    """Open the case's pull request on the stand-in and play its steps (events, comments, reviews).

    ``extra``: the PR's number, whether it merged, the bot's comments and all comments.
    """
    from tests.support.bot_stage import REPO

    files = {path: _pr_file(spec) for path, spec in case.spec["files"].items()}
    number = stage.open_pr(files, author=case.spec.get("author", "alice"))
    runs = [_pr_step(stage, number, step, files) for step in case.spec["steps"]]
    run = [r for r in runs if r is not None][-1]
    comments = stage.bot_comments(number)
    body = comments[0]["body"] if comments else ""
    observed = Observed(
        run.code,
        comment_rules(body),
        [plain_comment(body), run.summary, run.stderr],
        run.summary + run.stderr,
    )
    observed.extra.update(
        number=number,
        merged=stage.srv.pull(REPO, number)["merged"],
        bot_comments=comments,
        comments=stage.srv.comments(REPO, number),
    )
    return observed


# ------------------------------------------------------------------------------- file names


def run_pr_files(case: Case) -> Observed:
    """``classify`` over the case's file list (names GitHub would report, as data)."""
    from bot.github.api import PullFile
    from bot.github.pr_files import classify

    files = [
        PullFile(f["filename"], f["status"], None, f.get("previous_filename")) for f in case.spec["files"]
    ]
    result = classify(files)
    observed = Observed(
        1 if result.blocked else 0,
        {f.rule for f in result.blocked},
        [f.message for f in result.blocked],
        "",
    )
    observed.extra.update(submissions=[f.filename for f in result.submissions])
    return observed


# --------------------------------------------------------------------------------- summary


class Recorder:
    """Per-case results in test-output/hostile-results/<run>/ and the summary built from them.

    Each pytest-xdist worker records its own cases; every worker rebuilds the summary when it
    finishes, so the last one to finish writes the complete file.
    """

    def __init__(self, output: Path = OUTPUT) -> None:
        self.output = output
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex
        parent = output / "hostile-results"
        self.directory = parent / run
        self.directory.mkdir(parents=True, exist_ok=True)
        for old in parent.iterdir():
            if old != self.directory and old.is_dir() and time.time() - old.stat().st_mtime > 60:
                shutil.rmtree(old, ignore_errors=True)

    def record(self, case: Case, observed: Observed | None, seconds: float, error: str | None) -> None:
        """Store one case's outcome."""
        result = {
            "case": case.name,
            "channel": case.channel,
            "description": case.spec.get("description", ""),
            "expected_exit": case.exit,
            "exit": observed.exit if observed else None,
            "rules": sorted(observed.rules) if observed else [],
            "passed": error is None,
            "error": error,
            "seconds": round(seconds, 3),
        }
        (self.directory / f"{case.name}.json").write_text(json.dumps(result, ensure_ascii=True, indent=1))

    def write_summary(self, cases: list[Case]) -> Path:
        """test-output/hostile-summary.json: cases and outcomes per channel, and every result."""
        results = []
        for path in sorted(self.directory.glob("*.json")):
            with contextlib.suppress(ValueError, OSError):
                results.append(json.loads(path.read_text()))
        summary = build_summary(cases, results)
        path = self.output / "hostile-summary.json"
        path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path


def build_summary(cases: list[Case], results: list[dict[str, Any]]) -> dict[str, Any]:
    """Figures per channel (cases, ran, passed, exit codes, rule ids) and the fixed-bug regressions."""
    channels: dict[str, dict[str, Any]] = {}
    for name, description in CHANNELS.items():
        channels[name] = {
            "description": description,
            "cases": sum(1 for c in cases if c.channel == name),
            "ran": 0,
            "passed": 0,
            "exit_codes": {},
            "rules": {},
            "seconds": 0.0,
        }
    for result in results:
        figures = channels[result["channel"]]
        figures["ran"] += 1
        figures["passed"] += bool(result["passed"])
        figures["seconds"] = round(figures["seconds"] + result["seconds"], 3)
        exit_code = str(result["exit"])
        figures["exit_codes"][exit_code] = figures["exit_codes"].get(exit_code, 0) + 1
        for rule in result["rules"]:
            figures["rules"][rule] = figures["rules"].get(rule, 0) + 1
    outcomes = {"accepted (0)": 0, "rejected (1)": 0, "refused (2)": 0}
    for result in results:
        label = {0: "accepted (0)", 1: "rejected (1)", 2: "refused (2)"}.get(result["exit"])
        if label:
            outcomes[label] += 1
    return {
        "generated_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "corpus": str(CORPUS.relative_to(ROOT)),
        "cases": len(cases),
        "ran": len(results),
        "passed": sum(1 for r in results if r["passed"]),
        "failed": [r["case"] for r in results if not r["passed"]],
        "outcomes": outcomes,
        "channels": channels,
        "regressions_for_fixed_bugs": sorted(
            c.name for c in cases if "before the fix" in c.spec["description"]
        ),
        "results": sorted(results, key=lambda r: (r["channel"], r["case"])),
    }
