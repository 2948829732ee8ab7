#!/usr/bin/env python3
"""Derive NBS-42 input criticality and inventory-day defaults from the copied source files.

Python 3 standard library only. Run from anywhere:

    python3 data/china-sources/criticality/derive.py

Inputs (all in this folder unless noted):
  concordance_nbs42_nace64.csv           NBS 42 sector -> NACE Rev.2 64 codes (';'-separated)
  nace64_to_wiod55.csv                   NACE 64 code -> its WIOD 55 parent code
  ihs_markit_results_compact_wiod55.csv  original IHS Markit ratings (rows input, cols buyer)
  ihs_critical_nace64.csv                pyIEEM's edited NACE 64 version (variant only)
  desired_stock_days_nace64.csv          days of input stock per buying industry (pyIEEM)
  inventory_days_wiod55.csv              UK input-inventory / gross-output ratios (cross-check)
  ../china_io_2020_42_Z.csv              China 2020 IO intermediate use (rows input, cols user)

Outputs (in this folder):
  criticality_nbs42.csv          main: from the original WIOD 55 ratings
  criticality_nbs42_pyieem.csv   variant: from pyIEEM's edited NACE 64 file
  inventory_days_nbs42.csv       target days of stock per input product
  inventory_days_nbs42_detail.csv  intermediate figures and the WIOD-ratio cross-check

Rules (see README.md):
  * criticality of NBS pair (I, J) = MAX rating over all (NACE input code of I) x
    (NACE buyer code of J) pairs.
  * a NACE 64 code gets the rating of its WIOD 55 parent; "NA" (not rated) and the buyer
    T97-98 (no WIOD column) count as 0; when one WIOD aggregate is split into several NACE
    codes, the aggregate's rating of itself goes only to identical codes (diagonal), the other
    pairs inside the aggregate get 0.
  * inventory days of a storable input i = sum_J Z[i,J] * n_J / sum_J Z[i,J], where n_J is the
    buyer's days of input stock (mean over J's NACE codes); non-storable inputs get 1 day.
"""
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))
Z_PATH = os.path.join(HERE, "..", "china_io_2020_42_Z.csv")

# Products that can be held in stock: agriculture, mining and manufacturing incl. scrap
# (NBS 01-22). Everything else (repair services, electricity/heat, gas supply, water,
# construction and all services) cannot be stockpiled by the buyer.
STORABLE = set(range(1, 23))
NON_STORABLE_DAYS = 1.0  # the model refuses 0 (PositiveF); 1 day = same-day delivery


def path(name):
    return os.path.join(HERE, name)


