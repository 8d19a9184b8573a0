#!/usr/bin/env bash
# Reconciling a 5-million-line CUR 2.0 export, gzip-compressed CSV and Parquet: generates an
# estate and its month's export (about 1% Kiro lines among other services), runs
# `kiro-org reconcile` on each under /usr/bin/time, checks that both find the same bill, and
# prints seconds, MB/s (of the file as stored) and peak memory.
#
#   scripts/bench-reconcile.sh                 # builds the release binary first
#   KIRO_ORG=path/to/kiro-org LINES=5000000 scripts/bench-reconcile.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lines="${LINES:-5000000}"
work="${WORK:-$(mktemp -d)}"
[ -n "${WORK:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"

if [ -z "${KIRO_ORG:-}" ]; then
    cargo build --release --locked --quiet --manifest-path "$root/Cargo.toml" --bin kiro-org
    KIRO_ORG="$root/target/release/kiro-org"
fi
sizes=(--accounts 400 --users 40000 --groups 400 --memberships 80000 --profiles 60 --subscriptions 50000)
for ext in csv.gz parquet; do
    if [ ! -s "$work/cur.$ext" ]; then
        "$KIRO_ORG" generate "${sizes[@]}" --out "$work/estate.yaml" \
            --cur "$work/cur.$ext" --month 2026-03 --cur-lines "$lines" >/dev/null
    fi
done

printf '%-8s %10s %8s %8s %10s %12s\n' format "size (MB)" "seconds" "MB/s" "lines/s" "max rss (MB)"
for ext in csv.gz parquet; do
    file="$work/cur.$ext"
    /usr/bin/time -f '%e %M' -o "$work/$ext.time" \
        "$KIRO_ORG" reconcile "$work/estate.yaml" --cur "$file" --month 2026-03 --format json \
        >"$work/$ext.json"
    read -r seconds rss <"$work/$ext.time"
    bytes="$(stat -c %s "$file")"
    awk -v f="$ext" -v b="$bytes" -v s="$seconds" -v r="$rss" -v n="$lines" 'BEGIN {
        printf "%-8s %10.1f %8.2f %8.1f %10.0f %12d\n", f, b / 1e6, s, b / 1e6 / s, n / s, r / 1024
    }'
done
python3 - "$work/csv.gz.json" "$work/parquet.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for k in ("billed", "modelled", "differences", "duplicates", "idle"):
    assert a[k] == b[k], f"csv.gz and parquet disagree on {k}"
print(f"both: {a['read']['lines']} lines, {a['read']['kiro-lines']} Kiro lines, billed {a['billed']['total']}, "
      f"modelled {a['modelled']['total']}, {len(a['duplicates'])} duplicates, {len(a['idle'])} idle seats, "
      f"{a['unexplained']} unexplained differences")
PY
