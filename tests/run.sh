#!/usr/bin/env bash
# Set up a fresh environment from the repository's own files and run every check:
# ruff (lint + format), mypy, the documentation staleness checks and the pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
# Wheels of the package and its runtime dependencies, for the tests that install it the way a user
# does (the pre-commit hooks) without reaching the network.
rm -rf .venv/wheelhouse
.venv/bin/python -m pip wheel -q --disable-pip-version-check -w .venv/wheelhouse . "setuptools>=77"
# The Action's hash-pinned wheels (and uv), for the act tier's installs without the network.
.venv/bin/python -m pip download -q --disable-pip-version-check --require-hashes --no-deps --only-binary :all: \
  -d .venv/wheelhouse -r requirements/action.txt -r requirements/uv.txt

# The page tests drive Debian's Chromium; Playwright's own browser download cannot work offline.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "warning: could not install chromium; page tests will fail" >&2
  fi
fi

.venv/bin/ruff check bot tests benchmarks
.venv/bin/ruff format --check bot tests benchmarks
.venv/bin/mypy
.venv/bin/lint-imports --no-cache  # the import rules of docs/ARCHITECTURE.md
.venv/bin/python -m pytest -n 2 "$@"
