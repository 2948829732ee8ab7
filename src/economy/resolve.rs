//! Names and selectors resolved against an economy, with errors that name the value's path in
//! the scenario (`shocks[2] TechCutoff "chips": sectors[1]: unknown sector "20x"; …`).

use std::path::Path;

use super::Economy;
use crate::kinds::{RegionKind, Select};
use crate::model::{Invalid, Model, unknown};

/// The kind of every region of an economy: the scenario's `regions` list, over the MRIO
/// folder's `regions.csv`, over `Interior`; worked out once and shared by shocks, policies and
/// metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionKinds(Vec<RegionKind>, Vec<String>);

impl RegionKinds {
    /// Kinds of `economy`'s regions as `model` lists them over the table's `regions.csv`; an
    /// unknown region is an error at `regions[k]`, and so is a region the table's file makes
    /// `Foreign` declared domestic, or the other way round.
    pub fn new(economy: &Economy, model: &Model) -> Result<RegionKinds, Invalid> {
        let mut kinds = vec![RegionKind::Interior; economy.regions.len()];
        let mut declared = vec![false; economy.regions.len()];
        for (r, kind) in economy.default_region_kinds.iter().enumerate() {
            if let Some(kind) = kind {
                kinds[r] = *kind;
                declared[r] = true;
            }
        }
        for (k, (name, kind)) in model.region_kinds().iter().enumerate() {
            let r = economy.region_index(name).ok_or_else(|| {
                Invalid::new(
                    model.source(),
                    format!("regions[{k}]"),
                    unknown_region(economy, name),
                )
            })?;
            if let Some(Some(table_kind)) = economy.default_region_kinds.get(r)
                && (*table_kind == RegionKind::Foreign) != (*kind == RegionKind::Foreign)
            {
                let file = economy
                    .region_kinds_file
                    .as_ref()
                    .map_or_else(String::new, |f| f.display().to_string());
                return Err(Invalid::new(
                    model.source(),
                    format!("regions[{k}]"),
                    format!(
                        "{name:?} is {table_kind:?} in {file}: a scenario may change the kind of a \
                         domestic region, but cannot make a foreign block domestic or a domestic \
                         region foreign (it is {kind:?} here)"
                    ),
                ));
            }
            kinds[r] = *kind;
            declared[r] = true;
        }
        // an MRIO table without `regions.csv`: the regions nobody declared are taken as
        // domestic, which is wrong for a foreign block; the run warns
        let undeclared = if economy.region_kinds_file.is_none()
            && matches!(model.economy(), crate::model::EconomyDef::Mrio(_))
        {
            (0..kinds.len())
                .filter(|&r| !declared[r])
                .map(|r| economy.regions[r].clone())
                .collect()
        } else {
            Vec::new()
        };
        Ok(RegionKinds(kinds, undeclared))
    }

    /// Regions of an MRIO table without `regions.csv` that the scenario does not declare
    /// (taken as `Interior`).
    pub fn undeclared(&self) -> &[String] {
        &self.1
    }

    /// Kind of each region, in the economy's region order.
    pub fn kinds(&self) -> &[RegionKind] {
        &self.0
    }

    /// Kind of region `r`.
    pub fn kind(&self, r: usize) -> RegionKind {
        self.0[r]
    }

    /// Whether each region is domestic (not `Foreign`).
    pub fn domestic(&self) -> Vec<bool> {
        self.0.iter().map(|k| *k != RegionKind::Foreign).collect()
    }
}

fn labels(names: &[String]) -> Vec<&str> {
    names.iter().map(String::as_str).collect()
}

/// Resolves the names and selectors of one scenario file against an economy (with its backup
/// units, if any).
pub struct Resolver<'a> {
    economy: &'a Economy,
    source: &'a Path,
    kinds: &'a RegionKinds,
}

impl<'a> Resolver<'a> {
    /// A resolver for `economy`, whose regions have `kinds`; errors name `source`.
    pub fn new(economy: &'a Economy, kinds: &'a RegionKinds, source: &'a Path) -> Resolver<'a> {
        Resolver {
            economy,
            source,
            kinds,
        }
    }

    /// The economy names are resolved against.
    pub fn economy(&self) -> &'a Economy {
        self.economy
    }

