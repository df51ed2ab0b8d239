"""The rule table: stable ids, titles, default severities and fix hints.

Kept free of heavy imports: the config loader, the docs generator and every checker read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.contract.findings import Severity


@dataclass(frozen=True)
class Rule:
    """One rule: what it checks and how to fix a violation."""

    id: str
    name: str
    title: str
    severity: Severity
    hint: str
    # Input-hygiene rules guard the parser itself, and the merge proof the data files: neither can be
    # switched off or downgraded.
    configurable: bool = True
    # Rules the JSON Schema expresses through if/then; the validator reports them under this id.
    in_schema: bool = False

    @property
    def stage(self) -> str:
        """Where the rule is checked: the schema, the rules, or (for the fixed ones) the loader's input
        hygiene (LB0xx) or the merge's proof."""
        if self.in_schema:
            return "schema"
        if self.configurable:
            return "rules"
        return "loader" if self.id.startswith("LB0") else "merge"


_RULES = [
    # Input hygiene (LB0xx).
    Rule(
        "LB001",
        "syntax",
        "The file is not valid JSON or YAML",
        "error",
        "fix the syntax at the reported position: in JSON, `python -m json.tool FILE` shows it; "
        "in YAML, indent with spaces and quote a value that holds `: ` or ` #`",
        False,
    ),
    Rule(
        "LB002",
        "duplicate-key",
        "An object has the same key twice",
        "error",
        "keep one occurrence of the key; JSON readers silently keep only the last",
        False,
    ),
    Rule(
        "LB003",
        "non-finite-number",
        "NaN, Infinity or an out-of-range number",
        "error",
        "write a finite number, or null where the field allows it",
        False,
    ),
    Rule(
        "LB004",
        "encoding",
        "The file is not plain UTF-8",
        "error",
        "save the file as UTF-8 without a byte order mark",
        False,
    ),
    Rule(
        "LB005",
        "empty-file",
        "The file is empty",
        "error",
        "put an entry object or an array of entries in the file, or delete it",
        False,
    ),
    Rule(
        "LB006",
        "top-level",
        "The file does not hold an entry object or an array of entries",
        "error",
        "the top level must be one entry object {...} or an array of entries [...]",
        False,
    ),
    Rule(
        "LB007",
        "too-large",
        "The file is larger than the configured limit",
        "error",
        "split the submission into several files, or raise limits.max_submission_bytes",
        False,
    ),
    Rule(
        "LB008",
        "too-deep",
        "Values are nested deeper than the configured limit",
        "error",
        "entries are at most a few levels deep; flatten the extra data",
        False,
    ),
    Rule(
        "LB009",
        "yaml-feature",
        "A YAML feature that has no JSON equivalent",
        "error",
        "write plain YAML: no anchors/aliases, no custom tags, one document, text keys",
        False,
    ),
    Rule(
        "LB010",
        "config",
        "The configuration file is invalid",
        "error",
        "see the configuration section of the README for the accepted keys",
        False,
    ),
    # Consistency between the deployment shape and the hardware (LB1xx).
    Rule(
        "LB101",
        "config-type-cluster",
        "config_type and cluster disagree",
        "error",
        'single_gpu/multi_gpu entries have "cluster": null; multi_node entries need a cluster object',
        in_schema=True,
    ),
    Rule(
        "LB102",
        "single-gpu-chip-count",
        "single_gpu needs chip_count 1",
        "error",
        "use config_type multi_gpu for several chips on one node",
        in_schema=True,
    ),
    Rule(
        "LB103",
        "multi-chip-count",
        "multi_gpu and multi_node need chip_count of 2 or more",
        "error",
        "use config_type single_gpu for a one-chip run",
        in_schema=True,
    ),
    Rule(
        "LB104",
        "interconnect",
        "The interconnect does not fit the deployment shape",
        "error",
        'single_gpu runs use "None"; multi_node runs name the link (NVLink, HCCS, InfiniBand, RoCE, ...)',
    ),
    Rule(
        "LB105",
        "chips-per-node",
        "multi_node needs hardware.chips_per_node",
        "error",
        "set hardware.chips_per_node to the number of chips in each node",
        in_schema=True,
    ),
    Rule(
        "LB106",
        "comm-version",
        "multi_node needs a real versions.comm",
        "error",
        "set versions.comm to the installed isagellm-comm version (X.Y.Z or X.Y.Z.W)",
        in_schema=True,
    ),
    Rule(
        "LB107",
        "chip-arithmetic",
        "chip_count differs from chips_per_node x node_count",
        "error",
        "chip_count counts the chips of all nodes: chips_per_node x cluster.node_count",
    ),
    Rule(
        "LB108",
        "parallelism",
        "tensor x pipeline x data parallel differs from chip_count",
        "error",
        "the parallelism degrees multiply to the number of chips used",
    ),
    Rule(
        "LB109",
        "vendor-toolkit",
        "A toolkit version of another vendor is set",
        "error",
        "NVIDIA runs set cuda_version and cann_version null; Huawei runs the reverse",
    ),
    Rule(
        "LB110",
        "toolkit-missing",
        "The vendor's toolkit version is missing",
        "warning",
        "set environment.cuda_version (NVIDIA) or environment.cann_version (Huawei)",
    ),
    Rule(
        "LB111",
        "empty-string",
        "An empty string where null is meant",
        "warning",
        'write null for an unknown value, not ""',
    ),
    Rule(
        "LB112",
        "total-memory",
        "total_memory_gb differs from memory_per_chip_gb x chip_count",
        "warning",
        "total_memory_gb is the memory of all chips together",
    ),
    Rule(
        "LB113",
        "lookalike-text",
        "Invisible or bidirectional control characters, or a name mixing scripts",
        "error",
        "retype the text in one script without hidden characters (a Cyrillic а looks like a Latin a); "
        "other scripts are fine in metadata.notes, metadata.submitter and metadata.reproducible_cmd",
    ),
    # Plausibility of the measurements and metadata (LB2xx).
    Rule(
        "LB201",
        "metric-positive",
        "A latency or throughput of zero",
        "error",
        "a run that measured nothing is no result: re-run the benchmark or leave the entry out",
    ),
    Rule(
        "LB202",
        "all-failed",
        "Every request failed (error_rate 1)",
        "error",
        "fix the run so requests succeed; a run where all requests failed is no result",
    ),
    Rule(
        "LB203",
        "future-date",
        "metadata.submitted_at lies in the future",
        "error",
        "use the time of the run or of the submission, in UTC, e.g. 2026-01-28T10:30:00Z",
    ),
    Rule(
        "LB204",
        "git-commit",
        "metadata.git_commit is not a full 40-hex commit SHA",
        "error",
        "use the full SHA from `git rev-parse HEAD`, or null",
    ),
    Rule(
        "LB205",
        "reproducible-cmd",
        "metadata.reproducible_cmd is missing",
        "warning",
        "add the exact command that reproduces the run",
    ),
    Rule(
        "LB206",
        "verified-claim",
        "A submission marks itself verified",
        "warning",
        "only maintainers mark entries verified, after reproducing them; the bot set it to false",
    ),
    Rule(
        "LB207",
        "submitter-claim",
        "An issue-form submission names someone else as its submitter",
        "warning",
        "the submitter of an issue-form submission is the issue's author; the bot set it to you "
        "(leave metadata.submitter out of the pasted entry)",
    ),
    # Relations between entries and files (LB3xx).
    Rule(
        "LB301",
        "duplicate-id-file",
        "The same entry_id twice in one file",
        "error",
        'give each entry a fresh id: python -c "import uuid; print(uuid.uuid4())"',
    ),
    Rule(
        "LB302",
        "duplicate-id",
        "The same entry_id in two files",
        "error",
        "an entry_id is unique across both data files; give the new entry a fresh UUID",
    ),
    Rule(
        "LB303",
        "wrong-data-file",
        "An entry in the wrong data file",
        "error",
        "multi_node entries belong in leaderboard_multi.json, the others in leaderboard_single.json",
    ),
    Rule(
        "LB304",
        "same-configuration",
        "Another entry has the same configuration",
        "warning",
        "nothing to fix if this re-measures the same set-up (merge.same_config_policy decides whether both "
        "stay); say what differs in metadata.notes so readers can tell the runs apart",
    ),
    Rule(
        "LB305",
        "entry-changed",
        "A submission changes an entry that is already published",
        "error",
        "submit a new entry instead; a maintainer merges changes to published entries with "
        "`/leaderboard merge SHA --allow-changes` on the pull request (`submit --maintainer` locally)",
    ),
    Rule(
        "LB306",
        "entry-removed",
        "A submission removes an entry that is already published",
        "error",
        "keep published entries; a maintainer merges removals with `/leaderboard merge SHA --allow-changes` "
        "on the pull request (`submit --maintainer` locally)",
    ),
    Rule(
        "LB307",
        "verified-changed",
        "A submission changes metadata.verified of a published entry",
        "error",
        "keep metadata.verified as published; a maintainer verifies an entry with "
        "`/leaderboard verify ENTRY_ID`",
    ),
    Rule(
        "LB308",
        "merge-proof",
        "The merged data files would not hold each entry exactly once",
        "error",
        "nothing was written; this is a bug of the bot: report it with the submission and the data files",
        False,
    ),
    Rule(
        "LB309",
        "published-twice",
        "The data files already publish an entry more than once, and the merge would keep it so",
        "error",
        "remove the extra copies first (`leaderboard-bot validate data/` lists them as LB301/LB302): "
        "in a pull request that deletes them, merged with `/leaderboard merge SHA --allow-changes`",
        False,
    ),
    Rule(
        "LB310",
        "stale-edit",
        "A change to a published entry was made to an older copy of it",
        "error",
        "merge the base branch into the pull request's branch (or rebase it), make the change again on the "
        "entry as published now and push: the check then shows everything the merge would change",
        False,
    ),
    Rule(
        "LB401",
        "outside-paths",
        "The pull request changes files outside the submission paths",
        "error",
        "a results PR only adds files under data/submissions/ (or edits the two data files); "
        "open a separate PR for other changes",
    ),
    Rule(
        "LB402",
        "not-a-file",
        "A symlink or submodule among the submitted files",
        "error",
        "commit the entry file itself, not a link to it",
    ),
    Rule(
        "LB501",
        "run-import",
        "A benchmark run directory in the pull request could not be imported",
        "error",
        "run `leaderboard-bot import DIR` locally; add import.yaml beside config.json with what the run "
        "does not record (hardware:, set:, engine:)",
    ),
    Rule(
        "LB502",
        "hub-shape",
        "A file is not in the shape sagellm-benchmark publishes to the Hugging Face dataset",
        "error",
        "an aggregate file (hf_data/leaderboard_*.json) is an array of entries, an upload-hf file "
        "(canonical/*_leaderboard.json) one entry with metadata.idempotency_key and canonical_path",
    ),
    Rule(
        "LB503",
        "host-memory",
        "Accelerator memory that sagellm-benchmark took from the host's RAM",
        "warning",
        "set hardware.memory_per_chip_gb to the accelerator's own memory (npu-smi info, nvidia-smi)",
    ),
    Rule(
        "LB504",
        "tool-default",
        "A value sagellm-benchmark writes as a fixed default, not read from the run",
        "warning",
        "check the value against the machine and the run, and correct it if it is wrong",
    ),
    # Physical plausibility against the hardware reference table bot/contract/hardware.json (LB6xx).
    Rule(
        "LB601",
        "decode-floor",
        "TPOT or TBT below the time it takes to read the weights once",
        "warning",
        "every decoded token reads all weights; check the unit (seconds as ms?), that the value is per "
        "token, and model.parameters, precision, chip_model and chip_count",
    ),
    Rule(
        "LB602",
        "decode-ceiling",
        "Throughput above what the memory bandwidth allows for the batch",
        "warning",
        "each running request gains at most one token per read of the weights; check the unit (tokens "
        "per minute?), batch_size, concurrent_requests and chip_count",
    ),
    Rule(
        "LB603",
        "prefill-floor",
        "TTFT below the prefill compute floor",
        "warning",
        "a prefill needs 2 x parameters x prompt tokens FLOPs; check the unit (seconds as ms?), "
        "input_length, prefix_hit_rate and the chip",
    ),
    Rule(
        "LB604",
        "memory-capacity",
        "Peak memory above the chips' total memory",
        "warning",
        "peak_mem_mb is the device memory of all chips together in MB; check the unit and chip_count",
    ),
    Rule(
        "LB605",
        "memory-weights",
        "Peak memory below the size of the weights",
        "warning",
        "the weights alone take this much; check the unit (GB written as MB?), or write 0 when the "
        "peak memory was not measured",
    ),
    Rule(
        "LB606",
        "unit-slip",
        "A number that looks like a unit slip (tokens per minute, seconds as milliseconds)",
        "warning",
        "convert the value: throughput_tps in output tokens per second, latencies in milliseconds",
    ),
    Rule(
        "LB607",
        "rate-consistency",
        "Throughput disagrees with TTFT and TPOT at batch 1 and concurrency 1",
        "warning",
        "one stream yields output_length tokens in TTFT + (output_length - 1) x TPOT; check which of "
        "ttft_ms, tpot_ms and throughput_tps was measured differently",
    ),
    Rule(
        "LB608",
        "outlier",
        "More than 3x better or worse than the median of the same configuration",
        "warning",
        "re-check the run and its configuration; if the difference is real, explain it in metadata.notes",
    ),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}
SCHEMA_RULE = "schema"


def rule_title(rule_id: str) -> str:
    """``LB201 metric-positive`` for a known rule, the id alone otherwise (``schema``, ``form``)."""
    known = RULES.get(rule_id)
    return f"{rule_id} {known.name}" if known else rule_id
