#!/usr/bin/env python3
"""Derive the import shares by foreign block of the default Chinese economy.

Reads the partner statistics beside this script and writes
`../import_shares_by_block.csv`: for each NBS product with its own data, and for `default`
(every other product), the share (percent) of each foreign block of `hinterland build-china`
in China's imports. Run from anywhere: `python3 data/china-sources/imports/derive.py`.

Rules (README.md here says why):
- A partner's share is its value (or volume) over the item's world total. Re-imports (China
  as the country of origin) are not foreign supply: they are left out and the rest is
  rescaled to 100.
- Where a source gives a group (a continent, "the Middle East"), the group's share is used
  for its block and the partners inside it are not counted again.
- What the listed partners and groups leave unexplained (the item's remainder) is spread over
  the blocks whose total the item does not give, in proportion to the `default` shares.
- A product mixes items with the weights given below; the part no item covers follows
  `default`.
Every number used is printed in the `basis` column. Standard library only.
"""

import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "import_shares_by_block.csv")

BLOCKS = [
    "ROW_NorthEastAsia",
    "ROW_SouthEastAsia",
    "ROW_MiddleEast",
    "ROW_Eurasia",
    "ROW_NorthAmerica",
    "ROW_Europe",
    "ROW_LatinAmerica",
    "ROW_Oceania",
    "ROW_Other",
]

PARTNER_BLOCK = {
    "Taiwan": "ROW_NorthEastAsia",
    "South Korea": "ROW_NorthEastAsia",
    "Japan": "ROW_NorthEastAsia",
    "Malaysia": "ROW_SouthEastAsia",
    "Vietnam": "ROW_SouthEastAsia",
    "Thailand": "ROW_SouthEastAsia",
    "Singapore": "ROW_SouthEastAsia",
    "Philippines": "ROW_SouthEastAsia",
    "Myanmar": "ROW_SouthEastAsia",
    "Saudi Arabia": "ROW_MiddleEast",
    "Iraq": "ROW_MiddleEast",
    "United Arab Emirates": "ROW_MiddleEast",
    "Oman": "ROW_MiddleEast",
    "Kuwait": "ROW_MiddleEast",
    "Iran": "ROW_MiddleEast",
    "Qatar": "ROW_MiddleEast",
    "Russia": "ROW_Eurasia",
    "Turkmenistan": "ROW_Eurasia",
    "Kazakhstan": "ROW_Eurasia",
    "Uzbekistan": "ROW_Eurasia",
    "United States": "ROW_NorthAmerica",
    "Brazil": "ROW_LatinAmerica",
    "Argentina": "ROW_LatinAmerica",
    "Australia": "ROW_Oceania",
}


