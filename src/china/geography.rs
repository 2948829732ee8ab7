//! Who is where: the 31 provinces, the ten domestic regions they form, the foreign supplier
//! blocks, the sector identifiers, and the distances the gravity rule uses.

/// A province (provincial-level division) of mainland China.
pub struct Province {
    /// English name, exactly as in `province_gdp_2022.csv`.
    pub name: &'static str,
    /// Index into [`REGIONS`] of the region it belongs to.
    pub region: usize,
    /// Latitude of the provincial capital, degrees north.
    pub latitude: f64,
    /// Longitude of the provincial capital, degrees east.
    pub longitude: f64,
}

/// A domestic region of the built table: whole provinces.
pub struct Region {
    /// Identifier used in the table (ASCII, no spaces).
    pub id: &'static str,
    /// What it stands for.
    pub description: &'static str,
}

/// The ten domestic regions, in table order.
pub const REGIONS: [Region; 10] = [
    Region {
        id: "BTH",
        description: "Beijing-Tianjin-Hebei",
    },
    Region {
        id: "YRD",
        description: "Yangtze River Delta (official four-province scope)",
    },
    Region {
        id: "Guangdong",
        description: "Guangdong province (Pearl River Delta proxy)",
    },
    Region {
        id: "OtherCoast",
        description: "the other coastal provinces south of the Northeast: Shandong, Fujian, Guangxi, Hainan",
    },
    Region {
        id: "ChengduChongqing",
        description: "Chengdu-Chongqing, as whole provinces (Sichuan, Chongqing)",
    },
    Region {
        id: "MidYangtze",
        description: "middle reaches of the Yangtze: Hubei, Hunan, Jiangxi",
    },
    Region {
        id: "CentralPlains",
        description: "Central Plains and Guanzhong with the Shanxi energy base: Henan, Shaanxi, Shanxi",
    },
    Region {
        id: "Northeast",
        description: "Liaoning, Jilin, Heilongjiang",
    },
    Region {
        id: "Northwest",
        description: "Inner Mongolia, Gansu, Qinghai, Ningxia, Xinjiang",
    },
    Region {
        id: "Southwest",
        description: "the rest of the Southwest: Guizhou, Yunnan, Tibet",
    },
];

const BTH: usize = 0;
const YRD: usize = 1;
const GUANGDONG: usize = 2;
const OTHER_COAST: usize = 3;
const CHENGDU_CHONGQING: usize = 4;
const MID_YANGTZE: usize = 5;
const CENTRAL_PLAINS: usize = 6;
const NORTHEAST: usize = 7;
const NORTHWEST: usize = 8;
const SOUTHWEST: usize = 9;

const fn province(name: &'static str, region: usize, latitude: f64, longitude: f64) -> Province {
    Province {
        name,
        region,
        latitude,
        longitude,
    }
}

