//! Names and selectors resolved against an economy, with errors that name the value's path in
//! the scenario (`shocks[2] TechCutoff "chips": sectors[1]: unknown sector "20x"; …`).

use std::path::Path;

use crate::economy::Economy;
use crate::kinds::{RegionKind, Select};
use crate::scenario::ScenarioError;

/// Resolves names for one scenario file.
pub(crate) struct Resolver<'a> {
    pub economy: &'a Economy,
    pub source: &'a Path,
    /// Kind of each region of the economy.
    pub kinds: Vec<RegionKind>,
}

impl<'a> Resolver<'a> {
    /// Region kinds from the scenario's `regions` list; unlisted regions are `Interior`.
    pub fn new(
        economy: &'a Economy,
        source: &'a Path,
        listed: &[(String, RegionKind)],
    ) -> Result<Resolver<'a>, ScenarioError> {
        let mut resolver = Resolver {
            economy,
            source,
            kinds: vec![RegionKind::Interior; economy.regions.len()],
        };
        for (k, (name, kind)) in listed.iter().enumerate() {
            let r = resolver.region(name, &format!("regions[{k}]"))?;
            resolver.kinds[r] = *kind;
        }
        Ok(resolver)
    }

    pub fn invalid(&self, at: impl Into<String>, message: impl Into<String>) -> ScenarioError {
        ScenarioError::Invalid {
            path: self.source.to_path_buf(),
            at: at.into(),
            message: message.into(),
        }
    }

    /// Index of a region, or an error at `at`.
    pub fn region(&self, name: &str, at: &str) -> Result<usize, ScenarioError> {
        self.economy
            .region_index(name)
            .ok_or_else(|| self.invalid(at, unknown("region", name, &self.economy.regions)))
    }

    /// Index of a sector, or an error at `at`.
    pub fn sector(&self, name: &str, at: &str) -> Result<usize, ScenarioError> {
        self.economy
            .sector_index(name)
            .ok_or_else(|| self.invalid(at, unknown("sector", name, &self.economy.sectors)))
    }

    /// Membership mask over regions of a non-empty selection.
    pub fn regions(&self, select: &Select, at: &str) -> Result<Vec<bool>, ScenarioError> {
        let n = self.economy.regions.len();
        let mask: Vec<bool> = match select {
            Select::All => vec![true; n],
            Select::Domestic => self
                .kinds
                .iter()
                .map(|k| *k != RegionKind::Foreign)
                .collect(),
            Select::Kind(kind) => self.kinds.iter().map(|k| k == kind).collect(),
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
    pub fn sectors(&self, names: &[String], at: &str) -> Result<Vec<bool>, ScenarioError> {
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
    ) -> Result<Vec<u32>, ScenarioError> {
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

/// "unknown region "x"; did you mean "y"?" with the closest known name.
pub(crate) fn unknown(what: &str, name: &str, known: &[String]) -> String {
    let closest = known
        .iter()
        .map(|k| (edit_distance(name, k), k))
        .min_by_key(|(d, _)| *d)
        .filter(|(d, k)| *d <= (k.len().max(name.len()) / 2).max(2));
    match closest {
        Some((_, k)) => format!("unknown {what} {name:?}; did you mean {k:?}?"),
        None => format!("unknown {what} {name:?}; known: {}", known.join(", ")),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        let known = vec!["manufactoring".to_string(), "mining".to_string()];
        assert_eq!(
            unknown("sector", "manufacturing", &known),
            "unknown sector \"manufacturing\"; did you mean \"manufactoring\"?"
        );
        assert_eq!(
            unknown("sector", "20x", &["20".to_string(), "21".to_string()]),
            "unknown sector \"20x\"; did you mean \"20\"?"
        );
        assert!(unknown("region", "atlantis", &known).contains("known: manufactoring, mining"));
    }
}
