#!/usr/bin/env python3
# Copied unchanged from the team's shared tools (../shared/tools/boario_bench.py) so that the
# comparison in docs/performance.md can be rerun from this repository alone.
"""Time BoARIO 0.7.2 on the synthetic MRIO of synth_mrio.py, for a side-by-side comparison.

    python3 -m venv .venv && .venv/bin/pip install boario==0.7.2 pymrio==0.7.0 progressbar2
    /usr/bin/time -v .venv/bin/python boario_bench.py --regions 50 --sectors 60 --out DIR

The run: ARIOPsiModel with BoARIO's defaults (alt orders, psi 0.8, 90-day inventories,
restoration tau 60, alpha_max 1.25, alpha_tau 365), 365 days, one EventKapitalRecover:
sectors s00..s04 of region r00 each lose round(0.2 * productive capital), occurrence 10,
duration 1, linear recovery over 90 days, event_monetary_factor = monetary_factor = 10**6.
Writes DIR/production_realised.csv (header step,<region>|<sector>,...) and prints timings.
"""
import argparse
import logging
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from synth_mrio import build


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--regions", type=int, default=50)
    ap.add_argument("--sectors", type=int, default=60)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    import boario.event as bev
    from boario.extended_models import ARIOPsiModel
    from boario.simulation import Simulation
    logging.getLogger("boario").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    io = build(a.regions, a.sectors)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ARIOPsiModel(io, order_type="alt", alpha_base=1.0, alpha_max=1.25, alpha_tau=365,
                             rebuild_tau=60, main_inv_dur=90, monetary_factor=10**6,
                             temporal_units_by_step=1, iotable_year_to_temporal_unit_factor=365,
                             psi_param=0.8, inventory_restoration_tau=60)
        sim = Simulation(model, n_temporal_units_to_sim=a.days, boario_output_dir=Path(tempfile.mkdtemp()))
        logging.getLogger("boario").setLevel(logging.ERROR)
        K = model.productive_capital
        inds = list(model.industries)
        hit = [("r00", f"s{s:02d}") for s in range(5)]
        impact = pd.Series([float(round(0.2 * K[model.industries.get_loc(k)])) for k in hit],
                           index=pd.MultiIndex.from_tuples(hit, names=["region", "sector"]))
        sim.add_event(bev.from_series(impact, event_type="recovery", occurrence=10, duration=1,
                                      recovery_tau=90, recovery_function="linear",
                                      event_monetary_factor=10**6, name="bench_r00"))
        t1 = time.perf_counter()
        sim.loop()
        t2 = time.perf_counter()
    print(f"industries={len(inds)} build+setup_s={t1 - t0:.2f} loop_s={t2 - t1:.2f} total_s={t2 - t0:.2f}")
    if a.out:
        a.out.mkdir(parents=True, exist_ok=True)
        traj = sim._production_evolution
        with open(a.out / "production_realised.csv", "w") as f:
            f.write("step," + ",".join(f"{r}|{s}" for r, s in model.industries) + "\n")
            for t, row in enumerate(traj):
                f.write(f"{t}," + ",".join(repr(float(v)) for v in row) + "\n")


if __name__ == "__main__":
    main()
