"""Real webhook payloads (octokit/webhooks examples): load, patch chosen fields, validate against schemas."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from tests.support.paths import WEBHOOKS

# Derived examples: the upstream set has no ``pull_request.edited`` example; it is opened + changes.
# Events the bundled octokit examples lack, derived from a close one; make_payload validates each
# against its own schema (an issue's `closed` needs the closed state, set by the caller's changes).
DERIVED = {
    ("pull_request", "edited"): ("opened", {"action": "edited", "changes": {}}),
    ("issues", "closed"): ("opened", {"action": "closed"}),
    ("issues", "reopened"): ("opened", {"action": "reopened"}),
    ("issues", "unlabeled"): ("labeled", {"action": "unlabeled"}),
}


def webhooks_root() -> Path:
    """The bundled octokit/webhooks payload examples and schemas (``tests/fixtures/github/webhooks``)."""
    return WEBHOOKS


def list_examples(event: str | None = None) -> list[tuple[str, str]]:
    """(event, example name) pairs available on disk, e.g. ``("pull_request", "opened.with-null-body")``."""
    root = webhooks_root() / "payload-examples"
    out = []
    for path in sorted(root.glob(f"{event or '*'}/*.json")):
        name = path.name.removesuffix(".json").removesuffix(".payload")
        out.append((path.parent.name, name))
    return out


def load_payload(event: str, name: str) -> dict[str, Any]:
    """A fresh deep copy of an example payload (``name`` like ``opened`` or ``opened.with-null-body``)."""
    if (event, name) in DERIVED and (event, name) not in list_examples(event):
        base, patch = DERIVED[(event, name)]
        payload = load_payload(event, base)
        payload.update(copy.deepcopy(patch))
        return payload
    folder = webhooks_root() / "payload-examples" / event
    for candidate in (folder / f"{name}.payload.json", folder / f"{name}.json"):
        if candidate.is_file():
            return copy.deepcopy(_read(candidate))
    raise FileNotFoundError(f"no payload example {event}/{name}")


@cache
def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _split(path: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in path.split(".")]


def patch_payload(
    payload: dict[str, Any], changes: dict[str, Any], *, create: bool = False
) -> dict[str, Any]:
    """Set dotted-path fields (``pull_request.head.sha``; list indices as numbers) in place.

    Only fields that already exist may be set unless ``create`` is true, so a typo cannot silently
    add a field the real payload never has.
    """
    for dotted, value in changes.items():
        parts = _split(dotted)
        node: Any = payload
        for i, part in enumerate(parts[:-1]):
            if isinstance(part, str) and part not in node:
                if not create:
                    raise KeyError(".".join(str(p) for p in parts[: i + 1]))
                node[part] = {}
            node = node[part]
        last = parts[-1]
        if isinstance(last, str) and last not in node and not create:
            raise KeyError(dotted)
        node[last] = copy.deepcopy(value)
    return payload


def schemas_root() -> Path:
    """The ``payload-schemas`` folder."""
    return webhooks_root() / "payload-schemas"


def _retrieve(uri: str) -> Resource[Any]:
    path = (schemas_root() / uri).resolve()
    if schemas_root().resolve() not in path.parents:
        raise FileNotFoundError(uri)
    return Resource.from_contents(_read(path), default_specification=DRAFT7)


@cache
def registry() -> Registry[Any]:
    """A registry that loads ``common/...`` (and any relative) refs from disk on demand."""
    return Registry(retrieve=_retrieve)  # type: ignore[call-arg]  # referencing's attrs init


def schema_for(event: str, action: str | None) -> dict[str, Any]:
    """The schema of an event/action (``push`` has a single ``event`` schema)."""
    folder = schemas_root() / event
    name = f"{action}.schema.json" if action else "event.schema.json"
    schema: dict[str, Any] = _read(folder / name)
    return schema


def validator(event: str, action: str | None) -> jsonschema.Draft7Validator:
    """A draft-07 validator with format checks and on-disk ``$ref`` resolution."""
    schema = schema_for(event, action)
    return jsonschema.Draft7Validator(
        schema, registry=registry(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def payload_errors(event: str, payload: dict[str, Any]) -> list[str]:
    """Schema violations of a payload, as readable strings (empty when valid)."""
    action = payload.get("action") if isinstance(payload.get("action"), str) else None
    errors = validator(event, action).iter_errors(payload)
    return [f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in errors]


def validate_payload(event: str, payload: dict[str, Any]) -> None:
    """Raise ``AssertionError`` listing every schema violation of the payload."""
    errors = payload_errors(event, payload)
    if errors:
        raise AssertionError(f"{event} payload does not match its schema:\n" + "\n".join(errors[:20]))


def make_payload(event: str, name: str, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """Load an example, patch chosen fields and validate the result."""
    payload = patch_payload(load_payload(event, name), changes or {})
    validate_payload(event, payload)
    return payload


def _repo_changes(repo_full_name: str) -> dict[str, Any]:
    owner, name = repo_full_name.split("/")
    return {"repository.full_name": repo_full_name, "repository.name": name, "repository.owner.login": owner}


def pull_request_event(
    action: str, pull: dict[str, Any], sender: str, name: str | None = None
) -> dict[str, Any]:
    """A ``pull_request`` payload whose identifying fields come from a stand-in PR (``srv.pull(...)``)."""
    head, base = pull["head"], pull["base"]
    changes = {
        "number": pull["number"],
        "pull_request.number": pull["number"],
        "pull_request.title": pull["title"],
        "pull_request.body": pull["body"],
        "pull_request.user.login": pull["user"]["login"],
        "pull_request.created_at": pull["created_at"],  # the stand-in PR's, as the API says it
        "pull_request.draft": pull["draft"],
        "pull_request.head.sha": head["sha"],
        "pull_request.head.ref": head["ref"],
        "pull_request.head.label": head["label"],
        "pull_request.head.repo.full_name": head["repo"]["full_name"],
        "pull_request.base.sha": base["sha"],
        "pull_request.base.ref": base["ref"],
        "pull_request.base.repo.full_name": base["repo"]["full_name"],
        "sender.login": sender,
        **_repo_changes(base["repo"]["full_name"]),
    }
    return make_payload("pull_request", name or action, changes)


def review_event(review: dict[str, Any], pull: dict[str, Any], sender: str | None = None) -> dict[str, Any]:
    """A ``pull_request_review.submitted`` payload for a stand-in review (webhook state is lower-case)."""
    changes = {
        "review.id": review["id"],
        "review.state": str(review["state"]).lower(),
        "review.commit_id": review["commit_id"],
        "review.user.login": review["user"]["login"],
        "review.body": review["body"] or None,
        "pull_request.number": pull["number"],
        "pull_request.draft": pull["draft"],
        "pull_request.head.sha": pull["head"]["sha"],
        "pull_request.head.ref": pull["head"]["ref"],
        "pull_request.base.ref": pull["base"]["ref"],
        "pull_request.user.login": pull["user"]["login"],
        "pull_request.created_at": pull["created_at"],
        "sender.login": sender or review["user"]["login"],
        **_repo_changes(pull["base"]["repo"]["full_name"]),
    }
    return make_payload("pull_request_review", "submitted", changes)


def issue_comment_event(
    comment: dict[str, Any], issue: dict[str, Any], repo_full_name: str
) -> dict[str, Any]:
    """An ``issue_comment.created`` payload for a stand-in comment on a stand-in issue."""
    changes = {
        "comment.id": comment["id"],
        "comment.body": comment["body"],
        "comment.user.login": comment["user"]["login"],
        "comment.user.type": comment["user"]["type"],
        "issue.number": issue["number"],
        "issue.title": issue["title"],
        "issue.body": issue["body"],
        "issue.user.login": issue["user"]["login"],
        "sender.login": comment["user"]["login"],
        "sender.type": comment["user"]["type"],
        **_repo_changes(repo_full_name),
    }
    return make_payload("issue_comment", "created", changes)
