"""The Python contender of `cargo xtask bench`: `requests`, one Session per
thread (keep-alive), closed loop, warm-up then a fixed measuring window.

Usage: BENCH_TOKEN=... python load.py --url URL [--accept MEDIA_TYPE] --concurrency N --warmup S --duration S
Prints one JSON object: requests, errors, seconds, p50_us, p99_us,
cpu_us_per_request (the CPU time of this process per request).
"""

import argparse
import json
import math
import os
import sys
import threading
import time

import requests


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--accept", default="application/json")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--duration", type=float, default=3.0)
    args = parser.parse_args()
    headers = {
        "Authorization": "Bearer " + os.environ["BENCH_TOKEN"],
        "Accept": args.accept,
    }

    start = time.perf_counter() + 0.2  # all threads start together
    measure_from = start + args.warmup
    end = measure_from + args.duration
    results = []
    lock = threading.Lock()

    def worker() -> None:
        session = requests.Session()
        latencies = []
        errors = 0
        while time.perf_counter() < start:
            time.sleep(0.001)
        while True:
            sent = time.perf_counter()
            if sent >= end:
                break
            try:
                response = session.get(args.url, headers=headers)
                ok = response.status_code == 200 and response.json() is not None
            except Exception:  # noqa: BLE001 - any failure counts as an error
                ok = False
            if sent >= measure_from:
                if ok:
                    latencies.append(time.perf_counter() - sent)
                else:
                    errors += 1
        session.close()
        with lock:
            results.append((latencies, errors))

    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    while time.perf_counter() < measure_from:
        time.sleep(0.005)
    cpu_before = time.process_time()
    while time.perf_counter() < end:
        time.sleep(0.005)
    cpu_after = time.process_time()
    for thread in threads:
        thread.join()

    latencies = sorted(l for ls, _ in results for l in ls)
    errors = sum(e for _, e in results)

    def percentile(q: float) -> float:
        if not latencies:
            return 0.0
        rank = min(max(math.ceil(q * len(latencies)), 1), len(latencies))
        return latencies[rank - 1] * 1e6

    count = len(latencies)
    json.dump(
        {
            "requests": count,
            "errors": errors,
            "seconds": args.duration,
            "p50_us": percentile(0.50),
            "p99_us": percentile(0.99),
            "cpu_us_per_request": (cpu_after - cpu_before) * 1e6 / count if count else None,
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
