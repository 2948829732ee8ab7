//! Named variants of a scenario: parameter overrides run on the same drawn crises.

use ron::value::RawValue;
use serde::Deserialize;

/// A named set of parameter overrides, e.g.
/// `Variant(name: "no backup", set: [("backup.chips-cq.capacity_share", 0.0)])`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Variant")]
pub struct VariantSpec {
    /// Name, unique among variants ("base" is the scenario itself).
    pub name: String,
    /// `(parameter path, value)`: a path such as `backup.<name>.<field>` and a value written
    /// as the field is written in the file (a number, a distribution, a name…), kept as RON
    /// text and checked when the model is built (see `docs/scenario.md`).
    pub set: Vec<(String, Box<RawValue>)>,
}
