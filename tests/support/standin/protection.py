"""Branch protection and repository rulesets, as GitHub enforces them on direct ref updates.

A protected branch (classic protection) or a ruleset refuses ``PATCH /git/refs/heads/{branch}`` (and the
bot's other ways of moving a branch) with 422, with messages that are not "Update is not a fast forward":

- classic protection: ``Protected branch update failed for refs/heads/{branch}.``
- a ruleset requiring pull requests: ``Repository rule violations found`` with the rule
  ``Changes must be made through a pull request.``
- a ruleset requiring signed commits: ``Repository rule violations found`` with
  ``Commits must have verified signatures.`` (commits the API creates without a signature fail it)

Only an actor on the bypass list (here: a GitHub App's installation token, by slug) may update such a
branch directly; the workflow's GITHUB_TOKEN cannot be added to a bypass list. Retrying never helps.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ApiError
from .model import Repo, Token

KINDS = ("protection", "pull-request", "signatures")
PROTECTED = "Protected branch update failed for refs/heads/{branch}."
RULES = "Repository rule violations found"
RULE_TEXT = {
    "pull-request": "Changes must be made through a pull request.",
    "signatures": "Commits must have verified signatures.",
}


@dataclass(frozen=True)
class Rule:
    """How one branch is protected and who may bypass it (GitHub App slugs)."""

    kind: str
    bypass: tuple[str, ...] = ()


def rules_of(repo: Repo) -> dict[str, Rule]:
    """The protected branches of a repository (kept beside the model; only this module uses them)."""
    if not hasattr(repo, "_protection"):
        repo._protection = {}  # type: ignore[attr-defined]
    rules: dict[str, Rule] = repo._protection  # type: ignore[attr-defined]
    return rules


def protect(repo: Repo, branch: str, kind: str = "protection", bypass: tuple[str, ...] = ()) -> None:
    """Protect ``branch`` (caller holds the world's lock)."""
    if kind not in KINDS:
        raise ValueError(f"unknown protection {kind!r}: one of {', '.join(KINDS)}")
    rules_of(repo)[branch] = Rule(kind, bypass)


def check_update(repo: Repo, ref: str, token: Token | None) -> None:
    """Raise GitHub's 422 when ``token`` may not move ``ref`` directly."""
    if not ref.startswith("refs/heads/"):
        return
    branch = ref[len("refs/heads/") :]
    rule = rules_of(repo).get(branch)
    if rule is None or token is None:
        return  # no rule, or an in-process seed helper (the repository's owner)
    if token.kind == "app" and token.login.removesuffix("[bot]") in rule.bypass:
        return
    if rule.kind == "protection":
        raise ApiError(422, PROTECTED.format(branch=branch))
    raise ApiError(
        422, f"{RULES}\n\n{RULE_TEXT[rule.kind]}\n", [{"code": "custom", "message": RULE_TEXT[rule.kind]}]
    )
