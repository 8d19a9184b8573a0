#!/usr/bin/env bash
# The test command: installs what the tests drive (the AWS CLI, moto, botocore into .venv;
# iam-simulate from npm for the policy engine's differential tests), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-deps.sh
cargo test --workspace --all-targets --locked --no-fail-fast 2>&1
