#!/usr/bin/env bash
# The trained default pipeline ships under models/crimeie-default; nothing to build when present.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f models/crimeie-default/config.cfg ]; then
  echo "ensure_model: models/crimeie-default is missing; extraction uses the rule pipeline (run 'crimeie train' to build it)" >&2
fi
