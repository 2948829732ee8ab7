//! Parameter paths: one grammar for variants, `run --set` and sweeps.
//!
//! A path names one field of the scenario as written; a value is written as that field is
//! written in the file:
//!
//! | path | sets |
//! |---|---|
//! | `dynamics.<field>` | a field of `Ario(...)`: `inventory_days`, `alpha_max`, `psi`, `compat`, `criticality`… |
//! | `backup.<name>.<field>` | a field of the backup named `<name>`: `capacity_share`, `region`, `trigger`… |
//! | `backup.<name>.trigger.below` | a field of its `Availability` trigger (`below`, `lag_days`) |
//! | `reserves.<name>.<field>` | a field of the reserve named `<name>`: `days`, `max_release`… |
//! | `shocks.<name>.<field>` | a field of the shock named `<name>`, e.g. `duration_days` |
//! | `shocks.<name>.<field>.<parameter>` | one parameter of a drawn field's distribution, e.g. `duration_days.max` |
//! | `shocks.<name>.recovery.<field>` | a field of the shock's recovery, e.g. `tau_days` |
//! | `<path>[<key>]` | one entry of a keyed field: `dynamics.inventory_days_by_input[s24_electricity_heat]` |
//!
//! Values: a number (`0.05`), a distribution (`Uniform(90, 180)`; a plain number given for a
//! distribution means `Fixed`), a name (`"MidYangtze"`), a rule (`Availability(below: 0.8)`)…
//! Each is parsed exactly as the file's field is parsed, with the same range checks; whole
//! numbers refuse fractions, and no value is rounded or clamped into range when it is set. The scenario is then checked
//! again as a whole, so the rules between fields (`alpha_max >= alpha_base`, a start day inside
//! the run…) hold for every variant. Names are matched whole, so a backup or reserve named with
//! spaces or dots (`national oil reserve`) is addressed as written. A distribution's
//! parameters are named `value` (`Fixed`), `min`, `max` (`Uniform`), `mean`, `sd` (`Normal`),
//! `mu`, `sigma` (`LogNormal`), `a`, `b` (`Beta`), `min`, `mode`, `max` (`Triangular`) and
//! `lambda` (`Poisson`).

use serde::de::DeserializeOwned;

use super::unknown;
use crate::kinds::{
    Compat, Count, DaysDist, Dist, NonNegative, OrderType, Positive, PositiveDays, PositiveF,
    Priority, Select, Serves, Share, ShareDist, Sourcing, UnitInterval,
};
use crate::scenario::Scenario;

/// One parameter set to a value: `(path, value written in RON)`, e.g.
/// `("shocks.embargo.duration_days", "Uniform(90, 180)")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The parameter path.
    pub path: String,
    /// The value, as it would be written in the scenario file.
    pub value: String,
}

impl Assignment {
    /// `PATH=VALUE` as given to `--set`: a parameter path and the value, as RON text.
    pub fn parse(text: &str) -> Result<Assignment, String> {
        match text.split_once('=') {
            Some((path, value)) if !path.trim().is_empty() && !value.trim().is_empty() => {
                Ok(Assignment::new(path.trim(), value.trim()))
            }
            _ => Err(format!(
                "expected PATH=VALUE, e.g. backup.chips-cq.capacity_share=0.2; found {text:?}"
            )),
        }
    }

    /// `path` set to `value` (RON text).
    pub fn new(path: impl Into<String>, value: impl Into<String>) -> Assignment {
        Assignment {
            path: path.into(),
            value: value.into(),
        }
    }
}

/// A field of the scenario that a parameter path can set.
pub(crate) trait Settable {
    /// Set the field reached by `path` (empty: this value itself) to `value`, parsed as the
    /// file parses it; `key` is the `[key]` of a keyed field.
    fn set(&mut self, path: &[&str], key: Option<&str>, value: &str) -> Result<(), String>;
}

