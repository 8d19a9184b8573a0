#!/usr/bin/env bash
# The report of the largest generated estate: generates it (`kiro-org generate --largest`),
# runs `kiro-org report` on it under /usr/bin/time and prints the wall time, CPU time, peak
# memory and the size of the HTML written (the targets: under 3 s and under 10 MB).
#
#   scripts/bench-report.sh            # builds the release binary first
#   KIRO_ORG=path/to/kiro-org ESTATE=/tmp/largest.json scripts/bench-report.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
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

/usr/bin/time -v "$KIRO_ORG" report "$estate" --out "$work/report.html" 2>"$work/time" >/dev/null
wall="$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$work/time")"
cpu="$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$work/time")"
rss="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time")"
bytes="$(wc -c <"$work/report.html")"
printf 'estate: %s\n' "$estate"
printf 'wall: %s  cpu: %s s  max rss: %d MB  html: %.2f MB\n' \
    "$wall" "$cpu" "$((rss / 1024))" "$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')"