/// The 31 provinces in the order of `province_gdp_2022.csv`, with their region and the
/// coordinates of their capital (rounded to 0.01°; the capital stands for the province's
/// economic centre in the gravity rule).
pub const PROVINCES: [Province; 31] = [
    province("Beijing", BTH, 39.90, 116.40),
    province("Tianjin", BTH, 39.13, 117.20),
    province("Hebei", BTH, 38.04, 114.51), // Shijiazhuang
    province("Shanxi", CENTRAL_PLAINS, 37.87, 112.55), // Taiyuan
    province("Inner Mongolia", NORTHWEST, 40.84, 111.75), // Hohhot
    province("Liaoning", NORTHEAST, 41.80, 123.43), // Shenyang
    province("Jilin", NORTHEAST, 43.82, 125.32), // Changchun
    province("Heilongjiang", NORTHEAST, 45.80, 126.53), // Harbin
    province("Shanghai", YRD, 31.23, 121.47),
    province("Jiangsu", YRD, 32.06, 118.80),        // Nanjing
    province("Zhejiang", YRD, 30.27, 120.15),       // Hangzhou
    province("Anhui", YRD, 31.82, 117.23),          // Hefei
    province("Fujian", OTHER_COAST, 26.07, 119.30), // Fuzhou
    province("Jiangxi", MID_YANGTZE, 28.68, 115.86), // Nanchang
    province("Shandong", OTHER_COAST, 36.65, 117.12), // Jinan
    province("Henan", CENTRAL_PLAINS, 34.75, 113.63), // Zhengzhou
    province("Hubei", MID_YANGTZE, 30.59, 114.31),  // Wuhan
    province("Hunan", MID_YANGTZE, 28.23, 112.94),  // Changsha
    province("Guangdong", GUANGDONG, 23.13, 113.26), // Guangzhou
    province("Guangxi", OTHER_COAST, 22.82, 108.37), // Nanning
    province("Hainan", OTHER_COAST, 20.04, 110.35), // Haikou
    province("Chongqing", CHENGDU_CHONGQING, 29.56, 106.55), // Chongqing
    province("Sichuan", CHENGDU_CHONGQING, 30.57, 104.07), // Chengdu
    province("Guizhou", SOUTHWEST, 26.65, 106.63),  // Guiyang
    province("Yunnan", SOUTHWEST, 25.04, 102.71),   // Kunming
    province("Tibet", SOUTHWEST, 29.65, 91.17),     // Lhasa
    province("Shaanxi", CENTRAL_PLAINS, 34.34, 108.94), // Xi'an
    province("Gansu", NORTHWEST, 36.06, 103.83),    // Lanzhou
    province("Qinghai", NORTHWEST, 36.62, 101.78),  // Xining
    province("Ningxia", NORTHWEST, 38.49, 106.23),  // Yinchuan
    province("Xinjiang", NORTHWEST, 43.83, 87.62),  // Urumqi
];

/// A foreign supplier block: part of the rest of the world that sells China its imports.
pub struct ForeignBlock {
    /// Identifier used in the table.
    pub id: &'static str,
    /// Which countries it stands for.
    pub description: &'static str,
    /// The block of the four-block table (hinterland 0.1.0) it was split from, or empty.
    pub replaces: &'static str,
}

/// The foreign supplier blocks, in table order (after the domestic regions). The table of
/// hinterland 0.1.0 had four: `ROW_EastAsia` (now `ROW_NorthEastAsia` and `ROW_SouthEastAsia`),
/// `ROW_MiddleEast`, `ROW_Eurasia` and `ROW_Other` (now split into the Americas, Europe,
/// Oceania and the rest); `replaces` records that for messages.
pub const FOREIGN_BLOCKS: [ForeignBlock; 9] = [
    ForeignBlock {
        id: "ROW_NorthEastAsia",
        description: "Japan, South Korea, Taiwan",
        replaces: "ROW_EastAsia",
    },
    ForeignBlock {
        id: "ROW_SouthEastAsia",
        description: "the ASEAN members: Malaysia, Vietnam, Thailand, Singapore, the Philippines, \
                      Indonesia, Myanmar, Laos, Cambodia, Brunei",
        replaces: "ROW_EastAsia",
    },
    ForeignBlock {
        id: "ROW_MiddleEast",
        description: "the Gulf and the Middle East: Saudi Arabia, Iraq, UAE, Oman, Kuwait, Qatar, \
                      Iran and their neighbours (seaborne, via Hormuz and Malacca)",
        replaces: "",
    },
    ForeignBlock {
        id: "ROW_Eurasia",
        description: "Russia and Central Asia: Kazakhstan, Turkmenistan, Uzbekistan and their \
                      neighbours (overland and pipeline routes)",
        replaces: "",
    },
    ForeignBlock {
        id: "ROW_NorthAmerica",
        description: "the United States, Canada, Mexico",
        replaces: "ROW_Other",
    },
    ForeignBlock {
        id: "ROW_Europe",
        description: "Europe without Russia: the EU, the United Kingdom, Switzerland, Norway and \
                      the rest",
        replaces: "ROW_Other",
    },
    ForeignBlock {
        id: "ROW_LatinAmerica",
        description: "South and Central America and the Caribbean: Brazil, Chile, Peru, \
                      Argentina and the rest",
        replaces: "ROW_Other",
    },
    ForeignBlock {
        id: "ROW_Oceania",
        description: "Australia, New Zealand and the Pacific",
        replaces: "ROW_Other",
    },
    ForeignBlock {
        id: "ROW_Other",
        description: "everyone else: Africa, South Asia, Mongolia, Hong Kong and Macao, and the \
                      rest of Asia not in another block",
        replaces: "",
    },
];