    /// The region kinds.
    pub fn kinds(&self) -> &'a RegionKinds {
        self.kinds
    }

    /// An error at `at` in the scenario file.
    pub fn invalid(&self, at: impl Into<String>, message: impl Into<String>) -> Invalid {
        Invalid::new(self.source, at, message)
    }

    /// Index of a region, or an error at `at`.
    pub fn region(&self, name: &str, at: &str) -> Result<usize, Invalid> {
        self.economy
            .region_index(name)
            .ok_or_else(|| self.invalid(at, unknown_region(self.economy, name)))
    }

    /// Index of a sector, or an error at `at`.
    pub fn sector(&self, name: &str, at: &str) -> Result<usize, Invalid> {
        self.economy.sector_index(name).ok_or_else(|| {
            self.invalid(at, unknown("sector", name, &labels(&self.economy.sectors)))
        })
    }

    /// Membership mask over regions of a non-empty selection.
    pub fn regions(&self, select: &Select, at: &str) -> Result<Vec<bool>, Invalid> {
        let n = self.economy.regions.len();
        let mask: Vec<bool> = match select {
            Select::All => vec![true; n],
            Select::Domestic => self.kinds.domestic(),
            Select::Kind(kind) => self.kinds.kinds().iter().map(|k| k == kind).collect(),
            Select::Names(names) => {
                let mut mask = vec![false; n];
                for (k, name) in names.iter().enumerate() {
                    mask[self.region(name, &format!("{at}[{k}]"))?] = true;
                }
                mask
            }
        };
        if !mask.iter().any(|m| *m) {
            let why = match select {
                Select::Kind(kind) => format!(
                    "no region is {kind:?}: give regions a kind with `regions: [(\"name\", {kind:?})]`"
                ),
                Select::Domestic => "every region is Foreign: no domestic region to select".into(),
                _ => "the selection is empty: expected at least one region".into(),
            };
            return Err(self.invalid(at, why));
        }
        Ok(mask)
    }

    /// Membership mask over sectors; an empty list means every sector.
    pub fn sectors(&self, names: &[String], at: &str) -> Result<Vec<bool>, Invalid> {
        let n = self.economy.sectors.len();
        if names.is_empty() {
            return Ok(vec![true; n]);
        }
        let mut mask = vec![false; n];
        for (k, name) in names.iter().enumerate() {
            mask[self.sector(name, &format!("{at}[{k}]"))?] = true;
        }
        Ok(mask)
    }

    /// Region index of a firm.
    pub fn firm_region(&self, firm: usize) -> usize {
        self.economy
            .industry_region(self.economy.firm_industry[firm] as usize)
    }

    /// Sector index of a firm.
    pub fn firm_sector(&self, firm: usize) -> usize {
        self.economy
            .industry_sector(self.economy.firm_industry[firm] as usize)
    }

    /// Regular firms (not backup units) of the selected regions, in index order.
    pub fn firms_in(&self, regions: &[bool]) -> Vec<u32> {
        (0..self.economy.n_regular_firms())
            .filter(|&f| regions[self.firm_region(f)])
            .map(|f| f as u32)
            .collect()
    }

    /// The firms of `firms` whose sector is selected in `sectors`, in the same order.
    pub fn of_sectors(&self, firms: Vec<u32>, sectors: &[bool]) -> Vec<u32> {
        firms
            .into_iter()
            .filter(|&f| sectors[self.firm_sector(f as usize)])
            .collect()
    }

    /// Backup units standing in the selected regions, in index order.
    pub fn units_in(&self, regions: &[bool]) -> Vec<u32> {
        (self.economy.n_regular_firms()..self.economy.n_firms())
            .filter(|&f| regions[self.firm_region(f)])
            .map(|f| f as u32)
            .collect()
    }

    /// Links selected by a shock's `from`, `sectors` and `to` fields (errors at `at`).
    pub fn select_links(
        &self,
        from: &Select,
        sectors: &[String],
        to: &Select,
        at: &str,
    ) -> Result<Vec<u32>, Invalid> {
        Ok(self.links(
            &self.regions(from, &format!("{at}: from"))?,
            &self.sectors(sectors, &format!("{at}: sectors"))?,
            &self.regions(to, &format!("{at}: to"))?,
        ))
    }

    /// Links from suppliers in `from` regions and `sectors` to buyers in `to` regions.
    pub fn links(&self, from: &[bool], sectors: &[bool], to: &[bool]) -> Vec<u32> {
        let e = self.economy;
        (0..e.n_links())
            .zip(e.link_buyers())
            .filter(|&(l, buyer)| {
                let supplier = e.link_supplier[l] as usize;
                from[self.firm_region(supplier)]
                    && sectors[self.firm_sector(supplier)]
                    && to[self.firm_region(buyer as usize)]
            })
            .map(|(l, _)| l as u32)
            .collect()
    }
}

/// The message for a region name `economy` does not have: the regions that replaced it if the
/// table says it was renamed or split (`regions.csv`'s `replaces`), else the closest name.
pub(crate) fn unknown_region(economy: &Economy, name: &str) -> String {
    if let Some((_, new)) = economy.region_renames.iter().find(|(old, _)| old == name) {
        let new: Vec<String> = new.iter().map(|n| format!("{n:?}")).collect();
        let file = economy
            .region_kinds_file
            .as_ref()
            .map_or_else(String::new, |f| format!(" ({})", f.display()));
        return format!(
            "unknown region {name:?}: this table replaced it with {}{file}",
            new.join(", ")
        );
    }
    unknown("region", name, &labels(&economy.regions))
}