/// Dispatch `path` to the named fields of a struct (or of one variant of an enum):
/// `set_fields!("backup", path, key, value, { "capacity_share" => &mut self.capacity_share })`.
macro_rules! set_fields {
    ($what:expr, $path:expr, $key:expr, $value:expr, { $($name:literal => $target:expr),* $(,)? }) => {{
        let known: &[&str] = &[$($name),*];
        match $path.split_first() {
            $(Some((&$name, rest)) => $crate::model::parameter::Settable::set($target, rest, $key, $value),)*
            Some((field, _)) => Err($crate::model::unknown(&format!("{} field", $what), field, known)),
            None => Err(format!("expected a field of {}: {}", $what, known.join(", "))),
        }
    }};
}
pub(crate) use set_fields;

/// Parse `value` as the file parses a field of type `T` (RON, with `T`'s own range checks).
fn parse<T: DeserializeOwned>(value: &str) -> Result<T, String> {
    ron::Options::default()
        .from_str::<T>(value)
        .map_err(|err| format!("{value}: {}", err.code))
}

/// Replace a whole value; a key is refused (the field is not keyed).
pub(crate) fn set_whole<T: DeserializeOwned>(
    target: &mut T,
    key: Option<&str>,
    value: &str,
) -> Result<(), String> {
    refuse_key(key)?;
    *target = parse(value)?;
    Ok(())
}

fn refuse_key(key: Option<&str>) -> Result<(), String> {
    match key {
        None => Ok(()),
        Some(key) => Err(format!(
            "[{key}]: this field is not keyed (one value for every sector): remove [{key}]"
        )),
    }
}

fn no_deeper(path: &[&str]) -> Result<(), String> {
    match path.first() {
        None => Ok(()),
        Some(field) => Err(format!("has no field {field:?}")),
    }
}

/// Leaf fields: set whole, parsed as their type.
macro_rules! leaf {
    ($($t:ty),* $(,)?) => {$(
        impl Settable for $t {
            fn set(&mut self, path: &[&str], key: Option<&str>, value: &str) -> Result<(), String> {
                no_deeper(path)?;
                set_whole(self, key, value)
            }
        }
    )*};
}

leaf!(
    bool,
    String,
    Vec<String>,
    Vec<(String, Share)>,
    Vec<(String, String, Share)>,
    Vec<(String, String, NonNegative)>,
    NonNegative,
    Positive,
    PositiveF,
    Share,
    Select,
    Compat,
    OrderType,
    crate::kinds::Rationing,
    crate::kinds::Stocks,
    crate::kinds::Important,
    Sourcing,
    Serves,
    Priority,
    crate::kinds::RecoveryFunction,
);

/// Whole-number fields (days, counts): a fraction is refused, never rounded.
macro_rules! whole {
    ($($t:ty),* $(,)?) => {$(
        impl Settable for $t {
            fn set(&mut self, path: &[&str], key: Option<&str>, value: &str) -> Result<(), String> {
                no_deeper(path)?;
                if let Ok(number) = parse::<f64>(value) {
                    if number.fract() != 0.0 {
                        return Err(format!("{value} is not a whole number: expected a whole number"));
                    }
                    if value.contains(['.', 'e', 'E']) {
                        return Err(format!(
                            "{value}: a whole number is written without a decimal point or exponent, e.g. {number}"
                        ));
                    }
                }
                set_whole(self, key, value)
            }
        }
    )*};
}

whole!(u32, PositiveDays, Count);

/// Fields set per sector: the whole list (`[("s24_electricity_heat", 1.0)]`), or with
/// `[sector]` the value of one sector (added when it is not listed).
macro_rules! keyed {
    ($($t:ty),* $(,)?) => {$(
        impl Settable for Vec<(String, $t)> {
            fn set(&mut self, path: &[&str], key: Option<&str>, value: &str) -> Result<(), String> {
                no_deeper(path)?;
                let Some(key) = key else {
                    return set_whole(self, None, value);
                };
                let number: $t = parse(value)?;
                match self.iter_mut().find(|(sector, _)| sector == key) {
                    Some((_, slot)) => *slot = number,
                    None => self.push((key.to_string(), number)),
                }
                Ok(())
            }
        }
    )*};
}

