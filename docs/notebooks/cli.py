# Recipe 2: Python drives the CLI (subprocess + --json / --csv), standard library only.
# Run from a clone after `npm ci`: python3 docs/notebooks/cli.py
import csv
import json
import os
import subprocess
import tempfile

HEXPLAN = ["node", "bin/hexplan.js"]  # or ["npx", "hexplan"] where the package is installed


def hexplan(*args):
    done = subprocess.run(HEXPLAN + list(args) + ["--quiet"], capture_output=True, text=True, check=True)
    return done.stdout


# --json: one object whose "schema" says what it is.
result = json.loads(hexplan("simulate", "--policy", "hexagent", "--json"))
assert result["schema"] == "hexplan/simulate-result@1"
print(f"{result['policy']} on {result['cluster']}: p95 scale {result['metrics']['p95']:.4f}")

# --csv: a plot-ready table, one row per policy and mode.
rows = []
with tempfile.TemporaryDirectory() as tmp:
    for mode in ("exact", "realistic"):
        out = os.path.join(tmp, f"compare-{mode}.csv")
        hexplan("compare", "--mode", mode, "--policies", "hexagent,fcfs,least-loaded", "--csv", out)
        with open(out, newline="") as f:
            rows += list(csv.DictReader(f))

print(f"{'mode':<10} {'policy':<14} {'p95':>8} {'p99':>8}")
for r in rows:
    print(f"{r['mode']:<10} {r['policy']:<14} {float(r['p95']):>8.4f} {float(r['p99']):>8.4f}")
assert {r["mode"] for r in rows} == {"exact", "realistic"} and len(rows) == 6
