#!/usr/bin/env bash
# The Action's install step: make "$VENV" an environment that runs this Action's bot.
# On a cache miss (or a restored environment whose interpreter is gone) it bootstraps uv from its
# hash-pinned lock and installs the runtime dependencies with --require-hashes; on a hit it only points
# the environment at this Action's directory, in bash alone: no interpreter starts, no package is
# imported, nothing is probed (the cache key already pins the runner OS, the Python version and the lock).
# Inputs (environment): PYTHON (setup-python's interpreter), VENV, ACTION_PATH, CACHE_HIT.
set -euo pipefail
lock="$ACTION_PATH/requirements"

install() {
  local tools
  tools="$(mktemp -d)"
  "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
    --target "$tools" -r "$lock/uv.txt"
  rm -rf "$VENV"
  "$tools/bin/uv" venv --quiet --python "$PYTHON" "$VENV"
  "$tools/bin/uv" pip install --quiet --python "$VENV/bin/python" --require-hashes -r "$lock/action.txt"
  rm -rf "$tools"
}

# The bot's code comes from this Action's directory, never from the workspace: `-I` keeps the working
# directory (a checkout, possibly with a `bot/` folder of its own) off sys.path; a .pth adds the Action.
# An environment has one site-packages folder (lib/pythonX.Y/site-packages); `-x` on the interpreter
# follows its link to setup-python's Python, so a restored environment whose interpreter is gone fails.
point() {
  local sites=("$VENV"/lib/python3.*/site-packages)
  [ "${#sites[@]}" = 1 ] && [ -d "${sites[0]}" ] && [ -x "$VENV/bin/python" ] || return 1
  printf '%s\n' "$ACTION_PATH" > "${sites[0]}/leaderboard_bot_action.pth"
  printf '#!/bin/sh\nexec "%s" -I -m bot "$@"\n' "$VENV/bin/python" > "$VENV/bin/leaderboard-bot"
  chmod +x "$VENV/bin/leaderboard-bot"
}

if [ "${CACHE_HIT:-}" = "true" ] && point 2>/dev/null; then
  echo "leaderboard-bot: environment restored from the cache"
else
  install
  point
  # Once per fresh environment: fail here, not in the next step, if the bot cannot start.
  "$VENV/bin/python" -I -c "import bot"
  echo "leaderboard-bot: environment installed"
fi