keyed!(PositiveF, Positive);

impl Settable for Vec<crate::scenario::CriticalitySpec> {
    fn set(&mut self, path: &[&str], key: Option<&str>, value: &str) -> Result<(), String> {
        no_deeper(path)?;
        set_whole(self, key, value)
    }
}

impl Settable for Option<UnitInterval> {
    /// `Some(0.8)`, `None`, or a plain number for `Some`.
    fn set(&mut self, path: &[&str], key: Option<&str>, value: &str) -> Result<(), String> {
        no_deeper(path)?;
        refuse_key(key)?;
        *self = match parse::<UnitInterval>(value) {
            Ok(number) => Some(number),
            // a plain number out of range: say so, not that `Some(..)` was expected
            Err(err) if parse::<f64>(value).is_ok() => return Err(err),
            Err(_) => parse(value)?,
        };
        Ok(())
    }
}

/// A distribution field: the whole distribution (a plain number means `Fixed`), or one of its
/// parameters by name, checked again as the file checks it.
fn set_dist<T>(
    target: &mut T,
    path: &[&str],
    key: Option<&str>,
    value: &str,
    dist: impl Fn(&T) -> Dist,
    new: impl Fn(Dist) -> Result<T, String>,
) -> Result<(), String> {
    refuse_key(key)?;
    let next = match path {
        [] => match parse::<f64>(value) {
            Ok(number) => Dist::Fixed(number),
            Err(_) => parse::<Dist>(value)?,
        },
        [parameter] => dist(target).with_parameter(parameter, parse::<f64>(value)?)?,
        [_, deeper, ..] => return Err(format!("has no field {deeper:?}")),
    };
    *target = new(next)?;
    Ok(())
}

impl Settable for DaysDist {
    fn set(&mut self, path: &[&str], key: Option<&str>, value: &str) -> Result<(), String> {
        set_dist(self, path, key, value, DaysDist::dist, DaysDist::new)
    }
}

impl Settable for ShareDist {
    fn set(&mut self, path: &[&str], key: Option<&str>, value: &str) -> Result<(), String> {
        set_dist(self, path, key, value, ShareDist::dist, ShareDist::new)
    }
}

/// Make one assignment on the scenario as written; `Err` says what is wrong (the caller names
/// the path and the variant).
pub(crate) fn apply(spec: &mut Scenario, assignment: &Assignment) -> Result<(), String> {
    let (path, key) = split_key(&assignment.path)?;
    let value = assignment.value.trim();
    let (section, rest) = path.split_once('.').unwrap_or((path, ""));
    let sections = ["dynamics", "backup", "reserves", "shocks"];
    let names = |names: Vec<&str>, what: &str| named(&names, section, rest, what);
    let (target, fields): (&mut dyn Settable, &str) = match section {
        "dynamics" => (&mut spec.dynamics, rest),
        "backup" => {
            let (index, fields) = names(
                spec.backup.iter().map(|b| b.name.as_str()).collect(),
                "backup",
            )?;
            (&mut spec.backup[index], fields)
        }
        "reserves" => {
            let (index, fields) = names(
                spec.reserves.iter().map(|r| r.name.as_str()).collect(),
                "reserve",
            )?;
            (&mut spec.reserves[index], fields)
        }
        "shocks" => {
            let (index, fields) = names(spec.shocks.iter().map(|s| s.name()).collect(), "shock")?;
            (&mut spec.shocks[index], fields)
        }
        other => {
            return Err(format!(
                "{}: a parameter path starts with {}",
                unknown("section", other, &sections),
                sections.map(|s| format!("{s}.")).join(", ")
            ));
        }
    };
    let fields: Vec<&str> = fields.split('.').collect();
    if section != "dynamics" && fields == ["name"] {
        return Err(
            "the name addresses the element and cannot be set; rename it in the file".into(),
        );
    }
    target.set(&fields, key, value)
}

