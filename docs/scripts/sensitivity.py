#!/usr/bin/env python3
"""The sensitivity table of docs/model.md §10.1: the chip embargo with one setting changed at a
time. Run from the repository root after `cargo build --release`:

    python3 docs/scripts/sensitivity.py > sensitivity.tsv

Each row runs scenarios/chip-embargo.ron (5 runs, 4 variants) once, about a minute on two
cores; the table takes about 20 minutes. Columns: setting, median and mean va_loss_days of
"no policies", its median trough and direct_loss, and the base backup's median and mean
loss_avoided. Uses only the Python standard library.
"""
import csv
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("HINTERLAND", os.path.join(ROOT, "target", "release", "hinterland"))
SCENARIO = os.path.join(ROOT, "scenarios", "chip-embargo.ron")

ROWS = [
    ("defaults (90-day stocks, ψ 0.8, α_max 1.25, τ 60, 2 firms, 3 suppliers, seed 1)", {}),
    ("stocks ×0.5 (45 days)", {"dyn": "inventory_days: 45"}),
    ("stocks ×2 (180 days)", {"dyn": "inventory_days: 180"}),
    ("ψ 0.6", {"dyn": "psi: Some(0.6)"}),
    ("ψ 1.0", {"dyn": "psi: Some(1.0)"}),
    ("α_max 1.0 (no surge)", {"dyn": "alpha_max: 1.0"}),
    ("α_max 1.5", {"dyn": "alpha_max: 1.5"}),
    ("τ 15 days", {"dyn": "inventory_restoration_tau: 15"}),
    ("τ 120 days", {"dyn": "inventory_restoration_tau: 120"}),
    ("1 firm per industry", {"eco": ("firms_per_industry: 2", "firms_per_industry: 1")}),
    ("5 firms per industry", {"eco": ("firms_per_industry: 2", "firms_per_industry: 5")}),
    ("2 suppliers per input", {"eco": ("firms_per_industry: 2", "firms_per_industry: 2, suppliers_per_input: 2")}),
    ("5 suppliers per input", {"eco": ("firms_per_industry: 2", "firms_per_industry: 2, suppliers_per_input: 5")}),
    ("network seed 2", {"eco": ("firms_per_industry: 2, seed: 1", "firms_per_industry: 2, seed: 2")}),
    ("network seed 3", {"eco": ("firms_per_industry: 2, seed: 1", "firms_per_industry: 2, seed: 3")}),
    ("stocks by product (stocks: ByProduct)", {"dyn": "stocks: ByProduct"}),
    ("rationing FinalDemandLast", {"dyn": "rationing: FinalDemandLast"}),
    ("important inputs taken as non-critical", {"dyn": "important_inputs: NonCritical"}),
    ("households respond (m = 0.6, 30 days)",
     {"dyn": 'demand_response: 0.6, household_categories: ["final_consumption"]'}),
]


def main():
    base = open(SCENARIO, encoding="utf-8").read()
    base = base.replace('"../data/', '"' + os.path.join(ROOT, "data") + "/")
    with tempfile.TemporaryDirectory() as tmp:
        for label, edit in ROWS:
            text = base
            if "dyn" in edit:
                text = text.replace("dynamics: Ario(compat: Clean)",
                                    f"dynamics: Ario(compat: Clean, {edit['dyn']})", 1)
            if "eco" in edit:
                text = text.replace(edit["eco"][0], edit["eco"][1], 1)
            path = os.path.join(tmp, "sensitivity.ron")
            open(path, "w", encoding="utf-8").write(text)
            out = os.path.join(tmp, "out")
            subprocess.run([BINARY, "run", path, "--out", out, "--force", "--quiet"], check=True)
            rows = csv.DictReader(open(os.path.join(out, "summary.csv"), encoding="utf-8"))
            summary = {(r["variant"], r["metric"]): r for r in rows}
            cell = lambda variant, metric, stat: summary[(variant, metric)][stat]
            print("\t".join([
                label,
                cell("no policies", "va_loss_days", "p50"),
                cell("no policies", "va_loss_days", "mean"),
                cell("no policies", "trough", "p50"),
                cell("no policies", "direct_loss", "p50"),
                cell("base", "loss_avoided", "p50"),
                cell("base", "loss_avoided", "mean"),
            ]), flush=True)


if __name__ == "__main__":
    sys.exit(main())
