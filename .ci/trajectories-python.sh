#!/usr/bin/env bash
# The three lines of Python that docs/outputs.md shows for loading trajectories.nc, run as a
# user would: xarray and scipy from PyPI in a fresh virtual environment, on a fresh
# `hinterland run --trajectories`. The lines are taken from the docs, so the docs cannot drift.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet xarray scipy pandas

cd "$work"
"$repo/target/release/hinterland" run "$repo/scenarios/test-mrio-backup.ron" --trajectories --quiet
# the first ```python block of docs/outputs.md
awk '/^```python$/ {on = 1; next} /^```$/ && on {exit} on' "$repo/docs/outputs.md" > load.py
test "$(wc -l < load.py)" -eq 3
"$work/venv/bin/python" load.py | tee printed.txt
# the mean over runs of the base variant: one value a day, below the baseline at the trough
grep -q "Length: 365" printed.txt
"$work/venv/bin/python" - <<'PY'
import xarray as xr
ds = xr.open_dataset("output/test-mrio-backup/trajectories.nc")
assert list(ds["variant"].values) == ["base", "no policies"], ds["variant"].values
assert ds["va_national"].shape == (2, 8, 365)
base = ds["va_national"].sel(variant="base").mean("run")
none = ds["va_national"].sel(variant="no policies").mean("run")
assert float(base.min()) < 0.99 and float(none.min()) < float(base.min())
print("trajectories.nc: read by xarray", xr.__version__)
PY