/// Index of `ROW_Other` in [`FOREIGN_BLOCKS`].
pub const OTHER: usize = 8;

/// The foreign region whose final-demand column `exports` holds all of China's exports
/// (the sources have no destination split).
pub const EXPORT_DESTINATION: usize = OTHER;

/// Short ASCII identifiers of the 42 NBS sectors, in NBS code order (`01`..`42`).
/// They sort in code order, so the economy keeps NBS order.
pub const SECTOR_IDS: [&str; 42] = [
    "s01_agriculture",
    "s02_coal",
    "s03_oil_gas",
    "s04_metal_ores",
    "s05_nonmetal_ores",
    "s06_food_tobacco",
    "s07_textiles",
    "s08_apparel",
    "s09_wood_furniture",
    "s10_paper_printing",
    "s11_refined_petroleum",
    "s12_chemicals",
    "s13_nonmetal_minerals",
    "s14_metal_smelting",
    "s15_metal_products",
    "s16_general_equipment",
    "s17_special_equipment",
    "s18_transport_equipment",
    "s19_electrical_equipment",
    "s20_electronics",
    "s21_instruments",
    "s22_other_manufacturing",
    "s23_repair_services",
    "s24_electricity_heat",
    "s25_gas_supply",
    "s26_water_supply",
    "s27_construction",
    "s28_wholesale_retail",
    "s29_transport_storage",
    "s30_hotels_catering",
    "s31_it_services",
    "s32_finance",
    "s33_real_estate",
    "s34_business_services",
    "s35_research",
    "s36_technical_services",
    "s37_environment_public",
    "s38_household_services",
    "s39_education",
    "s40_health_social",
    "s41_culture_sports",
    "s42_public_admin",
];

/// Great-circle distance between two provinces' capitals, rounded to whole kilometres.
///
/// The rounding makes the gravity weights independent of the last bits of the platform's
/// trigonometric functions, so rebuilds are byte-identical across machines.
pub fn distance_km(a: &Province, b: &Province) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (lat1, lat2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.longitude - a.longitude).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    (2.0 * EARTH_RADIUS_KM * h.sqrt().asin()).round()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_has_provinces_and_names_are_safe() {
        for (r, region) in REGIONS.iter().enumerate() {
            assert!(PROVINCES.iter().any(|p| p.region == r), "{}", region.id);
        }
        let ids = REGIONS
            .iter()
            .map(|r| r.id)
            .chain(FOREIGN_BLOCKS.iter().map(|b| b.id))
            .chain(SECTOR_IDS);
        for id in ids {
            assert!(
                id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
                "{id}"
            );
        }
        let mut sorted = SECTOR_IDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, SECTOR_IDS, "sector ids sort in NBS order");
    }

    #[test]
    fn distances_are_plausible() {
        let by = |n: &str| PROVINCES.iter().find(|p| p.name == n).expect(n);
        // Beijing-Shanghai is about 1070 km as the crow flies.
        let d = distance_km(by("Beijing"), by("Shanghai"));
        assert!((1000.0..1150.0).contains(&d), "{d}");
        assert_eq!(distance_km(by("Sichuan"), by("Sichuan")), 0.0);
    }
}
