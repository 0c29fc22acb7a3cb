#!/usr/bin/env bash
# The test job: set up the environment, validate the gold corpus, run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/crimeie gold validate
exec .venv/bin/python -m pytest "$@"
