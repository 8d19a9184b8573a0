#!/usr/bin/env bash
# Installs the Python tools the server's tests drive kiro-org serve with: the AWS CLI (v1),
# moto's server (the differential oracle) and botocore (SigV4 signing of the Kiro subscription
# calls, which no SDK or CLI exposes), and Debian's Chromium and its WebDriver, in which the
# report's browser tests open it. Idempotent: installed packages and a venv that already has
# the pinned versions are left alone.
set -euo pipefail

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    as_root=()
    [ "$(id -u)" -eq 0 ] || as_root=(sudo)
    "${as_root[@]}" apt-get update
    "${as_root[@]}" apt-get install -y chromium chromium-driver
    echo "test-deps: installed chromium and chromium-driver"
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${KIRO_ORG_VENV:-$root/.venv}"
python="${PYTHON:-python3}"

awscli_version="1.46.3"
moto_version="5.2.5"

have() {
    [ -x "$venv/bin/python" ] &&
        "$venv/bin/python" - "$awscli_version" "$moto_version" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
ok = version("awscli") == sys.argv[1] and version("moto") == sys.argv[2]
import botocore, flask  # noqa: F401  (moto's server needs flask)
sys.exit(0 if ok else 1)
PY
}

if have && [ -x "$venv/bin/aws" ] && [ -x "$venv/bin/moto_server" ]; then
    echo "test-deps: $venv is up to date"
    exit 0
fi

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "awscli==$awscli_version" "moto[server]==$moto_version" botocore
echo "test-deps: installed awscli $awscli_version, moto $moto_version into $venv"
