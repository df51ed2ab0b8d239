"""Check recorded stand-in exchanges against GitHub's REST API description (the bundled extract of
@octokit/openapi): each request maps to an operation, its query and body match the operation's parameters
and request schema, each response's status is documented and its body matches the response schema."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, quote

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.support.paths import FIXTURES
from tests.support.standin import LoggedRequest

SPEC_PATH = FIXTURES / "github" / "openapi" / "api.github.com.json"
URI = "urn:github-openapi"
# Path parameters whose values contain slashes (a ref like heads/main, a file path, BASE...HEAD).
SLASHED = {"ref", "path", "basehead"}
# Query parameters every list operation takes that some descriptions leave out: none today; listed here
# (with the reason) if GitHub accepts one the description does not name.
EXTRA_QUERY: dict[str, set[str]] = {}
# Where GitHub's documented behaviour differs from the description, the stand-in follows GitHub:
# (method, template, JSON path of the body) -> why. See tests/support/standin/README.md.
FOLLOWS_GITHUB = {
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/labels", "$"): (
        "a bare array of label names is accepted (documented in the operation's description; the schema "
        "lists only the object forms)"
    ),
}
# Response fields GitHub really sends as null though the schema says string: a label without a description
# (GitHub answers `"description": null`; the description's `label` schemas do not allow it).
NULL_LABEL_DESCRIPTION = re.compile(
    r"(labels\[\d+\]|^\$(\[\d+\])?)\.description: None is not of type 'string'$"
)
# Constraints the description states in prose, not in the schema.
BODY_REQUIRED_FOR = {"REQUEST_CHANGES", "COMMENT"}


@dataclass(frozen=True)
class Operation:
    """One method on one path template of the description."""

    method: str
    template: str
    pattern: re.Pattern[str]
    pointer: str  # JSON pointer of the operation object in the description


@cache
def spec() -> dict[str, Any]:
    """The bundled description with OpenAPI 3.0's ``nullable`` rewritten as JSON Schema."""
    return denull(json.loads(SPEC_PATH.read_text(encoding="utf-8")))


def denull(node: Any) -> Any:
    """``nullable: true`` -> ``null`` allowed (a type list, or ``anyOf`` with null for composed schemas)."""
    if isinstance(node, list):
        return [denull(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: denull(value) for key, value in node.items()}
    if out.pop("nullable", False) is True:
        if "type" in out and isinstance(out["type"], str) and not {"allOf", "anyOf", "oneOf"} & set(out):
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


@cache
def registry() -> Registry:
    """The description as one resource, so ``#/components/...`` references resolve inside it."""
    return Registry().with_resource(URI, Resource(contents=spec(), specification=DRAFT4))


def _pointer(*parts: str) -> str:
    return "".join("/" + quote(p.replace("~", "~0").replace("/", "~1"), safe="") for p in parts)


@cache
def operations() -> list[Operation]:
    """Every operation, most specific template first (literal segments before parameters)."""
    found = []
    for template, item in spec()["paths"].items():
        regex = re.sub(
            r"\\\{(\w+)\\\}",
            lambda m: "(.+)" if m.group(1) in SLASHED else "([^/]+)",
            re.escape(template),
        )
        for method in ("get", "put", "post", "patch", "delete"):
            if method in item:
                pattern = re.compile(f"^{regex}$")
                found.append(Operation(method, template, pattern, _pointer("paths", template, method)))
    found.sort(key=lambda op: (-len(re.sub(r"\{\w+\}", "", op.template)), op.template))
    return found


def find(method: str, path: str) -> Operation | None:
    """The operation a request maps to."""
    for op in operations():
        if op.method == method.lower() and op.pattern.match(path):
            return op
    return None


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = registry().resolver(base_uri=URI).lookup(node["$ref"]).contents
    return node


def _lookup(pointer: str) -> Any:
    return registry().resolver(base_uri=URI).lookup(f"{URI}#{pointer}").contents


def _errors(pointer: str, value: Any) -> Iterator[str]:
    validator = jsonschema.Draft4Validator({"$ref": f"{URI}#{pointer}"}, registry=registry())
    for error in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path)):
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        yield f"{where}: {error.message[:200]}"


