//! Variants: the scenario as written ("base"), the scenario's named variants, and the implicit
//! "no policies", each a checked model of its own, all run on the same drawn crises.

use super::parameter::{self, Assignment};
use super::{Invalid, Model};
use std::path::Path;

use crate::scenario::{Scenario, VariantSpec};

/// Name of the scenario as written among its variants.
pub const BASE: &str = "base";

/// Name of the implicit variant without backups and reserves (the reference of `loss_avoided`).
pub const NO_POLICIES: &str = "no policies";

/// One variant to run.
#[derive(Debug, Clone)]
pub struct Variant {
    name: String,
    /// Where it is written, for messages: `variants[k] "name"` (or `variant "no policies"`).
    at: String,
    assignments: Vec<Assignment>,
    pub(super) model: Model,
}

impl Variant {
    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where it is written, for messages, e.g. `variants[0] "half size"`.
    pub fn at(&self) -> &str {
        &self.at
    }

    /// Whether it differs from the scenario only in its backups and reserves, so that "no
    /// policies" in the same run is its reference (`loss_avoided`). A variant that changes
    /// shocks or dynamics has no such reference.
    pub fn compares_with_no_policies(&self) -> bool {
        self.assignments
            .iter()
            .all(|a| a.path.starts_with("backup.") || a.path.starts_with("reserves."))
    }

    /// The assignments it makes on the scenario (none for "base" and "no policies").
    pub fn assignments(&self) -> &[Assignment] {
        &self.assignments
    }

    /// Its checked model.
    pub fn model(&self) -> &Model {
        &self.model
    }
}

/// Every variant of `base`: itself, the scenario's variants, and "no policies" when it has
/// policies and no variant of that name. Each variant's assignments are made on the scenario
/// as written and the result is checked as a file would be; errors name the variant and the
/// path.
pub(super) fn build(base: &Model, specs: &[VariantSpec]) -> Result<Vec<Variant>, Invalid> {
    let source = base.source.as_path();
    let mut all = vec![Variant {
        name: BASE.into(),
        at: BASE.into(),
        assignments: Vec::new(),
        model: base.clone(),
    }];
    let written = written(base);
    let mut errors = Vec::new();
    for (k, spec) in specs.iter().enumerate() {
        let one = |all: &[Variant]| -> Result<Variant, Invalid> {
            let at = format!("variants[{k}] {:?}", spec.name);
            if spec.name.trim().is_empty() {
                return Err(Invalid::new(
                    source,
                    at,
                    "empty variant name: expected a name for tables and charts",
                ));
            }
            if all.iter().any(|v| v.name == spec.name) {
                return Err(Invalid::new(
                    source,
                    at,
                    "duplicate variant name (\"base\" is the scenario itself)",
                ));
            }
            if spec.name == NO_POLICIES {
                return Err(Invalid::new(
                    source,
                    at,
                    "\"no policies\" is the reference the program adds (every backup and reserve removed): choose another name",
                ));
            }
            let assignments: Vec<Assignment> = spec
                .set
                .iter()
                .map(|(path, value)| Assignment::new(path.clone(), value.get_ron().trim()))
                .collect();
            make(&written, source, &spec.name, at, assignments, false)
        };
        match one(&all) {
            Ok(variant) => all.push(variant),
            Err(error) => errors.push(error),
        }
    }
    if let Some(error) = Invalid::all(errors) {
        return Err(error);
    }
    if base.has_policies() {
        let at = format!("variant {NO_POLICIES:?}");
        all.push(make(&written, source, NO_POLICIES, at, Vec::new(), true)?);
    }
    Ok(all)
}

/// One point of a sweep (or its reference) as a variant.
#[derive(Debug, Clone, PartialEq)]
pub struct PointSpec {
    /// Its name, unique among the points.
    pub name: String,
    /// The assignments it makes on the scenario.
    pub assignments: Vec<Assignment>,
    /// Every backup and reserve removed after the assignments (a reference "no policies").
    pub without_policies: bool,
}

/// The variants of `points`, every error of every point reported.
pub(super) fn build_points(base: &Model, points: &[PointSpec]) -> Result<Vec<Variant>, Invalid> {
    let written = written(base);
    let source = base.source.as_path();
    let mut all = Vec::with_capacity(points.len());
    let mut errors = Vec::new();
    for point in points {
        let at = format!("sweep point {:?}", point.name);
        match make(
            &written,
            source,
            &point.name,
            at,
            point.assignments.clone(),
            point.without_policies,
        ) {
            Ok(variant) => all.push(variant),
            Err(error) => errors.push(error),
        }
    }
    super::or_errors(all, errors)
}

/// The scenario as written, without its variants and sweep (a variant has neither).
fn written(base: &Model) -> Scenario {
    let mut written = base.spec.clone();
    written.variants.clear();
    written.sweep = None;
    written
}

/// The variant `name` (written at `at`): `assignments` made on `written`, every failing one
/// reported, then (`without_policies`) every backup and reserve removed, and the result
/// checked as a file would be, each error at its path under the variant.
fn make(
    written: &Scenario,
    source: &Path,
    name: &str,
    at: String,
    assignments: Vec<Assignment>,
    without_policies: bool,
) -> Result<Variant, Invalid> {
    let mut varied = written.clone();
    let mut failed = Vec::new();
    for (j, assignment) in assignments.iter().enumerate() {
        if let Err(message) = parameter::apply(&mut varied, assignment) {
            failed.push(Invalid::new(
                source,
                format!("{at}: set[{j}] {:?}", assignment.path),
                message,
            ));
        }
    }
    if let Some(error) = Invalid::all(failed) {
        return Err(error);
    }
    if without_policies {
        varied.backup.clear();
        varied.reserves.clear();
    }
    let model = Model::check(&varied, source).map_err(|err| {
        let errors = std::iter::once(&err)
            .chain(&err.more)
            .map(|e| Invalid::new(source, format!("{at}: {}", e.at), e.message.clone()))
            .collect();
        Invalid::all(errors).unwrap_or(err)
    })?;
    Ok(Variant {
        name: name.to_string(),
        at,
        assignments,
        model: alone(model),
    })
}

/// A variant's own model: a scenario of its own, whose only variant is itself.
fn alone(mut model: Model) -> Model {
    model.variants = vec![Variant {
        name: BASE.into(),
        at: BASE.into(),
        assignments: Vec::new(),
        model: model.clone(),
    }];
    model
}
