//! The checked model: a scenario with every value that does not need the economy validated,
//! its paths resolved and its variants built. It mirrors `scenario/` file by file
//! (`economy`, `dynamics`, `shocks`, `policy`, `variant`), and adds `parameter`, the typed
//! parameter paths of variants, `run --set` and sweeps.
//!
//! Names of regions and sectors stay names here: they become indices once, against the
//! economy's labels, in [`crate::economy::Resolver`].
//!
//! A model is made only from a scenario ([`Model::load`], [`Model::from_scenario`]) and changed
//! only through parameter paths ([`Model::with_assignments`]). A path sets a field of the
//! scenario as written, parsing the value exactly as the file's field is parsed, and the whole
//! scenario is checked again: a value set by a path passes exactly the checks the same value
//! written in the file passes, cross-field checks included.

mod dynamics;
mod economy;
mod parameter;
mod policy;
mod shock_checks;
mod shocks;
pub mod sweep;
mod variant;

pub use dynamics::Dynamics;
pub use economy::{EconomyDef, EconomyParams, SyntheticParams};
pub use parameter::{Assignment, parse_grid};
pub use policy::{BackupDef, ReserveDef};
pub use shocks::{Recovery, ShockDef, ShockKind};
pub use sweep::Sweep;
pub use variant::{BASE, NO_POLICIES, PointSpec, Variant};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::kinds::{RecordKind, RegionKind, Trigger};
use crate::scenario::{self, Scenario};

/// Longest scenario name accepted, in bytes (it names the output folder).
pub const MAX_NAME_BYTES: usize = 200;

/// Longest run accepted, in days (records are kept in memory).
pub const MAX_DAYS: usize = 36_500;

/// A value that is well-formed but does not fit the rest (an unknown region, a duplicate
/// name, a rule between fields), named by its path in the scenario, e.g.
/// `shocks[2] CapitalLoss "b_reg1": impacts[0]`.
///
/// A file with several such errors reports them together: the first, then `more`, one per
/// line.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.lines())]
pub struct Invalid {
    /// The scenario file.
    pub file: PathBuf,
    /// Path of the value inside the scenario.
    pub at: String,
    /// What is wrong, what was expected.
    pub message: String,
    /// The other errors found in the same file, in the order of the file.
    pub more: Vec<Invalid>,
}

impl Invalid {
    /// An error at `at` in `file`.
    pub fn new(file: &Path, at: impl Into<String>, message: impl Into<String>) -> Invalid {
        Invalid {
            file: file.to_path_buf(),
            at: at.into(),
            message: message.into(),
            more: Vec::new(),
        }
    }

    /// The errors of `errors` reported together (`None` when there are none).
    pub fn all(errors: Vec<Invalid>) -> Option<Invalid> {
        let mut flat = Vec::new();
        for mut error in errors {
            let more = std::mem::take(&mut error.more);
            flat.push(error);
            flat.extend(more);
        }
        let mut flat = flat.into_iter();
        let mut first = flat.next()?;
        first.more = flat.collect();
        Some(first)
    }

