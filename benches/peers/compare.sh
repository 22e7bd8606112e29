#!/usr/bin/env bash
# rapt against a hand-written SimPy model of login-storm, on this machine.
#
#   bash benches/peers/compare.sh [SIMPY_REPLICATIONS] [RAPT_REPLICATIONS]
#
# Runs the SimPy model (benches/peers/login_storm_simpy.py, one core: SimPy is single-threaded)
# and `rapt simulate scenarios/bench/login-storm.yaml` (on one thread, then on all cores),
# checks that both report the same mean figures, and prints the time per replication and the
# ratio. Needs python3 with simpy (`pip install simpy`).
set -euo pipefail
cd "$(dirname "$0")/../.."
simpy_reps="${1:-50}"
rapt_reps="${2:-1000}"

python3 -c 'import simpy' 2>/dev/null || { echo "simpy is missing: pip install simpy" >&2; exit 1; }
cargo build --release --quiet
rapt=target/release/rapt
scenario=scenarios/bench/login-storm.yaml

simpy_json="$(python3 benches/peers/login_storm_simpy.py --replications "$simpy_reps")"

time_rapt() { # threads -> nanoseconds for rapt_reps replications
  local start end
  start=$(date +%s%N)
  "$rapt" simulate "$scenario" -n "$rapt_reps" -j "$1" -q --format json > /tmp/rapt-peer.json
  end=$(date +%s%N)
  echo $((end - start))
}
one=$(time_rapt 1)
all=$(time_rapt "$(nproc)")

python3 - "$simpy_json" "$one" "$all" "$rapt_reps" <<'PY'
import json, sys
simpy = json.loads(sys.argv[1])
one, allc, reps = float(sys.argv[2]) / 1e9, float(sys.argv[3]) / 1e9, int(sys.argv[4])
rapt = json.load(open("/tmp/rapt-peer.json"))["summary"]["pools"][0]
print(f"same model? mean blocked attempts: simpy {simpy['blocked_mean']:.0f}, rapt {rapt['blocked_attempts_total']:.0f};"
      f" gave up: simpy {simpy['gave_up_mean']:.0f}, rapt {rapt['gave_up_total']:.0f}")
s = simpy["seconds_per_replication"]
print(f"{simpy['program']}: {s*1e3:.1f} ms per replication ({simpy['replications']} replications, one core)")
print(f"rapt, 1 thread:  {one/reps*1e3:.3f} ms per replication ({reps} replications) -> {s/(one/reps):.0f}x SimPy")
print(f"rapt, all cores: {allc/reps*1e3:.3f} ms per replication ({reps} replications) -> {s/(allc/reps):.0f}x SimPy")
PY
