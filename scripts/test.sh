#!/usr/bin/env bash
# The test command: installs what the tests drive (the AWS CLI, moto, botocore into .venv;
# the policy engine's differential test installs iam-simulate from npm itself), runs every
# test, then the lints the code is kept to.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-deps.sh
cargo test --workspace --all-targets --locked --no-fail-fast 2>&1
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
