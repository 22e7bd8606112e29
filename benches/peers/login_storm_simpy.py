#!/usr/bin/env python3
"""login-storm (MODEL.md, canonical workloads) as a hand-written SimPy model.

The same workload as scenarios/bench/login-storm.yaml, with the same rules as rapt's workday
engine: 9,600 workers log in at Normal(08:00, 45 min) clipped to the day; a session lasts
LogNormal(median 7.5 h, sigma 0.35) and ends at midnight at the latest; 7,000 tunnels; a blocked
attempt retries after Exponential(mean 5 min), at most 3 retries, then the worker gives up.

Prints one JSON line: replications, seconds per replication, and the mean figures, so
compare.sh can check that both programs compute the same thing before comparing their speed.
"""

import argparse
import json
import math
import random
import time

import simpy

DAY = 24 * 3600.0
WORKERS = 9600
TUNNELS = 7000
LOGIN_MEAN, LOGIN_SD = 8 * 3600.0, 45 * 60.0
SESSION_MEDIAN, SESSION_SIGMA = 7.5 * 3600.0, 0.35
BACKOFF_MEAN = 5 * 60.0
MAX_RETRIES = 3


def replication(seed):
    rng = random.Random(seed)
    env = simpy.Environment()
    tunnels = simpy.Container(env, capacity=TUNNELS, init=TUNNELS)
    stats = {"attempts": 0, "blocked": 0, "gave_up": 0, "active": 0, "peak": 0}

    def worker():
        login = min(max(rng.gauss(LOGIN_MEAN, LOGIN_SD), 0.0), DAY)
        length = SESSION_MEDIAN * math.exp(SESSION_SIGMA * rng.gauss(0.0, 1.0))
        yield env.timeout(login)
        retries = 0
        while True:
            stats["attempts"] += 1
            if tunnels.level > 0:
                yield tunnels.get(1)
                stats["active"] += 1
                stats["peak"] = max(stats["peak"], stats["active"])
                yield env.timeout(max(min(env.now + length, DAY) - env.now, 0.0))
                stats["active"] -= 1
                yield tunnels.put(1)
                return
            stats["blocked"] += 1
            if retries >= MAX_RETRIES:
                stats["gave_up"] += 1
                return
            retries += 1
            wait = rng.expovariate(1.0 / BACKOFF_MEAN)
            if env.now + wait >= DAY:
                stats["gave_up"] += 1
                return
            yield env.timeout(wait)

    for _ in range(WORKERS):
        env.process(worker())
    env.run(until=DAY)
    return stats


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    runs = [replication(args.seed * 1_000_003 + r) for r in range(args.replications)]
    elapsed = time.perf_counter() - started
    mean = lambda k: sum(r[k] for r in runs) / len(runs)
    print(json.dumps({
        "program": "simpy " + simpy.__version__,
        "replications": args.replications,
        "seconds_per_replication": elapsed / args.replications,
        "peak_sessions_mean": mean("peak"),
        "attempts_mean": mean("attempts"),
        "blocked_mean": mean("blocked"),
        "gave_up_mean": mean("gave_up"),
    }))


if __name__ == "__main__":
    main()