    /// Every error of the file, one per line as `file: at: message`.
    fn lines(&self) -> String {
        std::iter::once(self)
            .chain(&self.more)
            .map(|e| format!("{}: {}: {}", e.file.display(), e.at, e.message))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// `check` applied to every item in order, every error kept: the checked items, or every
/// error together.
pub(crate) fn check_each<S, T>(
    items: &[S],
    mut check: impl FnMut(usize, &S) -> Result<T, Invalid>,
) -> Result<Vec<T>, Invalid> {
    let mut checked = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (k, item) in items.iter().enumerate() {
        match check(k, item) {
            Ok(value) => checked.push(value),
            Err(error) => errors.push(error),
        }
    }
    or_errors(checked, errors)
}

/// `Ok(value)` when `errors` is empty, else every error together.
pub(crate) fn or_errors<T>(value: T, errors: Vec<Invalid>) -> Result<T, Invalid> {
    match Invalid::all(errors) {
        None => Ok(value),
        Some(error) => Err(error),
    }
}

/// A scenario file that cannot be used: unreadable, malformed, or invalid.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file cannot be read or parsed.
    #[error(transparent)]
    Scenario(#[from] scenario::ScenarioError),
    /// A value does not fit the rest.
    #[error(transparent)]
    Invalid(#[from] Invalid),
}

/// A validated scenario, ready to build an economy and run.
#[derive(Debug, Clone)]
pub struct Model {
    name: String,
    description: String,
    source: PathBuf,
    days: usize,
    economy: EconomyDef,
    dynamics: Dynamics,
    shocks: Vec<ShockDef>,
    records: Vec<RecordKind>,
    runs: usize,
    seed: u64,
    region_kinds: Vec<(String, RegionKind)>,
    backup: Vec<BackupDef>,
    reserves: Vec<ReserveDef>,
    /// Every variant to run, "base" first (empty in a variant's own model).
    variants: Vec<Variant>,
    /// The checked sweep (`hinterland sweep`), if the scenario has one.
    sweep: Option<Sweep>,
    /// What is allowed but probably not meant (e.g. a crisis drawn to start after the run in
    /// some runs), as `at: message`.
    warnings: Vec<String>,
    /// The scenario as written (with the assignments made so far): parameter paths set its
    /// fields and the model is checked again from it.
    spec: Scenario,
}

impl Model {
    /// Read, parse and check a scenario file.
    pub fn load(path: &Path) -> Result<Model, LoadError> {
        Ok(Model::read(path)?.1)
    }

    /// Read a scenario file once, parse and check it: its bytes, as run, and the model.
    pub fn read(path: &Path) -> Result<(Vec<u8>, Model), LoadError> {
        let (bytes, parsed) = scenario::read(path)?;
        Ok((bytes, Model::from_scenario(&parsed, path)?))
    }

    /// Read, parse and check a scenario file whose MRIO table is read from `data_dir` instead
    /// of the folder the file names (`run --reproduce`: a scenario copy away from its table).
    pub fn read_with_data(path: &Path, data_dir: &Path) -> Result<(Vec<u8>, Model), LoadError> {
        let (bytes, mut parsed) = scenario::read(path)?;
        if let scenario::EconomySpec::Mrio { path, .. } = &mut parsed.economy {
            *path = data_dir.display().to_string();
        }
        Ok((bytes, Model::from_scenario(&parsed, path)?))
    }

    /// Check a parsed scenario. `source` is the scenario file: relative paths in it are taken
    /// relative to its folder.
    pub fn from_scenario(scenario: &Scenario, source: &Path) -> Result<Model, Invalid> {
        let mut model = Model::check(scenario, source)?;
        model.variants = variant::build(&model, &scenario.variants)?;
        // a variant's own warnings, once each
        let mut extra = Vec::new();
        for variant in model.variants.iter().skip(1) {
            for warning in &variant.model().warnings {
                if !model.warnings.contains(warning) {
                    extra.push(format!("{}: {warning}", variant.at()));
                }
            }
        }
        model.warnings.extend(extra);
        Ok(model)
    }

    /// What is allowed but probably not meant, e.g. `shocks[0] TechCutoff "chips": start_day:
    /// Uniform(300, 400) starts on or after day 365 in about 35 % of runs…`.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The model with `assignments` made in order (e.g. `run --set`), its variants built again
    /// on top of them. Each value is parsed as the file parses the field, and the result is
    /// checked as a file would be.
    pub fn with_assignments(&self, assignments: &[Assignment]) -> Result<Model, Invalid> {
        let mut spec = self.spec.clone();
        for assignment in assignments {
            parameter::apply(&mut spec, assignment).map_err(|message| {
                Invalid::new(&self.source, format!("set {:?}", assignment.path), message)
            })?;
        }
        Model::from_scenario(&spec, &self.source)
    }

    /// The scenario with the backups of `placed` instead of its own (its reserves kept),
    /// checked as a file would be, without variants or sweep: one portfolio of `hinterland
    /// optimize`. Each placed backup is a copy of the scenario's backup `template`, renamed,
    /// in another region (or sector), at another size.
    pub fn with_placed_backups(&self, placed: &[PlacedBackup]) -> Result<Model, Invalid> {
        let mut spec = self.spec.clone();
        let mut backups = Vec::with_capacity(placed.len());
        for p in placed {
            let Some(template) = self.spec.backup.get(p.template) else {
                return Err(Invalid::new(
                    &self.source,
                    "backup",
                    format!("no backup [{}] to place", p.template),
                ));
            };
            let mut backup = template.clone();
            backup.name = p.name.clone();
            backup.sector = p.sector.clone();
            backup.region = p.region.clone();
            backup.capacity_share = crate::kinds::NonNegative(p.capacity_share);
            backups.push(backup);
        }
        spec.backup = backups;
        spec.variants.clear();
        spec.sweep = None;
        Model::from_scenario(&spec, &self.source).map(|model| model.keeping_variants(&[]))
    }

    /// The model with only the variants named in `names` ("base" is always kept), e.g. to
    /// compare the scenario with "no policies" alone.
    pub fn keeping_variants(&self, names: &[&str]) -> Model {
        let mut model = self.clone();
        model
            .variants
            .retain(|v| v.name() == BASE || names.contains(&v.name()));
        model
    }

    /// The sweep the scenario declares, if any.
    pub fn sweep(&self) -> Option<&Sweep> {
        self.sweep.as_ref()
    }

    /// The model with `grid` added to its sweep as grid parameters (`sweep --grid
    /// path=v1,v2`): a path already swept takes the new values, a new path is added, and a
    /// scenario without a sweep gets a grid of these parameters alone.
    pub fn with_grid(&self, grid: &[(String, Vec<String>)]) -> Result<Model, Invalid> {
        let mut spec = self.spec.clone();
        let sweep = spec.sweep.get_or_insert_with(|| scenario::SweepSpec {
            parameters: Vec::new(),
            design: scenario::DesignSpec::Grid,
            runs_per_point: None,
            design_seed: None,
            loss: None,
            satisficing: None,
            discovery: None,
        });
        for (path, values) in grid {
            let raw = values
                .iter()
                .map(|v| {
                    ron::value::RawValue::from_boxed_ron(v.clone().into_boxed_str()).map_err(|e| {
                        Invalid::new(
                            &self.source,
                            format!("--grid {path:?}"),
                            format!("{v}: {}", e.code),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let values = scenario::ValuesSpec::List(raw);
            match sweep.parameters.iter_mut().find(|(p, _)| p == path) {
                Some((_, slot)) => *slot = values,
                None => sweep.parameters.push((path.clone(), values)),
            }
        }
        Model::from_scenario(&spec, &self.source)
    }

    /// The model whose variants are `points` instead of the scenario's (a sweep's points and
    /// their references), each built and checked as a variant is.
    pub fn with_points(&self, points: &[PointSpec]) -> Result<Model, Invalid> {
        let mut model = self.clone();
        model.variants = variant::build_points(self, points)?;
        Ok(model)
    }

    /// Every check that needs no economy, without building the variants.
    fn check(scenario: &Scenario, source: &Path) -> Result<Model, Invalid> {
        let invalid = |at: String, message: String| Invalid::new(source, at, message);
        // every part is checked, and every error reported together
        let mut errors = Vec::new();
        // the name becomes the default output folder `output/<name>`
        let name = scenario.name.as_str();
        if name.is_empty()
            || name == "."
            || name == ".."
            || name.contains(['/', '\\'])
            || name.chars().any(char::is_control)
        {
            errors.push(invalid(
                "name".into(),
                format!(
                    "{name:?} cannot name an output folder: expected a non-empty name without slashes, e.g. \"coastal-blockade\""
                ),
            ));
        } else if name.len() > MAX_NAME_BYTES {
            // a file name holds at most 255 bytes; keep room for `.partial-…` folders
            errors.push(invalid(
                "name".into(),
                format!(
                    "the name has {} bytes: expected at most {MAX_NAME_BYTES}, as it names the output folder",
                    name.len()
                ),
            ));
        }
        let dynamics = Dynamics::from_spec(&scenario.dynamics)
            .map_err(|(at, message)| errors.push(invalid(at, message)))
            .ok();
        let days = scenario.days.get() as usize;
        if days > MAX_DAYS {
            errors.push(invalid(
                "days".into(),
                format!("{days} days is more than the supported {MAX_DAYS} (100 years)"),
            ));
        }
        let mut warnings = Vec::new();
        let shocks = shock_checks::from_specs(&scenario.shocks, days, source, &mut warnings)
            .map_err(|error| errors.push(error))
            .ok();
        let mut seen = BTreeSet::new();
        for (k, (region, _)) in scenario.regions.iter().enumerate() {
            if !seen.insert(region.clone()) {
                errors.push(invalid(
                    format!("regions[{k}]"),
                    format!("region {region:?} is listed twice"),
                ));
            }
        }
        let shock_names = shock_checks::names(&scenario.shocks);
        let shock_names: Vec<&str> = shock_names.iter().map(String::as_str).collect();
        let backup = policy::backups(&scenario.backup, &shock_names, source)
            .map_err(|error| errors.push(error))
            .ok();
        let reserves = policy::reserves(&scenario.reserves, source)
            .map_err(|error| errors.push(error))
            .ok();
        let sweep = scenario.sweep.as_ref().and_then(|spec| {
            sweep::check(spec, scenario, source)
                .map_err(|error| errors.push(error))
                .ok()
        });
        let (dynamics, capital_to_value_added, shocks, backup, reserves) =
            match (dynamics, shocks, backup, reserves, Invalid::all(errors)) {
                (Some((dynamics, capital)), Some(shocks), Some(backup), Some(reserves), None) => {
                    (dynamics, capital, shocks, backup, reserves)
                }
                (.., Some(error)) => return Err(error),
                // a part that failed has pushed its error
                _ => return Err(invalid("scenario".into(), "invalid".into())),
            };
        never_triggered(&backup, &shocks, &mut warnings);
        let base = source.parent().unwrap_or(Path::new(""));
        let economy = EconomyDef::from_spec(&scenario.economy, capital_to_value_added, base);
        let records: BTreeSet<RecordKind> = scenario.records.iter().copied().collect();
        Ok(Model {
            name: scenario.name.clone(),
            description: scenario.description.clone(),
            source: source.to_path_buf(),
            days,
            economy,
            dynamics,
            shocks,
            records: records.into_iter().collect(),
            runs: scenario.runs.get() as usize,
            seed: scenario.seed,
            region_kinds: scenario.regions.clone(),
            backup,
            reserves,
            variants: Vec::new(),
            sweep,
            warnings,
            spec: scenario.clone(),
        })
    }

    /// Scenario name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Scenario description.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The scenario file (for messages; relative paths in it are resolved against its folder).
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// The same model, its messages naming `source` instead: a merge reads the scenario's
    /// copy in a shard but names the file the shards were run on, as they did. Only for a
    /// model whose paths are already resolved (its table folder absolute).
    pub fn named(mut self, source: &Path) -> Model {
        self.rename(source);
        self
    }

    fn rename(&mut self, source: &Path) {
        self.source = source.to_path_buf();
        for variant in &mut self.variants {
            variant.model.rename(source);
        }
    }

    /// Days simulated (records have one row per day `0..days`).
    pub fn days(&self) -> usize {
        self.days
    }

    /// How to build the economy.
    pub fn economy(&self) -> &EconomyDef {
        &self.economy
    }

    /// Daily dynamics.
    pub fn dynamics(&self) -> &Dynamics {
        &self.dynamics
    }

    /// Shocks, in scenario order, with names still unresolved.
    pub fn shocks(&self) -> &[ShockDef] {
        &self.shocks
    }

    /// Records the scenario asks to write, sorted and without duplicates.
    pub fn records(&self) -> &[RecordKind] {
        &self.records
    }

    /// Monte Carlo runs the scenario asks for.
    pub fn runs(&self) -> usize {
        self.runs
    }

    /// Seed of the shock draws.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Region kinds as listed (domestic regions not listed are `Interior`).
    pub fn region_kinds(&self) -> &[(String, RegionKind)] {
        &self.region_kinds
    }

    /// Backup capacity, names unresolved.
    pub fn backup(&self) -> &[BackupDef] {
        &self.backup
    }

    /// Strategic reserves, names unresolved.
    pub fn reserves(&self) -> &[ReserveDef] {
        &self.reserves
    }

    /// Whether the scenario has a backup or a reserve.
    pub fn has_policies(&self) -> bool {
        !self.backup.is_empty() || !self.reserves.is_empty()
    }

    /// Every variant to run, each with its own checked model: "base" (this model), the
    /// scenario's variants in order, and, when the scenario has backups or reserves, "no
    /// policies" (the reference of `loss_avoided`; a variant may not take that name).
    pub fn variants(&self) -> &[Variant] {
        &self.variants
    }
}

/// Warn of backups whose trigger can never fire: availability below 0, or a disaster that
/// never happens.
fn never_triggered(backup: &[BackupDef], shocks: &[ShockDef], warnings: &mut Vec<String>) {
    for def in backup {
        match &def.trigger {
            Trigger::Availability { below, .. } if below.get() <= 0.0 => warnings.push(format!(
                "{}: trigger: availability is never below 0, so the backup never starts \
                 (it only costs its holding)",
                def.at
            )),
            Trigger::OnShock(name)
            | Trigger::Warning {
                shock: name,
                false_alarm: crate::kinds::Share(0.0),
                ..
            } => {
                if let Some(shock) = shocks.iter().find(|s| &s.name == name)
                    && let ShockKind::Disaster { probability, .. } = shock.kind
                    && probability <= 0.0
                {
                    warnings.push(format!(
                        "{}: trigger: disaster {name:?} has probability 0, so the backup never \
                         starts (it only costs its holding)",
                        def.at
                    ));
                }
            }
            _ => {}
        }
    }
}

/// One backup of a portfolio of `hinterland optimize`: a copy of the scenario's backup
/// `template` (its index in [`Model::backup`]) named `name`, producing `sector`, standing in
/// `region` at `capacity_share`.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedBackup {
    /// Index of the scenario's backup it copies.
    pub template: usize,
    /// Its name, unique in the portfolio.
    pub name: String,
    /// Sector it produces.
    pub sector: String,
    /// Region of its units.
    pub region: String,
    /// Its capacity as a share of the sector's domestic output.
    pub capacity_share: f64,
}

/// `unknown <what> "<name>"; did you mean "<closest>"?`, or the list of known names when none
/// is close.
pub fn unknown(what: &str, name: &str, known: &[&str]) -> String {
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
        let known = ["manufactoring", "mining"];
        assert_eq!(
            unknown("sector", "manufacturing", &known),
            "unknown sector \"manufacturing\"; did you mean \"manufactoring\"?"
        );
        assert_eq!(
            unknown("sector", "20x", &["20", "21"]),
            "unknown sector \"20x\"; did you mean \"20\"?"
        );
        assert!(unknown("region", "atlantis", &known).contains("known: manufactoring, mining"));
    }
}