def _parameters(op: Operation) -> dict[str, dict[str, Any]]:
    operation = _lookup(op.pointer)
    item = _lookup(_pointer("paths", op.template))
    params = [_resolve(p) for p in [*item.get("parameters", []), *operation.get("parameters", [])]]
    return {p["name"]: p for p in params if p.get("in") == "query"}


def _coerce(value: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "integer" and re.fullmatch(r"-?\d+", value):
        return int(value)
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    return value


def check(entry: LoggedRequest) -> list[str]:
    """Every way one exchange departs from the description (empty when it conforms)."""
    op = find(entry.method, entry.path)
    where = f"{entry.method} {entry.path}"
    if op is None:
        return [f"{where}: no operation in GitHub's description has this method and path"]
    problems: list[str] = []
    params = _parameters(op)
    for name, value in parse_qsl(entry.query, keep_blank_values=True):
        if name not in params and name not in EXTRA_QUERY.get(op.template, set()):
            problems.append(f"{where}: query parameter {name!r} is not documented")
            continue
        if name in params and "schema" in params[name]:
            schema = _resolve(params[name]["schema"])
            validator = jsonschema.Draft4Validator(schema, registry=registry())
            for error in validator.iter_errors(_coerce(value, schema)):
                problems.append(f"{where}: query {name}={value!r}: {error.message}")
    problems += _check_body(op, entry, where)
    responses = _lookup(op.pointer)["responses"]
    status = str(entry.status)
    if status not in responses and status == "404" and isinstance(entry.response, dict):
        # Every operation answers 404 for a resource that is missing or hidden from the caller (GitHub's
        # REST overview), though many list only their success status: the answer must be a basic-error.
        errors = _errors("/components/schemas/basic-error", entry.response)
        problems += [f"{where} -> 404 {e}" for e in errors]
    elif status not in responses and "default" not in responses:
        problems.append(f"{where}: status {status} is not documented (documented: {', '.join(responses)})")
    elif isinstance(entry.response, (dict, list)):
        content = _resolve(responses.get(status) or responses["default"]).get("content", {})
        if "application/json" in content and "schema" in content["application/json"]:
            key = status if status in responses else "default"
            pointer = _response_pointer(op, responses, key)
            errors = [e for e in _errors(pointer, entry.response) if not _github_sends(op, e)]
            problems += [f"{where} -> {status} {e}" for e in errors]
    return problems


def _github_sends(op: Operation, error: str) -> bool:
    """A departure that is GitHub's real behaviour (FOLLOWS_GITHUB, tests/support/standin/README.md)."""
    match = NULL_LABEL_DESCRIPTION.search(error)
    return bool(match) and (match.group(1).startswith("labels") or "/labels" in op.template)


def _response_pointer(op: Operation, responses: dict[str, Any], key: str) -> str:
    response = responses[key]
    if "$ref" in response:
        return response["$ref"].removeprefix("#") + _pointer("content", "application/json", "schema")
    return op.pointer + _pointer("responses", key, "content", "application/json", "schema")


def _check_body(op: Operation, entry: LoggedRequest, where: str) -> list[str]:
    body = _lookup(op.pointer).get("requestBody")
    if entry.body is None:
        if body and body.get("required") and entry.status is not None and entry.status < 400:
            return [f"{where}: the request body is required"]
        return []
    if body is None:
        return [f"{where}: this operation takes no request body"]
    if (op.method, op.template, "$") in FOLLOWS_GITHUB and isinstance(entry.body, list):
        return []
    pointer = op.pointer + _pointer("requestBody", "content", "application/json", "schema")
    problems = [f"{where} body {e}" for e in _errors(pointer, entry.body)]
    review = op.template.endswith("/reviews") and op.method == "post" and isinstance(entry.body, dict)
    if review and entry.body.get("event") in BODY_REQUIRED_FOR and not entry.body.get("body"):
        problems.append(f"{where} body $.body: required when event is {entry.body['event']}")
    return problems


def violations(log: Iterable[LoggedRequest]) -> list[str]:
    """Every departure in a request log, without repeats; fault-injected answers are left out."""
    seen: dict[str, None] = {}
    for entry in log:
        if entry.fault is None and entry.status is not None:
            for problem in check(entry):
                seen.setdefault(problem)
    return list(seen)
