#!/usr/bin/env bash
# Refresh requirements.lock (exact versions with hashes) from pyproject.toml, then pin environment.yml
# to the same versions.  `make lock` runs this, reinstalls from the new lock and runs the tests, so an
# upgrade lands as one reviewed change (the lock's diff) that the whole suite has seen.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
"$BIN/python" -m pip install -q pip-tools
"$BIN/pip-compile" -q --upgrade --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
  --no-emit-find-links --extra dev --extra distributed --all-build-deps -o requirements.lock pyproject.toml
"$BIN/python" scripts/pin_environment.py
