#!/usr/bin/env bash
# The bill side by side with the reference script a FinOps engineer would write
# (../shared/bench/bill.py): generates the largest estate, runs `kiro-org cost --format json`
# and `python3 bill.py` on it under /usr/bin/time, checks that both find the same total, and
# prints the CPU time (user + sys) and peak memory (max RSS) of each, with the ratios.
#
#   scripts/bench-bill.sh            # builds the release binary first
#   KIRO_ORG=path/to/kiro-org ESTATE=/tmp/largest.json scripts/bench-bill.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reference="${BILL_PY:-$root/../shared/bench/bill.py}"
estate="${ESTATE:-${TMPDIR:-/tmp}/kiro-org-bench-largest.json}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ -z "${KIRO_ORG:-}" ]; then
    cargo build --release --locked --quiet --manifest-path "$root/Cargo.toml" --bin kiro-org
    KIRO_ORG="$root/target/release/kiro-org"
fi
if [ ! -s "$estate" ]; then
    "$KIRO_ORG" generate --largest --out "$estate" >/dev/null
fi

# Runs a command under /usr/bin/time -v; stdout to $1.out, the measures to $1.time.
measure() {
    local name="$1"
    shift
    /usr/bin/time -v "$@" >"$work/$name.out" 2>"$work/$name.time"
}
# CPU seconds (user + sys) and max RSS (KiB) of a measured run.
cpu() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$work/$1.time"; }
rss() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$1.time"; }

measure kiro "$KIRO_ORG" cost "$estate" --format json
measure python python3 "$reference" "$estate"

totals="$(python3 - "$work/kiro.out" "$work/python.out" <<'PY'
import json, sys
kiro, python = (json.load(open(p))["total"] for p in sys.argv[1:3])
print(kiro, python)
sys.exit(0 if kiro == python else 1)
PY
)" || { echo "bench-bill: the totals differ (kiro-org, bill.py): $totals" >&2; exit 1; }

kiro_cpu="$(cpu kiro)" python_cpu="$(cpu python)"
kiro_rss="$(rss kiro)" python_rss="$(rss python)"
printf 'estate: %s\n' "$estate"
printf 'total: %s (both)\n' "${totals%% *}"
printf '%-10s %10s %12s\n' "" "cpu (s)" "max rss (MB)"
printf '%-10s %10s %12d\n' "kiro-org" "$kiro_cpu" "$((kiro_rss / 1024))"
printf '%-10s %10s %12d\n' "bill.py" "$python_cpu" "$((python_rss / 1024))"
awk -v kc="$kiro_cpu" -v pc="$python_cpu" -v kr="$kiro_rss" -v pr="$python_rss" 'BEGIN {
    printf "kiro-org is %.1fx faster in CPU time and uses %.2fx the memory of bill.py\n", pc / kc, kr / pr
}'