def rows(name):
    with open(os.path.join(HERE, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


PARTNERS = rows("imports_by_partner_2022.csv")
ORIGIN = rows("imports_by_origin_2022.csv")


def find(table, item, year, partner, metric, field):
    hits = [
        r
        for r in table
        if r["item"] == item
        and r["year"] == year
        and r["partner"] == partner
        and r["metric"] == metric
    ]
    if len(hits) != 1:
        sys.exit(f"expected one row {item!r} {year!r} {partner!r} {metric!r}, found {len(hits)}")
    return float(hits[0][field])


def value(item, year, partner, metric, table=PARTNERS):
    return find(table, item, year, partner, metric, "value")


def share(item, year, partner, metric, table=PARTNERS):
    return find(table, item, year, partner, metric, "share_pct")


def spread(known, remainder, default, complete=()):
    """Block shares (percent, summing to 100) from known block shares and an unexplained
    remainder spread over the blocks not in `complete` in proportion to `default`."""
    open_blocks = [b for b in BLOCKS if b not in complete]
    weight = sum(default[b] for b in open_blocks)
    out = {b: known.get(b, 0.0) for b in BLOCKS}
    for b in open_blocks:
        out[b] += remainder * default[b] / weight
    total = sum(out.values())
    return {b: 100.0 * v / total for b, v in out.items()}


def by_block(partner_shares):
    """Partners' shares summed by the block each belongs to."""
    out = {}
    for partner, v in partner_shares.items():
        b = PARTNER_BLOCK[partner]
        out[b] = out.get(b, 0.0) + v
    return out


def mix(parts, default):
    """Weighted mix of block shares; the weights' shortfall from 1 follows `default`."""
    rest = 1.0 - sum(w for w, _ in parts)
    assert rest > -1e-12
    return {b: sum(w * s[b] for w, s in parts) + rest * default[b] for b in BLOCKS}


def default_shares():
    """All goods, 2022, US$ bn (world 2716)."""
    world = value("all goods", "2022", "World (total)", "import value")
    reimports = value("all goods", "2022", "China (re-imports)", "import value share")
    nea = sum(
        value("all goods", "2022", p, m)
        for p, m in [
            ("Taiwan", "import value share"),
            ("South Korea", "import value"),
            ("Japan", "import value share"),
        ]
    )
    # ASEAN: RMB 2.73 trn of RMB 18.1 trn of imports (GACC press conference) = 15.08 %
    asean_pct = 100.0 * value("all goods", "2022", "ASEAN", "import value (RMB)") / 18.1
    gulf = sum(
        value("all goods", "2022", p, m)
        for p, m in [
            ("Saudi Arabia", "import value share"),
            ("Iraq", "import value"),
            ("Oman", "import value"),
            ("Kuwait", "import value"),
            ("Iran", "import value"),
        ]
    )
    russia = value("all goods", "2022", "Russia", "import value share")
    continent = {
        c: share("all goods", "2022", c, "import value share")
        for c in [
            "Europe",
            "North America",
            "Latin America (ex Mexico, incl. Caribbean)",
            "Oceania",
        ]
    }
    known = {
        "ROW_NorthEastAsia": nea,
        "ROW_SouthEastAsia": asean_pct / 100.0 * world,
        "ROW_MiddleEast": gulf,
        "ROW_Eurasia": russia,
        # Europe's continental share includes Russia (4.2 %), which is Eurasia here
        "ROW_Europe": continent["Europe"] / 100.0 * world - russia,
        "ROW_NorthAmerica": continent["North America"] / 100.0 * world,
        "ROW_LatinAmerica": continent["Latin America (ex Mexico, incl. Caribbean)"]
        / 100.0
        * world,
        "ROW_Oceania": continent["Oceania"] / 100.0 * world,
    }
    foreign = world - reimports
    known["ROW_Other"] = foreign - sum(known.values())
    shares = {b: 100.0 * known[b] / foreign for b in BLOCKS}
    basis = (
        "all goods 2022 (US$ 2716 bn less 122.2 bn re-imports): Japan+Korea+Taiwan "
        f"{nea:.1f}; ASEAN {asean_pct:.2f} % (RMB); Saudi Arabia+Iraq+Oman+Kuwait+Iran "
        f"{gulf:.1f}; Russia {russia:.1f}; Europe {continent['Europe']} % less Russia; "
        f"North America {continent['North America']} %; Latin America "
        f"{continent['Latin America (ex Mexico, incl. Caribbean)']} %; Oceania "
        f"{continent['Oceania']} %; Other = the rest (Africa, South Asia, UAE, Qatar, "
        "Central Asia, Mongolia...)"
    )
    return shares, basis


def electronics(default):
    """Integrated circuits (HS 8542), 2022, US$ bn."""
    item = "integrated circuits (HS 8542)"
    world = value(item, "2022", "World (total)", "import value")
    tw = value(item, "2022", "Taiwan", "import value")
    kr = value(item, "2022", "South Korea", "import value")
    us = value(item, "2022", "United States", "import value")
    proc = "IC processors/controllers (HS 854231)"
    my = value(proc, "2022", "Malaysia", "import value")
    vn = value(proc, "2022", "Vietnam", "import value")
    cn = value(proc, "2022", "China (re-imports)", "import value")
    foreign = world - cn
    known = {
        "ROW_NorthEastAsia": tw + kr,
        "ROW_NorthAmerica": us,
        "ROW_SouthEastAsia": my + vn,
    }
    remainder = foreign - sum(known.values())
    shares = spread(known, remainder, default)
    basis = (
        f"integrated circuits 2022 (US$ {world} bn less {cn} bn re-imports of processors): "
        f"Taiwan {tw} + Korea {kr} (2022 back-computed from 2023); US {us}; Malaysia {my} + "
        f"Vietnam {vn} (processors only, floors); the remaining {remainder:.1f} (Japan, the "
        "rest of ASEAN, Europe...) by default shares"
    )
    return shares, basis


def crude_and_gas(default):
    """Crude oil (volume) and natural gas (LNG and pipeline), 2022."""
    world = value("crude oil", "2022", "World (total)", "import volume", ORIGIN)
    ru = value("crude oil", "2022", "Russia", "import volume", ORIGIN)
    my = value("crude oil", "2022", "Malaysia", "import volume", ORIGIN)
    middle_east = share(
        "crude oil", "2022", "Middle East (9 countries)", "import value share", ORIGIN
    )
    known = {
        "ROW_MiddleEast": middle_east,
        "ROW_Eurasia": 100.0 * ru / world,
        "ROW_SouthEastAsia": 100.0 * my / world,
    }
    crude = spread(known, 100.0 - sum(known.values()), default, ["ROW_MiddleEast"])

    lng_item = "LNG (HS 271111)"
    lng_world = value(lng_item, "2022 Jan-Nov", "World (total)", "import volume")
    lng = {
        p: value(lng_item, "2022 Jan-Nov", p, "import volume")
        for p in ["Australia", "Qatar", "Malaysia", "Russia"]
    }
    lng_known = by_block({p: 100.0 * v / lng_world for p, v in lng.items()})
    lng_shares = spread(lng_known, 100.0 - sum(lng_known.values()), default)
    pipe_item = "pipeline gas (HS 271121)"
    pipe = {
        p: share(pipe_item, "2022", p, "import value")
        for p in ["Turkmenistan", "Russia", "Myanmar", "Kazakhstan", "Uzbekistan"]
    }
    pipe_known = by_block(pipe)
    pipe_shares = spread(pipe_known, 100.0 - sum(pipe_known.values()), default)
    gas_bcm = value("natural gas (all)", "2022", "World (total)", "import volume") / 10.0
    lng_mt = value(lng_item, "2022", "World (total)", "import volume")
    lng_bcm = lng_mt * LNG_BCM_PER_MT
    lng_weight = lng_bcm / gas_bcm
    gas = {b: lng_weight * lng_shares[b] + (1 - lng_weight) * pipe_shares[b] for b in BLOCKS}

    crude_ej = world * CRUDE_GJ_PER_T / 1000.0
    gas_ej = gas_bcm * GAS_MJ_PER_M3 / 1000.0
    crude_weight = crude_ej / (crude_ej + gas_ej)
    shares = {b: crude_weight * crude[b] + (1 - crude_weight) * gas[b] for b in BLOCKS}
    basis = (
        f"crude oil {crude_weight:.3f} and gas {1 - crude_weight:.3f} (energy content of "
        f"2022 imports: {world} Mt x {CRUDE_GJ_PER_T} GJ/t, {gas_bcm:.1f} bcm x "
        f"{GAS_MJ_PER_M3} MJ/m3). Crude: Middle East {middle_east} % (value), Russia "
        f"{100 * ru / world:.2f} %, Malaysia {100 * my / world:.2f} % (volume), the rest "
        f"by default shares outside the Middle East. Gas: LNG {lng_weight:.3f} "
        f"({lng_mt} Mt x {LNG_BCM_PER_MT} bcm/Mt), Jan-Nov partner shares; pipeline by "
        "2022 value (Turkmenistan, Russia, Myanmar, Kazakhstan, Uzbekistan)"
    )
    return shares, basis


def soybeans(default):
    world = value("soybeans", "2022", "World (total)", "import volume", ORIGIN)
    known = by_block({
        p: 100.0 * value("soybeans", "2022", p, "import volume", ORIGIN) / world
        for p in ["Brazil", "United States", "Argentina"]
    })
    return spread(known, 100.0 - sum(known.values()), default)


def metal_ores(default):
    # iron ore 2023 (nearest year; 2022 partner volumes not found), import_dependence.csv:
    # Australia 62.5 %, Brazil 21.1 %; copper ore and concentrate 2024: Latin America 66.4 %
    iron = spread(
        {"ROW_Oceania": IRON_AUSTRALIA, "ROW_LatinAmerica": IRON_BRAZIL},
        100.0 - IRON_AUSTRALIA - IRON_BRAZIL,
        default,
    )
    copper = spread(
        {"ROW_LatinAmerica": COPPER_LATIN_AMERICA},
        100.0 - COPPER_LATIN_AMERICA,
        default,
        ["ROW_LatinAmerica"],
    )
    return mix([(IRON_WEIGHT, iron), (COPPER_WEIGHT, copper)], default)


def special_equipment(default):
    item = "semiconductor manufacturing equipment (JW Insights definition)"
    world = value(item, "2022", "World (total)", "import value")
    japan = value(item, "2022", "Japan", "import value")
    equipment = spread({"ROW_NorthEastAsia": 100.0 * japan / world}, 100.0 * (1 - japan / world), default)
    return mix([(SEMICONDUCTOR_EQUIPMENT_WEIGHT, equipment)], default), world, japan


# Conversion factors (standard: BP Statistical Review's approximate conversion factors).
LNG_BCM_PER_MT = 1.36
CRUDE_GJ_PER_T = 41.868
GAS_MJ_PER_M3 = 36.0
# Iron and copper ore shares (import_dependence.csv, secondary, nearest years)
IRON_AUSTRALIA = 62.5
IRON_BRAZIL = 21.1
COPPER_LATIN_AMERICA = 66.4
# Assumptions: weights of the items in their NBS product's imports (no value split found)
SOYBEAN_WEIGHT = 0.5
IRON_WEIGHT = 0.55
COPPER_WEIGHT = 0.25
# Semiconductor equipment in special equipment: US$ 34.719 bn (2022) x 6.7261 CNY/US$ over
# product 17's imports in the 2020 table (5921.9亿元); computed, years differ
SEMICONDUCTOR_EQUIPMENT_WEIGHT = round(34.719 * 6.7261 * 10 / 5921.9, 3)


def main():
    default, default_basis = default_shares()
    table = [("default", default, default_basis)]
    shares, basis = crude_and_gas(default)
    table.append(("03", shares, basis))
    table.append(
        (
            "01",
            mix([(SOYBEAN_WEIGHT, soybeans(default))], default),
            f"assumption: soybeans are {SOYBEAN_WEIGHT} of product 01's imports (Brazil "
            "59.7 %, US 32.4 %, Argentina 4.0 % of 2022 volume); the rest by default shares",
        )
    )
    table.append(
        (
            "04",
            metal_ores(default),
            f"assumption: iron ore {IRON_WEIGHT} (2023 volumes: Australia {IRON_AUSTRALIA} %, "
            f"Brazil {IRON_BRAZIL} %), copper ore {COPPER_WEIGHT} (2024: Latin America "
            f"{COPPER_LATIN_AMERICA} %), the rest by default shares",
        )
    )
    shares, world, japan = special_equipment(default)
    table.append(
        (
            "17",
            shares,
            f"semiconductor equipment {SEMICONDUCTOR_EQUIPMENT_WEIGHT} of product 17's imports "
            f"(US$ {world} bn in 2022 x 6.7261 CNY/US$ over 5921.9亿元 in 2020): Japan "
            f"{japan} bn, the rest by default shares; other special equipment by default shares",
        )
    )
    shares, basis = electronics(default)
    table.append(("20", shares, basis))
    table.sort(key=lambda t: (t[0] != "default", t[0]))
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["product", "block", "share_pct", "basis"])
        for product, shares, basis in table:
            total = sum(shares.values())
            assert abs(total - 100.0) < 1e-9, (product, total)
            for b in BLOCKS:
                w.writerow([product, b, f"{shares[b]:.4f}", basis])
    # the rounded shares of a product must still add to 100 for the builder: fix the last
    fix_rounding(OUT)


def fix_rounding(path):
    with open(path, encoding="utf-8", newline="") as f:
        data = list(csv.reader(f))
    by_product = {}
    for i, r in enumerate(data[1:], start=1):
        by_product.setdefault(r[0], []).append(i)
    for lines in by_product.values():
        total = sum(float(data[i][2]) for i in lines)
        last = lines[-1]
        data[last][2] = f"{float(data[last][2]) + 100.0 - total:.4f}"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(data)


if __name__ == "__main__":
    main()
