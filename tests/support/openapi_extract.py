"""Regenerate tests/fixtures/github/openapi/: the operations of GitHub's REST API description that the
stand-in serves, with every component they reference, from the npm package @octokit/openapi.

    npm pack @octokit/openapi            # writes octokit-openapi-<version>.tgz
    .venv/bin/python -m tests.support.openapi_extract octokit-openapi-<version>.tgz
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tarfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from tests.support.paths import FIXTURES

OUT = FIXTURES / "github" / "openapi"
MEMBER = "package/generated/api.github.com.json"
METHODS = ("get", "put", "post", "patch", "delete")


def standin_routes() -> list[tuple[str, tuple[str, ...]]]:
    """The stand-in's werkzeug rules with their methods (``/_raw/`` is its own download path, not the API)."""
    import tests.support.standin.app  # noqa: F401  (importing registers the routes)
    from tests.support.standin.routing import ROUTES

    return [(rule, methods) for rule, methods, _ in ROUTES if not rule.startswith("/_raw/")]


def rule_regex(rule: str) -> re.Pattern[str]:
    """A werkzeug rule as a pattern over OpenAPI path templates (each ``<...>`` matches one ``{...}``)."""
    parts = re.split(r"<[^>]+>", rule.rstrip("/"))
    return re.compile("^" + r"\{[^}]+\}".join(re.escape(p) for p in parts) + "$")


def operations(spec: dict[str, Any]) -> dict[str, list[str]]:
    """OpenAPI path -> methods for every stand-in route."""
    found: dict[str, list[str]] = {}
    for rule, methods in standin_routes():
        pattern = rule_regex(rule)
        for path, item in spec["paths"].items():
            if pattern.match(path):
                for method in methods:
                    if method.lower() in item and method.lower() not in found.setdefault(path, []):
                        found[path].append(method.lower())
    return found


def refs(node: Any) -> Iterator[str]:
    """Every ``$ref`` inside a JSON value."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def extract(spec: dict[str, Any]) -> dict[str, Any]:
    """The description cut down to the stand-in's operations and the components they reach."""
    paths: dict[str, Any] = {}
    for path, methods in sorted(operations(spec).items()):
        item = spec["paths"][path]
        paths[path] = {m: item[m] for m in METHODS if m in methods}
        if "parameters" in item:
            paths[path]["parameters"] = item["parameters"]
    components: dict[str, dict[str, Any]] = {}
    pending = list(refs(paths))
    while pending:
        ref = pending.pop()
        _, _, kind, name = ref.split("/", 3)
        if name in components.get(kind, {}):
            continue
        value = spec["components"][kind][name]
        components.setdefault(kind, {})[name] = value
        pending.extend(refs(value))
    for kind in components:
        components[kind] = dict(sorted(components[kind].items()))
    return {
        "openapi": spec["openapi"],
        "info": {
            **spec["info"],
            "x-extract": "tests/support/openapi_extract.py: the operations the stand-in serves",
        },
        "paths": paths,
        "components": dict(sorted(components.items())),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Write the extract and the package's license next to it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarball", type=Path, help="octokit-openapi-<version>.tgz from `npm pack`")
    args = parser.parse_args(argv)
    with tarfile.open(args.tarball) as tar:
        spec = json.load(tar.extractfile(MEMBER))  # type: ignore[arg-type]
        license_text = tar.extractfile("package/LICENSE").read()  # type: ignore[union-attr]
    OUT.mkdir(parents=True, exist_ok=True)
    cut = extract(spec)
    (OUT / "api.github.com.json").write_text(json.dumps(cut, indent=1, sort_keys=False) + "\n")
    (OUT / "LICENSE.octokit-openapi").write_bytes(license_text)
    count = sum(len([m for m in item if m in METHODS]) for item in cut["paths"].values())
    print(f"wrote {count} operations, {sum(map(len, cut['components'].values()))} components to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