/// The path without a trailing `[key]`, and the key.
fn split_key(path: &str) -> Result<(&str, Option<&str>), String> {
    match path.strip_suffix(']').and_then(|p| p.rsplit_once('[')) {
        Some((_, "")) => Err(format!("{path:?}: empty [key]")),
        Some((path, key)) => Ok((path, Some(key))),
        None if path.contains(['[', ']']) => Err(format!(
            "{path:?}: a key goes at the end of the path, e.g. dynamics.inventory_days[sector]"
        )),
        None => Ok((path, None)),
    }
}

/// The index of the element named at the start of `rest` (`<name>.<fields>`), the longest name
/// that fits, and the fields after it.
fn named<'a>(
    names: &[&str],
    section: &str,
    rest: &'a str,
    what: &str,
) -> Result<(usize, &'a str), String> {
    let found = names
        .iter()
        .enumerate()
        .filter(|(_, name)| {
            rest.strip_prefix(**name)
                .is_some_and(|after| after.starts_with('.'))
        })
        .max_by_key(|(_, name)| name.len());
    match found {
        Some((index, name)) => Ok((index, &rest[name.len() + 1..])),
        None if names.contains(&rest) => Err(format!(
            "a path sets one field of the {what} {rest:?}: expected {section}.{rest}.<field>"
        )),
        None => {
            let guess = rest.split('.').next().unwrap_or(rest);
            let known = names;
            Err(
                match unknown(what, guess, known).split_once("; did you mean ") {
                    Some((_, hint)) => format!("no {what} is named {guess:?}; did you mean {hint}"),
                    None if known.is_empty() => {
                        format!("no {what} is named {guess:?}: there is none")
                    }
                    None => format!(
                        "no {what} is named {guess:?}; {what}s: {}",
                        known.join(", ")
                    ),
                },
            )
        }
    }
}

/// `--grid PATH=V1,V2,…`: a parameter path and its values, as RON text each (commas inside
/// brackets or quotes do not split: `Uniform(90, 180)` is one value).
pub fn parse_grid(text: &str) -> Result<(String, Vec<String>), String> {
    let (path, values) = text.split_once('=').ok_or_else(|| {
        format!("{text:?}: expected PATH=V1,V2,… such as backup.bk.capacity_share=0,0.1,0.2")
    })?;
    let path = path.trim();
    if path.is_empty() {
        return Err(format!("{text:?}: empty path before `=`"));
    }
    let mut split = Vec::new();
    let (mut depth, mut quoted, mut current) = (0usize, false, String::new());
    for c in values.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' | '[' if !quoted => depth += 1,
            ')' | ']' if !quoted => depth = depth.saturating_sub(1),
            ',' if !quoted && depth == 0 => {
                split.push(std::mem::take(&mut current).trim().to_string());
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    split.push(current.trim().to_string());
    if split.iter().any(String::is_empty) {
        return Err(format!(
            "{text:?}: an empty value: expected PATH=V1,V2,… with no empty value"
        ));
    }
    Ok((path.to_string(), split))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_split_from_the_end_of_the_path() {
        assert_eq!(
            split_key("dynamics.inventory_days[s20_electronics]"),
            Ok(("dynamics.inventory_days", Some("s20_electronics")))
        );
        assert_eq!(split_key("dynamics.psi"), Ok(("dynamics.psi", None)));
        assert!(split_key("dynamics.inventory_days[]").is_err());
        assert!(split_key("backup[x].capacity_share").is_err());
    }

    #[test]
    fn the_longest_name_that_fits_wins() {
        let names = ["oil", "oil.east"];
        assert_eq!(
            named(&names, "reserves", "oil.east.days", "reserve"),
            Ok((1, "days"))
        );
        assert_eq!(
            named(&names, "reserves", "oil.days", "reserve"),
            Ok((0, "days"))
        );
        assert!(
            named(&names, "reserves", "oil", "reserve")
                .unwrap_err()
                .contains("expected reserves.oil.<field>")
        );
        let err = named(&names, "reserves", "oyl.days", "reserve").unwrap_err();
        assert!(
            err.contains("no reserve is named \"oyl\"; did you mean \"oil\"?"),
            "{err}"
        );
    }
}
