"""The optional configuration file ``.github/leaderboard-bot.yml``: rule severities, limits,
thresholds, the merge policy and waivers. Defaults are built in; every mistake in the file is a
finding with its line and a hint, never a traceback."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from bot.contract.document import Document, hygiene
from bot.contract.findings import Finding, Pointer
from bot.contract.hints import did_you_mean, one_edit_apart, show, suggestion
from bot.contract.loader import load_bytes
from bot.contract.locate import key_place
from bot.contract.rules import Options
from bot.contract.ruletable import RULES

DEFAULT_PATH = ".github/leaderboard-bot.yml"
SEVERITIES = ("error", "warning", "off")
POLICIES = ("keep-both", "replace", "reject")
SYNC_SOURCES = ("aggregate", "canonical")
SYNC_KEYS = ("dataset", "revision", "source")
DATASET_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*$")
# What git allows in a ref name (git check-ref-format), and commit SHAs: no "..", "@{", no "/" or
# ".lock" at the end.
REVISION = re.compile(r"^(?!.*\.\.)(?!.*@\{)(?!.*/$)(?!.*\.lock$)(?!/)[^\s~^:?*\[\\]+$")
MSG_UNKNOWN_KEY = "unknown key {key}"
MSG_UNKNOWN_RULE = "unknown rule id {key}"
MSG_BAD_VALUE = "{value} is not a valid value for {key}: expected {expected}"
MSG_NOT_MAPPING = "{key} must be a mapping"
MSG_FIXED_RULE = "rule {key} guards the parser or the merge and cannot be changed"
MSG_SYNC_DATASET = "sync needs dataset: the Hugging Face dataset id, such as owner/name"
MSG_WAIVER = "a waiver needs entry_id (a UUID), rule (an LB id) and a non-empty reason"
# What each part of a waiver must be, said at that part.
MSG_WAIVER_FIELD = {
    "entry_id": "entry_id must be the entry's id as text (a UUID, copied from the data file)",
    "rule": "rule must be one rule id as text, such as LB201 (one waiver per rule)",
    "reason": "reason must say, as text, why the finding is excused",
}
MSG_WAIVER_MISSING = "this waiver has no {key}: " + MSG_WAIVER
HINT_RULE_IDS = (
    "every rule id is listed with what it checks in docs/FIELD_SPECIFICATION.md, section Rules; "
    "`leaderboard-bot docs --out FILE` writes that file"
)

# Each numeric setting: its type and the largest value that still means something (beyond it the checks
# overflow the clock, or no file could reach the limit: GitHub refuses blobs over 100 MB). The parsers
# stop on their own recursion a little above 200 levels (ruamel.yaml's block mappings first), so a
# deeper limit could not be checked, and a file would be said to exceed a depth it does not reach.
MAX_DEPTH_BOUND = 200
_LIMITS: dict[str, tuple[type, int]] = {
    "max_submission_bytes": (int, 100_000_000),
    "max_data_file_bytes": (int, 100_000_000),
    "max_depth": (int, MAX_DEPTH_BOUND),
}
_CHECKS: dict[str, tuple[type, int]] = {
    "memory_tolerance": (float, 1),
    "clock_skew_minutes": (int, 60 * 24 * 366),
}


@dataclass(frozen=True)
class Waiver:
    """An accepted, documented exception: this rule does not fail this entry."""

    entry_id: str
    rule: str
    reason: str
    line: int | None = None


@dataclass(frozen=True)
class SyncSettings:
    """The Hugging Face dataset a sync reads: its id, the revision, and which of its shapes."""

    dataset: str
    revision: str = "main"
    source: str = "aggregate"  # aggregate: the two arrays; canonical: canonical/*.json


@dataclass(frozen=True)
class Config:
    """Effective settings: built-in defaults overlaid with the config file."""

    severities: dict[str, str] = field(default_factory=dict)
    max_submission_bytes: int = 5 * 1024 * 1024
    max_data_file_bytes: int = 64 * 1024 * 1024
    max_depth: int = 32
    options: Options = field(default_factory=Options)
    same_config_policy: str = "keep-both"
    waivers: tuple[Waiver, ...] = ()
    source: str | None = None
    sync: SyncSettings | None = None  # `leaderboard-bot sync`: which Hugging Face dataset to read

    def severity(self, rule_id: str, default: str) -> str:
        """The configured severity of a rule ('off' drops its findings)."""
        return self.severities.get(rule_id, default)


def load_config(name: str, raw: bytes) -> tuple[Config, list[Finding]]:
    """Parse a config file; unusable parts keep their defaults and become findings."""
    result = load_bytes(name, raw, max_bytes=1024 * 1024, max_depth=16, kind="yaml")
    # An empty file, or one of comments only, configures nothing: the defaults hold.
    findings = [f for f in result.findings if f.rule not in ("LB005", "LB006")]
    doc = result.document
    if not findings and any(f.rule == "LB005" for f in result.findings):
        return Config(source=name), []
    if doc is None or findings:
        return Config(source=name), findings
    if not isinstance(doc.data, dict):
        return Config(source=name), [_error(doc, (), MSG_NOT_MAPPING.format(key="the configuration"))]
    parser = _Parser(doc)
    return parser.parse(), parser.findings


class _Parser:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.findings: list[Finding] = []

    def parse(self) -> Config:
        config = Config(source=self.doc.file)
        sections = {"rules": self._rules, "limits": self._limits, "checks": self._checks}
        sections |= {"merge": self._merge, "waivers": self._waivers, "sync": self._sync}
        for key, value in self.doc.data.items():
            handler = sections.get(key)
            if handler is None:
                self._unknown((key,), key, list(sections), MSG_UNKNOWN_KEY)
            else:
                config = handler(config, value, (key,))
        return config

    def _rules(self, config: Config, value: Any, at: Pointer) -> Config:
        severities: dict[str, str] = {}
        for rule_id, level in self._mapping(value, at).items():
            rule = RULES.get(rule_id)
            if rule is None:
                self._unknown_rule((*at, rule_id), rule_id)
            elif not rule.configurable:
                self._add((*at, rule_id), MSG_FIXED_RULE.format(key=rule_id))
            elif level not in SEVERITIES:
                self._bad((*at, rule_id), level, rule_id, " | ".join(SEVERITIES))
            else:
                severities[rule_id] = level
        return replace(config, severities=severities)

    def _limits(self, config: Config, value: Any, at: Pointer) -> Config:
        return replace(config, **self._typed(value, at, _LIMITS))

    def _checks(self, config: Config, value: Any, at: Pointer) -> Config:
        return replace(config, options=replace(config.options, **self._typed(value, at, _CHECKS)))

    def _merge(self, config: Config, value: Any, at: Pointer) -> Config:
        for key, policy in self._mapping(value, at).items():
            if key != "same_config_policy":
                self._unknown((*at, key), key, ["same_config_policy"], MSG_UNKNOWN_KEY)
            elif policy not in POLICIES:
                self._bad((*at, key), policy, key, " | ".join(POLICIES))
            else:
                config = replace(config, same_config_policy=policy)
        return config

    def _sync(self, config: Config, value: Any, at: Pointer) -> Config:
        values: dict[str, str] = {}
        checks = {"dataset": (DATASET_ID, "a dataset id such as owner/name")}
        checks["revision"] = (REVISION, "a branch, tag or commit SHA")
        for key, item in self._mapping(value, at).items():
            if key not in SYNC_KEYS:
                self._unknown((*at, key), key, list(SYNC_KEYS), MSG_UNKNOWN_KEY)
            elif key == "source" and item not in SYNC_SOURCES:
                self._bad((*at, key), item, key, " | ".join(SYNC_SOURCES))
            elif key != "source" and not (isinstance(item, str) and checks[key][0].match(item)):
                self._bad((*at, key), item, key, checks[key][1])
            else:
                values[key] = item
        if "dataset" not in values:
            if isinstance(value, dict) and "dataset" not in value:
                self._add(at, MSG_SYNC_DATASET)
            return config
        return replace(config, sync=SyncSettings(**values))

    def _waivers(self, config: Config, value: Any, at: Pointer) -> Config:
        if not isinstance(value, list):
            self._add(at, "waivers must be a list")
            return config
        waivers = []
        for index, item in enumerate(value):
            waiver = self._waiver(item, (*at, index))
            if waiver is not None:
                waivers.append(waiver)
        return replace(config, waivers=tuple(waivers))

    def _waiver(self, item: Any, at: Pointer) -> Waiver | None:
        if not isinstance(item, dict):
            self._add(at, MSG_WAIVER)
            return None
        for key in item:
            if key not in ("entry_id", "rule", "reason"):
                self._unknown((*at, key), key, ["entry_id", "rule", "reason"], MSG_UNKNOWN_KEY)
        entry_id, rule, reason = item.get("entry_id"), item.get("rule"), item.get("reason")
        if isinstance(rule, str) and rule not in RULES:  # another type is a malformed waiver, below
            self._unknown_rule((*at, "rule"), rule)
            return None
        if isinstance(rule, str) and not RULES[rule].configurable:  # a waiver would switch it off
            self._add((*at, "rule"), MSG_FIXED_RULE.format(key=rule))
            return None
        if not (
            isinstance(entry_id, str) and isinstance(rule, str) and isinstance(reason, str) and reason.strip()
        ):
            self._waiver_fields(item, at)
            return None
        return Waiver(entry_id, rule, reason.strip(), self.doc.locator.position(at)[0])

    def _waiver_fields(self, item: dict[str, Any], at: Pointer) -> None:
        """One finding per missing or malformed part of a waiver, at that part."""
        for key, message in MSG_WAIVER_FIELD.items():
            if key not in item:
                self._add(at, MSG_WAIVER_MISSING.format(key=key))
            elif not isinstance(item[key], str) or not item[key].strip():
                self._add((*at, key), message)

    def _typed(self, value: Any, at: Pointer, spec: dict[str, tuple[type, int]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, item in self._mapping(value, at).items():
            if key not in spec:
                self._unknown((*at, key), key, list(spec), MSG_UNKNOWN_KEY)
                continue
            kind, most = spec[key]
            if isinstance(item, bool) or not isinstance(item, (int, float)) or not 0 <= item <= most:
                noun = "whole number" if kind is int else "number"
                self._bad((*at, key), item, key, f"a {noun} from 0 to {most:,}")
            elif kind is int and not isinstance(item, int):
                self._bad((*at, key), item, key, "a whole number")
            else:
                result[key] = kind(item)
        return result

    def _mapping(self, value: Any, at: Pointer) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        self._add(at, MSG_NOT_MAPPING.format(key=at[-1]))
        return {}

    def _unknown(self, at: Pointer, key: Any, known: list[str], template: str) -> None:
        guess = did_you_mean(key, known)
        hint = f'did you mean "{guess}"?' if guess else f"known: {', '.join(known[:12])}"
        self.findings.append(_error(self.doc, at, template.format(key=show(key)), hint, on_key=True))

    def _unknown_rule(self, at: Pointer, rule_id: Any) -> None:
        # Only a slip of one character ("LB2O5") that fits one rule is guessed: LB999 is as close to LB309
        # as to LB901, and LB20 is one character from LB201 and from LB202.
        typed = str(rule_id).strip().upper()
        near = [typed] if typed in RULES else [known for known in RULES if one_edit_apart(typed, known)]
        hint = f'did you mean "{near[0]}"?' if len(near) == 1 else HINT_RULE_IDS
        message = MSG_UNKNOWN_RULE.format(key=show(rule_id))
        self.findings.append(_error(self.doc, at, message, hint, on_key=True))

    def _bad(self, at: Pointer, value: Any, key: str, expected: str) -> None:
        message = MSG_BAD_VALUE.format(value=show(value), key=key, expected=expected)
        # A choice of words (" | "): name the one meant, as for unknown keys ("keep_both", "warn").
        self._add(at, message + (suggestion(value, expected.split(" | ")) if " | " in expected else ""))

    def _add(self, at: Pointer, message: str, hint: str | None = None) -> None:
        self.findings.append(_error(self.doc, at, message, hint))


def _error(
    doc: Document, at: Pointer, message: str, hint: str | None = None, on_key: bool = False
) -> Finding:
    locator = doc.locator
    line, col = key_place(locator, at) if on_key else locator.position(at)
    finding = hygiene(doc.file, "LB010", message, line, col, at)
    if hint:
        finding.hint = hint
    return finding
