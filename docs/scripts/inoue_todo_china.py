#!/usr/bin/env python3
"""The China table of docs/inoue-todo.md: a full outage of the Yangtze River Delta (every sector
of YRD loses all of its capacity from day 5 for 7, 14, 30 and 60 days) on data/china-2020, with
the shipped defaults and with Inoue & Todo's dynamics (6 days of stock, psi = 1/6, tau = 6,
NoAlt, alpha_max = 1). Prints the ratio indirect / direct loss (runs.csv) per duration. Run
from the repository root after `cargo build --release`:

    python3 docs/scripts/inoue_todo_china.py

About two minutes on two cores. Uses only the Python standard library.
"""
import csv
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("HINTERLAND", os.path.join(ROOT, "target", "release", "hinterland"))
DURATIONS = [7, 14, 30, 60]
SECTORS = [line.split("\t")[1] for line in open(
    os.path.join(ROOT, "data", "china-2020", "x.txt"), encoding="utf-8").read().splitlines()[1:]
    if line.startswith("YRD\t")]

DYNAMICS = {
    "shipped defaults": "Ario(compat: Clean)",
    "Inoue & Todo's dynamics": "Ario(compat: Clean, psi: Some(0.16666666666666666), "
    "inventory_restoration_tau: 6.0, order_type: NoAlt, alpha_base: 1.0, alpha_max: 1.0, "
    "inventory_days: 6.0)",
}


def scenario(dynamics):
    impacts = ",\n".join(f'            ("YRD", "{s}", 1.0)' for s in SECTORS)
    variants = ",\n".join(
        f'        Variant(name: "{d} days", set: [("shocks.lockdown.duration_days", {d})])'
        for d in DURATIONS[1:])
    data = os.path.join(ROOT, "data", "china-2020")
    return f"""Scenario(
    name: "yrd-outage",
    days: 365,
    economy: Mrio(path: "{data}", firms_per_industry: 2, seed: 1),
    dynamics: {dynamics},
    shocks: [CapacityLoss(name: "lockdown", impacts: [
{impacts}
        ], start_day: 5, duration_days: {DURATIONS[0]},
        recovery: Recover(function: Linear, tau_days: 1))],
    variants: [
{variants}
    ],
)"""


def main():
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, dynamics in DYNAMICS.items():
            path = os.path.join(tmp, "yrd.ron")
            open(path, "w", encoding="utf-8").write(scenario(dynamics))
            out = os.path.join(tmp, "out")
            subprocess.run([BINARY, "run", path, "--out", out, "--force", "--quiet"], check=True)
            for row in csv.DictReader(open(os.path.join(out, "runs.csv"), encoding="utf-8")):
                days = DURATIONS[0] if row["variant"] == "base" else int(row["variant"].split()[0])
                ratio = float(row["indirect_loss"]) / float(row["direct_loss"])
                results[(label, days)] = ratio
    print("lockdown\t" + "\t".join(DYNAMICS))
    for d in DURATIONS:
        print(f"{d} days\t" + "\t".join(f"{results[(label, d)]:.2f}" for label in DYNAMICS))


if __name__ == "__main__":
    sys.exit(main())
