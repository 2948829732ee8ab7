//! Named variants of a scenario: parameter overrides run on the same drawn crises.

use serde::Deserialize;

/// A named set of parameter overrides, e.g.
/// `Variant(name: "no backup", set: [("backup.chips-cq.capacity_share", 0.0)])`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Variant")]
pub struct VariantSpec {
    /// Name, unique among variants ("base" is the scenario itself).
    pub name: String,
    /// `(parameter path, value)`: `backup.<name>.<field>`, `reserves.<name>.<field>` or
    /// `dynamics.<field>` (see `hinterland example`).
    pub set: Vec<(String, f64)>,
}
