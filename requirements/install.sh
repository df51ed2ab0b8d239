#!/usr/bin/env bash
# The Action's install step: make "$VENV" an environment that runs this Action's bot.
# On a cache miss (or a restored environment that no longer starts) it bootstraps uv from its hash-pinned
# lock and installs the runtime dependencies with --require-hashes; on a hit it only points the
# environment at this Action's directory, which takes a fraction of a second.
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
point() {
  "$VENV/bin/python" -I -c 'import pathlib, sys, sysconfig
pathlib.Path(sysconfig.get_path("purelib"), "leaderboard_bot_action.pth").write_text(sys.argv[1] + "\n")' \
    "$ACTION_PATH" || return 1
  "$VENV/bin/python" -I -c "import bot" || return 1
  printf '#!/bin/sh\nexec "%s" -I -m bot "$@"\n' "$VENV/bin/python" > "$VENV/bin/leaderboard-bot"
  chmod +x "$VENV/bin/leaderboard-bot"
}

if [ "${CACHE_HIT:-}" = "true" ] && point 2>/dev/null; then
  echo "leaderboard-bot: environment restored from the cache"
else
  install
  point
fi
