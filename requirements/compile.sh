#!/usr/bin/env bash
# Regenerate the hash-pinned locks from pyproject.toml (run after changing its dependencies):
#   requirements/action.txt  the runtime dependencies, every wheel hash of every platform (universal)
#   requirements/uv.txt      the installer the Action bootstraps on a cache miss
#   requirements/release.txt the release job's build tools (build, twine, setuptools), for Python 3.11
#   requirements/build.txt   the build backend (setuptools) that tests/run.sh builds the package with
#   requirements/dev.txt     everything tests/run.sh installs: the runtime dependencies, the dev extra
#                            and the build backend (universal, so a fresh machine with any Python >= 3.10
#                            gets the same versions CI tested)
# Needs uv (`pip install uv`) and the network; commit every file.
set -euo pipefail
cd "$(dirname "$0")/.."
UV="${UV:-uv}"
SETUPTOOLS=$(grep -v '^#' requirements/build.in)  # the build backend's pin, for every lock that needs it
"$UV" pip compile pyproject.toml --universal --python-version 3.10 --generate-hashes \
  --custom-compile-command "bash requirements/compile.sh" -o requirements/action.txt
echo "uv==${UV_VERSION:-0.13.9}" | "$UV" pip compile - --universal --python-version 3.10 --generate-hashes \
  --custom-compile-command "bash requirements/compile.sh" -o requirements/uv.txt
printf '%s\n' "build==1.6.1" "twine==7.0.0" "$SETUPTOOLS" \
  | "$UV" pip compile - --python-version 3.11 --python-platform linux --generate-hashes \
  --custom-compile-command "bash requirements/compile.sh" -o requirements/release.txt
echo "$SETUPTOOLS" | "$UV" pip compile - --universal --python-version 3.10 --generate-hashes \
  --custom-compile-command "bash requirements/compile.sh" -o requirements/build.txt
"$UV" pip compile pyproject.toml requirements/build.in --extra dev --universal --python-version 3.10 \
  --generate-hashes --custom-compile-command "bash requirements/compile.sh" -o requirements/dev.txt
