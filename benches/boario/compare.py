#!/usr/bin/env python3
"""Compare two production_realised.csv trajectories (header step,<region>|<sector>,...).

    python3 compare.py HINTERLAND.csv BOARIO.csv

Passes when every value satisfies |a - b| <= atol + rtol * |b| with BoARIO's reference-test
tolerances (tests/fixtures/boario: rtol 1e-6, atol 1e-9 x the largest baseline output)."""
import csv
import sys


def load(path):
    with open(path) as f:
        rows = csv.reader(f)
        header = next(rows)
        return header[1:], [[float(v) for v in row[1:]] for row in rows]


ours_header, ours = load(sys.argv[1])
ref_header, ref = load(sys.argv[2])
if ours_header != ref_header:
    sys.exit("different industries")
if len(ours) != len(ref):
    sys.exit(f"different numbers of days: {len(ours)} and {len(ref)}")
atol = 1e-9 * max(ref[0])
worst_abs = worst_rel = 0.0
failures = 0
for a_row, b_row in zip(ours, ref):
    for a, b in zip(a_row, b_row):
        d = abs(a - b)
        worst_abs = max(worst_abs, d)
        worst_rel = max(worst_rel, d / abs(b) if b else d)
        failures += d > atol + 1e-6 * abs(b)
print(f"{len(ref)} days x {len(ref_header)} industries: max |diff| {worst_abs:.3e}, "
      f"max relative {worst_rel:.3e}, {failures} values outside tolerance")
sys.exit(1 if failures else 0)
