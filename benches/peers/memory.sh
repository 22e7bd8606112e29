#!/usr/bin/env bash
# Peak memory (resident set) of `rapt simulate` on Stuttgart at 20, 1,000 and 10,000
# replications, on 64 pools at 1,000 replications, and on the national scenario (one
# replication, peak day), as the operating system counts it (GNU time's %M).
#
#   bash benches/peers/memory.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet
rapt=target/release/rapt
peak() { # label, args... -> "label: N MB, S s"
  local label=$1; shift
  /usr/bin/time -f "%M %e" -o /tmp/rapt-memory.txt "$rapt" "$@" -q --format csv > /dev/null
  read -r kb secs < /tmp/rapt-memory.txt
  echo "$label: $((kb / 1024)) MB peak, ${secs} s"
}
for n in 20 1000 10000; do
  peak "stuttgart, $n replications" simulate scenarios/stuttgart-2020.yaml -n "$n" -j 2
done
pools=$(mktemp --suffix .yaml)
python3 - "$pools" <<'PY'
import sys
lines = ["meta: { name: 64 pools }",
         "run: { start: 2024-01-08, horizon: 5d, seed: 1, replications: 20 }",
         "staff:"]
for i in range(64):
    lines += [f"  g{i}:", "    headcount: 200", "    remote_suitable: 100%",
              '    login: { normal: { mean: "08:00", sd: 40min } }',
              "    session: { lognormal: { median: 7h, sigma: 0.3 } }",
              f"    access: [{{ path: p{i}, enabled: 200 }}]"]
lines.append("paths:")
lines += [f"  p{i}: {{ device: existing, token: none, pool: v{i} }}" for i in range(64)]
lines.append("pools:")
lines += [f"  v{i}: {{ kind: vpn, tunnels: 180 }}" for i in range(64)]
lines.append("policy: { all: { from: 2024-01-08, remote_share: 90% } }")
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
peak "64 pools, 1000 replications" simulate "$pools" -n 1000 -j 2
rm -f "$pools"
peak "national, 1 replication" simulate scenarios/bench/national.yaml -n 1 -j 2
