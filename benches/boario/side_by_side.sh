#!/usr/bin/env bash
# hinterland and BoARIO 0.7.2 on the same 3,000-industry MRIO and event, back to back, with
# wall time and peak memory (GNU time), then the trajectories compared. See docs/performance.md.
# Needs python3 with venv and network access to PyPI (once), and /usr/bin/time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/target/boario-venv"
threads="${THREADS:-2}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet boario==0.7.2 pymrio==0.7.0 progressbar2
fi
if [ ! -f "$here/mrio-3000/Z.txt" ]; then
    (cd "$here" && "$venv/bin/python" synth_mrio.py --regions 50 --sectors 60 --out mrio-3000)
fi
# the 50 synthetic regions are all domestic: say so, as a table's regions.csv does (pymrio and
# BoARIO ignore the file), so that hinterland does not warn that they are undeclared
if [ ! -f "$here/mrio-3000/regions.csv" ]; then
    { echo "region,kind"; for r in $(seq -f "r%02g" 0 49); do echo "$r,Interior"; done; } \
        > "$here/mrio-3000/regions.csv"
fi
(cd "$root" && cargo build --release --quiet)
out="$root/target/side-by-side"
mkdir -p "$out"
echo "== BoARIO 0.7.2"
(cd "$here" && /usr/bin/time -f "boario: %e s wall, %M KB peak" \
    "$venv/bin/python" boario_bench.py --regions 50 --sectors 60 --out "$out/boario")
echo "== hinterland ($threads threads)"
/usr/bin/time -f "hinterland: %e s wall, %M KB peak" \
    "$root/target/release/hinterland" run "$here/bench-3000.ron" --out "$out/hinterland" \
    --force --quiet --threads "$threads"
python3 "$here/compare.py" "$out/hinterland/records/production_realised.csv" \
    "$out/boario/production_realised.csv"