def read_rows(name):
    with open(path(name), newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def write_rows(name, rows):
    with open(path(name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerows(rows)


def fmt_rating(v):
    return {0.0: "0", 0.5: "0.5", 1.0: "1"}[v]


def load_concordance():
    rows = read_rows("concordance_nbs42_nace64.csv")
    assert rows[0] == ["nbs_sector", "nace64_codes", "note"], rows[0]
    sectors, codes = [], {}
    for r in rows[1:]:
        sectors.append(r[0])
        codes[r[0]] = r[1].split(";")
    assert len(sectors) == 42, len(sectors)
    return sectors, codes


def load_matrix(name):
    """Ratings file -> (row codes, column codes, {(row, col): value or None})."""
    rows = read_rows(name)
    cols = rows[0][1:]
    m, row_codes = {}, []
    for r in rows[1:]:
        row_codes.append(r[0])
        for c, v in zip(cols, r[1:]):
            m[(r[0], c)] = None if v == "NA" else float(v)
    return row_codes, cols, m


def nace_ratings_from_wiod(nace_codes):
    """NACE 64 x NACE 64 ratings derived from the original WIOD 55 ratings."""
    parent = {r[0]: r[1] for r in read_rows("nace64_to_wiod55.csv")[1:]}
    _, wcols, w = load_matrix("ihs_markit_results_compact_wiod55.csv")
    out = {}
    for i in nace_codes:
        for j in nace_codes:
            pi, pj = parent[i], parent[j]
            if pj not in wcols:  # T97-98: WIOD has no buyer column T
                v = 0.0
            elif pi == pj and i != j:  # inside a split aggregate, off the diagonal
                v = 0.0
            else:
                v = w[(pi, pj)]
                v = 0.0 if v is None else v
            out[(i, j)] = v
    return out


def aggregate(sectors, codes, nace):
    header = ["input_sector"] + sectors
    rows = [header]
    for si in sectors:
        row = [si]
        for sj in sectors:
            v = max(nace[(a, b)] for a in codes[si] for b in codes[sj])
            row.append(fmt_rating(v))
        rows.append(row)
    return rows


def criticality(sectors, codes):
    nace_codes, ncols, pyieem = load_matrix("ihs_critical_nace64.csv")
    assert nace_codes == ncols
    used = {c for s in sectors for c in codes[s]}
    missing = [c for c in nace_codes if c not in used]
    assert not missing, f"NACE codes not placed: {missing}"
    assert used <= set(nace_codes), used - set(nace_codes)
    write_rows("criticality_nbs42.csv",
               aggregate(sectors, codes, nace_ratings_from_wiod(nace_codes)))
    write_rows("criticality_nbs42_pyieem.csv", aggregate(sectors, codes, pyieem))


def inventory(sectors, codes):
    desired = {r[0]: float(r[1]) for r in read_rows("desired_stock_days_nace64.csv")[1:]}
    parent = {r[0]: r[1] for r in read_rows("nace64_to_wiod55.csv")[1:]}
    ratio = {}
    for r in read_rows("inventory_days_wiod55.csv")[1:]:
        if r[3] != "NA":
            ratio[r[0]] = float(r[3])

    def mean(xs):
        return sum(xs) / len(xs)

    # days of input stock held by each NBS buying sector (unweighted mean over NACE codes)
    n_desired = [mean([desired[c] for c in codes[s]]) for s in sectors]
    n_ratio = [mean([30.0 * ratio[parent[c]] for c in codes[s]]) for s in sectors]

    zrows = read_rows(Z_PATH)
    assert zrows[0][1:] == [f"{k:02d}" for k in range(1, 43)], zrows[0][:3]
    z = [[float(v) for v in r[1:]] for r in zrows[1:]]
    assert [r[0] for r in zrows[1:]] == [f"{k:02d}" for k in range(1, 43)]

    def weighted(row, n):
        return sum(a * b for a, b in zip(row, n)) / sum(row)

    main = [["input_sector", "days", "storable", "source"]]
    detail = [["input_sector", "storable", "days", "days_desired_stock_weighted",
               "days_wiod_input_ratio_x30_weighted", "buyer_days_desired_stock",
               "buyer_days_wiod_input_ratio_x30", "intermediate_use_2020_10k_cny"]]
    for k, s in enumerate(sectors):
        storable = (k + 1) in STORABLE
        wd = weighted(z[k], n_desired)
        wr = weighted(z[k], n_ratio)
        if storable:
            days = round(wd, 1)
            src = ("desired_stock_days_nace64 (UK; pyIEEM after Pichler et al.) of each buying "
                   "sector; weighted by the buyers' use of this input in the China 2020 IO table")
        else:
            days = NON_STORABLE_DAYS
            src = "non-storable product: rule of 1 day (no stockpiling by the buyer)"
        main.append([s, f"{days:.1f}", "1" if storable else "0", src])
        detail.append([s, "1" if storable else "0", f"{days:.1f}", f"{wd:.2f}", f"{wr:.2f}",
                       f"{n_desired[k]:.2f}", f"{n_ratio[k]:.2f}", f"{sum(z[k]):.0f}"])
    write_rows("inventory_days_nbs42.csv", main)
    write_rows("inventory_days_nbs42_detail.csv", detail)


def main():
    sectors, codes = load_concordance()
    criticality(sectors, codes)
    inventory(sectors, codes)


if __name__ == "__main__":
    main()
