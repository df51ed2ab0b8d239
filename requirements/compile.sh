#!/usr/bin/env bash
# Regenerate the Action's hash-pinned locks from pyproject.toml (run after changing its dependencies):
#   requirements/action.txt  the runtime dependencies, every wheel hash of every platform (universal)
#   requirements/uv.txt      the installer the Action bootstraps on a cache miss
#   requirements/release.txt the release job's build tools (build, twine, setuptools), for Python 3.11
# Needs uv (`pip install uv`) and the network; commit both files.
set -euo pipefail
cd "$(dirname "$0")/.."
UV="${UV:-uv}"
"$UV" pip compile pyproject.toml --universal --python-version 3.10 --generate-hashes \
  --custom-compile-command "bash requirements/compile.sh" -o requirements/action.txt
echo "uv==${UV_VERSION:-0.13.9}" | "$UV" pip compile - --universal --python-version 3.10 --generate-hashes \
  --custom-compile-command "bash requirements/compile.sh" -o requirements/uv.txt
printf '%s\n' "build==1.6.1" "twine==7.0.0" "setuptools==${SETUPTOOLS_VERSION:-80.9.0}" \
  | "$UV" pip compile - --python-version 3.11 --python-platform linux --generate-hashes \
  --custom-compile-command "bash requirements/compile.sh" -o requirements/release.txt
