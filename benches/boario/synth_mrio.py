#!/usr/bin/env python3
# Copied unchanged from the team's shared tools (../shared/tools/synth_mrio.py) so that the
# comparison in docs/performance.md can be rerun from this repository alone.
"""Deterministic synthetic MRIO for performance comparisons (any language can reproduce it).

    python3 synth_mrio.py --regions 50 --sectors 60 --out DIR     # writes pymrio's saved format

Definition (all integer arithmetic mod 2**64, then one float conversion per entry):
  mix(z): z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) * 0x94D049BB133111EB; return z ^ (z >> 31)
  u(stream, k) = (mix(SEED + OFFSET[stream] + (k + 1) * 0x9E3779B97F4A7C15) >> 11) * 2**-53
  SEED = 20240601, OFFSET[Z] = 0, OFFSET[Y] = 0x5DEECE66D * 2**32
  n = R*S industries, region-major (region i // S, sector i % S); names r00.., s00..;
  final-demand categories fd_a, fd_b per region (m = 2R columns)
  Z[i,j] = 2000 * a*a*a * (4 if same region else 1), a = 0.001 + u(Z, i*n + j)
  Y[i,c] = 12000 * (0.5 + u(Y, i*m + c))
Needs numpy, pandas and pymrio (pip install pymrio==0.7.0).
"""
import argparse
from pathlib import Path

import numpy as np
import pandas as pd

SEED, GOLDEN, M64 = 20240601, 0x9E3779B97F4A7C15, (1 << 64) - 1
OFFSET = {"Z": 0, "Y": (0x5DEECE66D << 32) & M64}


def uniform(stream, count):
    k = np.arange(1, count + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = np.uint64((SEED + OFFSET[stream]) & M64) + k * np.uint64(GOLDEN)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (2.0**-53)


def build(R, S):
    import pymrio
    n, m = R * S, 2 * R
    region = np.arange(n) // S
    a = 0.001 + uniform("Z", n * n).reshape(n, n)
    Z = 2000.0 * (a * a * a) * np.where(region[:, None] == region[None, :], 4.0, 1.0)
    Y = 12000.0 * (0.5 + uniform("Y", n * m).reshape(n, m))
    regions, sectors = [f"r{r:02d}" for r in range(R)], [f"s{s:02d}" for s in range(S)]
    idx = pd.MultiIndex.from_product([regions, sectors], names=["region", "sector"])
    cols = pd.MultiIndex.from_product([regions, ["fd_a", "fd_b"]], names=["region", "category"])
    io = pymrio.IOSystem(Z=pd.DataFrame(Z, index=idx, columns=idx), Y=pd.DataFrame(Y, index=idx, columns=cols),
                         unit=pd.DataFrame({"unit": ["M.EUR"] * n}, index=idx), name=f"synthetic_{R}x{S}")
    io.calc_all()
    return io


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--regions", type=int, default=50)
    ap.add_argument("--sectors", type=int, default=60)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    io = build(a.regions, a.sectors)
    io.save(a.out, table_format="txt")
    print(f"wrote {a.out}: {a.regions * a.sectors} industries")
