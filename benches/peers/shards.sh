#!/usr/bin/env bash
# The national scenario with every workday simulated (one replication), run once on all
# cores and once as 4 shards (two at a time on one core each) merged by `rapt merge`; prints
# the times and peak memory and checks that both give the same bytes.
#
#   bash benches/peers/shards.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet
rapt=$PWD/target/release/rapt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed 's/login_simulation: peak_day/login_simulation: every_workday/' \
  scenarios/bench/national.yaml > "$work/national.yaml"
/usr/bin/time -f "one run, all cores: %e s wall, %U s CPU, %M KB peak" \
  "$rapt" simulate "$work/national.yaml" -q --format json -o "$work/one.json"
start=$(date +%s.%N)
printf '%s\n' 1 2 3 4 | xargs -P 2 -I{} /usr/bin/time -f "shard {}/4, 1 thread: %e s wall, %M KB peak" \
  "$rapt" simulate "$work/national.yaml" -q -j 1 --shard {}/4 -o "$work/part-{}.rapt"
/usr/bin/time -f "merge: %e s wall, %M KB peak" \
  "$rapt" merge -q "$work"/part-*.rapt --format json -o "$work/merged.json"
echo "4 shards, two at a time, and the merge: $(echo "$(date +%s.%N) - $start" | bc) s wall"
du -cb "$work"/part-*.rapt | tail -1 | awk '{print "parts: " $1 " bytes"}'
cmp "$work/one.json" "$work/merged.json" && echo "merged output identical to the single run"
