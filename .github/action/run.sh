#!/usr/bin/env bash
# The step of action.yml: installs the package at the action's own ref into a venv of its
# own, then validates the paths with annotations (--format github); validate writes the
# job summary to $GITHUB_STEP_SUMMARY. Run by the tests as it is here, on a scratch
# workspace.
set -euo pipefail
: "${GITHUB_ACTION_PATH:?the folder of the action (set by GitHub Actions)}"
: "${INPUT_PATHS:?no paths to validate: set the paths input of the action}"
venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/8x8-events-venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "$GITHUB_ACTION_PATH"

shopt -s globstar  # captures/**/*.jsonl; a pattern that matches nothing stays as written
read -r -d '' -a options <<<"${INPUT_ARGS:-}" || true
paths=()
for pattern in $INPUT_PATHS; do
  paths+=("$pattern")
done
exec "$venv/bin/8x8-events" validate --format github --fail-on "${INPUT_FAIL_ON:-invalid,unknown,unreadable}" \
  "${options[@]}" -- "${paths[@]}"
