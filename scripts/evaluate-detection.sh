#!/usr/bin/env bash
# Detection quality on seeds never used while tuning (tuning used seeds 1 and 2):
# every scenario × seeds 101-103, each simulated, imported, ingested with
# --decisions into its own SQLite file, the simulated vendor report (if any)
# imported, its campaigns listed, then one `tripline eval` report (decisions,
# campaigns and their attribution).
#   bash scripts/evaluate-detection.sh [OUT_DIR]   (default: eval-out/)
# SEEDS and SCENARIOS choose the runs; ACCOUNTS and DAYS the size (default:
# the simulator's 3,000 accounts × 30 days), e.g. a week of data:
#   SEEDS=903 SCENARIOS=mixed ACCOUNTS=3000 DAYS=7 bash scripts/evaluate-detection.sh out
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-eval-out}"
seeds="${SEEDS:-101 102 103}"
scenarios="${SCENARIOS:-recovery-abuse password-spray mfa-fatigue aitm-phishing mixed}"
size=()
if [ -n "${ACCOUNTS:-}" ]; then size+=(--accounts "$ACCOUNTS"); fi
if [ -n "${DAYS:-}" ]; then size+=(--days "$DAYS"); fi
mkdir -p "$out"
runs=()
for seed in $seeds; do
  for scenario in $scenarios; do
    dir="$out/$scenario-$seed"
    rm -rf "$dir"
    ./bin/tripline simulate --scenario "$scenario" --seed "$seed" ${size[@]+"${size[@]}"} --out "$dir" >&2
    ./bin/tripline directory import "$dir/directory.ndjson" --db "sqlite:$dir/tripline.db" >&2
    ./bin/tripline ingest "$dir/events.ndjson" --db "sqlite:$dir/tripline.db" --decisions "$dir/decisions.ndjson" >&2
    # The vendor report on an attributed actor arrives after the events (decisions are already written).
    if [ -f "$dir/threat-intel.json" ]; then
      ./bin/tripline intel import "$dir/threat-intel.json" --db "sqlite:$dir/tripline.db" >&2
    fi
    ./bin/tripline campaigns --json --db "sqlite:$dir/tripline.db" --events-out "$dir/campaign-events.ndjson" > "$dir/campaigns.json"
    runs+=("$dir")
  done
done
./bin/tripline eval "${runs[@]}"
