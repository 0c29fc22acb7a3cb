#!/usr/bin/env bash
# The main job: set up the environment, then extract the bundled corpus into outputs/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/ensure_model.sh
exec .venv/bin/crimeie extract corpus/articles -o outputs "$@"
