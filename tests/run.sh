#!/usr/bin/env bash
# Set up a fresh environment from the repository's own files and run every check:
# ruff (lint + format), mypy, the documentation staleness checks and the pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
PIP=(.venv/bin/python -m pip -q --disable-pip-version-check)
# Every tool and library at the version and hash of requirements/dev.txt (`bash requirements/compile.sh`
# regenerates it): a new release of a linter or a library cannot turn a fresh run red, nor slip in unread.
"${PIP[@]}" install --require-hashes -r requirements/dev.txt
"${PIP[@]}" install --no-deps --no-build-isolation -e .
# Wheels of the package, its runtime dependencies (the Action's hash-pinned ones), uv and the build
# backend, for the tests that install it the way a user does (the pre-commit hooks, the built wheel)
# and for the act tier, all without reaching the network.
rm -rf .venv/wheelhouse
"${PIP[@]}" wheel --no-deps --no-build-isolation -w .venv/wheelhouse .
"${PIP[@]}" download --require-hashes --no-deps --only-binary :all: -d .venv/wheelhouse \
  -r requirements/action.txt -r requirements/uv.txt -r requirements/build.txt

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
