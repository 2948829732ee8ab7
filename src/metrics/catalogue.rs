//! The metric catalogue: every per-run metric's name, unit, direction and definition, and how
//! it is computed, in one table. The writers (`runs.csv`, `summary.csv`), the statistics (which
//! tail is the bad one), the report and the docs all read it, so adding a metric is one entry.
//!
//! Everything is about **domestic** value added (regions not `Foreign`), backup units
//! included; the baseline is day 0 (shocks start on day 1 or later).

use super::series::{RunMetrics, direct_indirect};

/// What one run gives the metrics: its national value-added series' metrics, and totals.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RunFacts {
    /// Metrics of the daily domestic value-added series (`None`: no usable series).
    pub series: Option<RunMetrics>,
    /// Final demand of domestic regions not served, summed over days (money).
    pub unmet_final_demand: Option<f64>,
    /// Capacity removed from shocked firms, valued at their value-added share, plus the value
    /// of the inputs domestic buyers cannot receive on blocked links, in days of baseline
    /// value added (`None` without a series or a capacity-loss record).
    pub direct_loss: Option<f64>,
    /// Output of every backup unit over the run (money).
    pub backup_output: f64,
    /// Holding cost of every backup over the run (money).
    pub holding_cost: f64,
    /// Activation cost of every backup over the run (money).
    pub activation_cost: f64,
    /// Domestic value added on day 0, the baseline (money per day; `None` without a series).
    pub baseline_va: Option<f64>,
}

/// How a metric's value is obtained.
#[derive(Debug, Clone, Copy)]
pub enum Compute {
    /// From the run alone.
    Run(fn(&RunFacts) -> Option<f64>),
    /// From the run's metrics and those of the same run of the reference variant ("no
    /// policies"): `(this run, reference run)`.
    AgainstReference(fn(&Values, &Values) -> Option<f64>),
}

/// One metric.
#[derive(Debug, Clone, Copy)]
pub struct Metric {
    /// Column name in `runs.csv` and `summary.csv`.
    pub name: &'static str,
    /// What it is, in a few words (report tables).
    pub label: &'static str,
    /// Its unit, as the report shows it.
    pub unit: &'static str,
    /// Whether a higher value is worse (losses, days, costs). When it is better, VaR95 and
    /// CVaR95 describe the lower tail.
    pub higher_is_worse: bool,
    /// Its place in the report's first table of each variant (`None`: with the other metrics,
    /// folded).
    pub main: Option<u8>,
    /// Its exact definition (docs).
    pub definition: &'static str,
    /// How it is computed.
    pub compute: Compute,
}

fn series(facts: &RunFacts, value: fn(&RunMetrics) -> Option<f64>) -> Option<f64> {
    facts.series.as_ref().and_then(value)
}

/// A metric in days of baseline value added, in money.
fn money(facts: &RunFacts, days: Option<f64>) -> Option<f64> {
    Some(days? * facts.baseline_va?)
}

fn split(facts: &RunFacts) -> Option<(f64, Option<f64>)> {
    let total = facts.series?.va_loss_days;
    Some(direct_indirect(facts.direct_loss?, total))
}

/// Every metric, in file order.
pub const CATALOGUE: &[Metric] = &[
    Metric {
        name: "va_loss_pct",
        label: "value-added loss",
        unit: "% of annual baseline value added",
        higher_is_worse: true,
        main: Some(0),
        definition: "value-added loss over the run, % of annual baseline value added: `100 × Σ_t (baseline − VA_t) / (365 × baseline)`",
        compute: Compute::Run(|f| series(f, |r| Some(r.va_loss_pct))),
    },
    Metric {
        name: "va_loss_days",
        label: "value-added loss",
        unit: "days of baseline value added",
        higher_is_worse: true,
        main: None,
        definition: "the same loss in days of baseline value added: `Σ_t (baseline − VA_t) / baseline` (days above baseline count negative)",
        compute: Compute::Run(|f| series(f, |r| Some(r.va_loss_days))),
    },
    Metric {
        name: "va_loss_money",
        label: "value-added loss",
        unit: "money",
        higher_is_worse: true,
        main: None,
        definition: "the same loss in the economy's money unit: `Σ_t (baseline − VA_t)` = `va_loss_days` × the daily baseline",
        compute: Compute::Run(|f| money(f, series(f, |r| Some(r.va_loss_days)))),
    },
    Metric {
        name: "trough",
        label: "trough: lowest daily value added",
        unit: "ratio to baseline",
        higher_is_worse: false,
        main: Some(1),
        definition: "lowest daily value added / baseline",
        compute: Compute::Run(|f| series(f, |r| Some(r.trough))),
    },
    Metric {
        name: "trough_day",
        label: "day of the trough",
        unit: "day",
        higher_is_worse: true,
        main: None,
        definition: "first day of the trough",
        compute: Compute::Run(|f| series(f, |r| Some(f64::from(r.trough_day)))),
    },
    Metric {
        name: "recovery_days_95",
        label: "recovery to 95 % of baseline",
        unit: "days after the trough",
        higher_is_worse: true,
        main: Some(2),
        definition: "from the trough to the day value added is back at 95 % of baseline for good (empty: not recovered within the run)",
        compute: Compute::Run(|f| series(f, |r| r.recovery_days_95.map(f64::from))),
    },
    Metric {
        name: "recovery_days_99",
        label: "recovery to 99 % of baseline",
        unit: "days after the trough",
        higher_is_worse: true,
        main: None,
        definition: "the same at 99 % of baseline",
        compute: Compute::Run(|f| series(f, |r| r.recovery_days_99.map(f64::from))),
    },
    Metric {
        name: "unrecovered_at_end",
        label: "still missing on the last day",
        unit: "share of baseline value added",
        higher_is_worse: true,
        main: None,
        definition: "`max(0, 1 − VA_last / baseline)`: the gap the run ends with (the losses after the last day are not in `va_loss_days`)",
        compute: Compute::Run(|f| series(f, |r| Some(r.unrecovered_at_end))),
    },
    Metric {
        name: "tail_loss_days",
        label: "loss after the last day (extrapolated)",
        unit: "days of baseline value added",
        higher_is_worse: true,
        main: None,
        definition: "the last day's gap `g`, closing at the daily rate `ρ = (g_last / g_{last−30})^(1/30)` it closed at over the last 30 days, summed over at most 365 more days: `Σ_{k=1}^{365} g·ρ^k`; `365·g` when it did not close. An estimate, not simulated; 0 when the run ends at baseline",
        compute: Compute::Run(|f| series(f, |r| Some(r.tail_loss_days))),
    },
    Metric {
        name: "unmet_final_demand",
        label: "unmet final demand, all days",
        unit: "money",
        higher_is_worse: true,
        main: Some(3),
        definition: "final demand of domestic regions not served, summed over days",
        compute: Compute::Run(|f| f.unmet_final_demand),
    },
    Metric {
        name: "direct_loss",
        label: "direct loss",
        unit: "days of baseline value added",
        higher_is_worse: true,
        main: None,
        definition: "capacity removed from shocked firms (Δ × baseline output × value-added share), plus the baseline value of the inputs domestic buyers cannot receive on blocked links (cut-offs, closed routes), in days of baseline value added",
        compute: Compute::Run(|f| f.direct_loss.filter(|_| f.series.is_some())),
    },
    Metric {
        name: "indirect_loss",
        label: "indirect loss",
        unit: "days of baseline value added",
        higher_is_worse: true,
        main: None,
        definition: "`va_loss_days − direct_loss`: the loss that spread through the network (negative when the network absorbed part of the direct loss)",
        compute: Compute::Run(|f| split(f).map(|(indirect, _)| indirect)),
    },
    Metric {
        name: "amplification",
        label: "amplification: loss / direct loss",
        unit: "ratio",
        higher_is_worse: true,
        main: None,
        definition: "`va_loss_days / direct_loss` (empty when there is no direct loss)",
        compute: Compute::Run(|f| split(f).and_then(|(_, amplification)| amplification)),
    },
    Metric {
        name: "backup_output",
        label: "backup output, all days",
        unit: "money",
        higher_is_worse: true,
        main: None,
        definition: "output of all backup units over the run",
        compute: Compute::Run(|f| Some(f.backup_output)),
    },
    Metric {
        name: "holding_cost",
        label: "holding cost of policies",
        unit: "money",
        higher_is_worse: true,
        main: Some(5),
        definition: "holding cost of all backups over the run: capacity value × `holding_cost_rate` × days / 365",
        compute: Compute::Run(|f| Some(f.holding_cost)),
    },
    Metric {
        name: "policy_cost",
        label: "cost of policies",
        unit: "money",
        higher_is_worse: true,
        main: None,
        definition: "`holding_cost` plus the activation cost of all backups over the run (`activation_cost` × activations)",
        compute: Compute::Run(|f| Some(f.holding_cost + f.activation_cost)),
    },
    Metric {
        name: "loss_avoided",
        label: "loss avoided vs \u{201c}no policies\u{201d}",
        unit: "days of baseline value added",
        higher_is_worse: false,
        main: Some(4),
        definition: "`va_loss_days` of the variant \"no policies\" in the same run minus this variant's; empty without policies, and for a variant that changes shocks or dynamics (it has no reference)",
        compute: Compute::AgainstReference(|this, reference| {
            Some(reference.get("va_loss_days")? - this.get("va_loss_days")?)
        }),
    },
    Metric {
        name: "loss_avoided_money",
        label: "loss avoided vs \u{201c}no policies\u{201d}",
        unit: "money",
        higher_is_worse: false,
        main: None,
        definition: "the same in the economy's money unit: `va_loss_money` of \"no policies\" in the same run minus this variant's",
        compute: Compute::AgainstReference(|this, reference| {
            Some(reference.get("va_loss_money")? - this.get("va_loss_money")?)
        }),
    },
    Metric {
        name: "benefit_cost",
        label: "benefit–cost ratio",
        unit: "ratio",
        higher_is_worse: false,
        main: Some(6),
        definition: "`loss_avoided_money / policy_cost`: value added saved per unit of money the policies cost (empty when they cost nothing)",
        compute: Compute::AgainstReference(|this, _| {
            let cost = this.get("policy_cost")?;
            (cost > 0.0)
                .then(|| this.get("loss_avoided_money"))
                .flatten()
                .map(|v| v / cost)
        }),
    },
    Metric {
        name: "baseline_va_annual",
        label: "baseline domestic value added, a year",
        unit: "money per year",
        higher_is_worse: false,
        main: None,
        definition: "365 × domestic value added on day 0: the scale of every loss (`va_loss_money / baseline_va_annual` = `va_loss_pct / 100`)",
        compute: Compute::Run(|f| Some(365.0 * f.baseline_va?)),
    },
];

impl Metric {
    /// The unit with "money" replaced by the economy's money unit (`unit.txt` of an MRIO
    /// folder), when it has one.
    pub fn unit_in(&self, money: Option<&str>) -> String {
        match (self.unit.strip_prefix("money"), money) {
            (Some(rest), Some(unit)) => format!("{unit}{rest}"),
            _ => self.unit.to_string(),
        }
    }
}

/// The metrics of the report's first table, in its order.
pub fn main_metrics() -> Vec<&'static Metric> {
    let mut main: Vec<&Metric> = CATALOGUE.iter().filter(|m| m.main.is_some()).collect();
    main.sort_by_key(|m| m.main);
    main
}

/// The metric named `name`.
pub fn metric(name: &str) -> Option<&'static Metric> {
    CATALOGUE.iter().find(|m| m.name == name)
}

/// One run's metric values, in catalogue order (`None`: not recovered / not applicable).
#[derive(Debug, Clone, PartialEq)]
pub struct Values(Vec<Option<f64>>);

impl Values {
    /// The metrics computed from the run alone; those against a reference are `None` until
    /// [`Values::compare`].
    pub fn of_run(facts: &RunFacts) -> Values {
        Values(
            CATALOGUE
                .iter()
                .map(|m| match m.compute {
                    Compute::Run(compute) => compute(facts),
                    Compute::AgainstReference(_) => None,
                })
                .collect(),
        )
    }

    /// Values from a list in catalogue order (tests, readers).
    pub fn from_list(values: Vec<Option<f64>>) -> Values {
        assert_eq!(values.len(), CATALOGUE.len(), "one value per metric");
        Values(values)
    }

    /// Set the metrics computed against `reference`, the same run of the reference variant.
    pub fn compare(&mut self, reference: &Values) {
        for (m, metric) in CATALOGUE.iter().enumerate() {
            if let Compute::AgainstReference(compute) = metric.compute {
                self.0[m] = compute(self, reference);
            }
        }
    }

    /// The value of metric `name`.
    pub fn get(&self, name: &str) -> Option<f64> {
        let m = CATALOGUE.iter().position(|m| m.name == name)?;
        self.0[m]
    }

    /// Set metric `name` (for tests and hand-built summaries).
    pub fn set(&mut self, name: &str, value: Option<f64>) {
        let m = CATALOGUE
            .iter()
            .position(|m| m.name == name)
            .unwrap_or_else(|| panic!("no metric {name}"));
        self.0[m] = value;
    }

    /// Every value, in catalogue order.
    pub fn as_slice(&self) -> &[Option<f64>] {
        &self.0
    }
}

/// The catalogue as a Markdown table (`docs/metrics.md` holds it; a test keeps the two equal).
pub fn markdown_table() -> String {
    let mut table = String::from("| metric | unit | bad tail | definition |\n|---|---|---|---|\n");
    for m in CATALOGUE {
        table.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            m.name,
            m.unit,
            if m.higher_is_worse { "upper" } else { "lower" },
            m.definition
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_snake_case() {
        for (i, m) in CATALOGUE.iter().enumerate() {
            assert!(
                m.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{}",
                m.name
            );
            assert!(
                CATALOGUE[..i].iter().all(|earlier| earlier.name != m.name),
                "{} twice",
                m.name
            );
        }
    }

    #[test]
    fn docs_metrics_md_holds_the_catalogue() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/metrics.md");
        let docs = std::fs::read_to_string(path).unwrap();
        assert!(
            docs.contains(&markdown_table()),
            "docs/metrics.md does not hold the catalogue's table; paste:\n{}",
            markdown_table()
        );
    }

    #[test]
    fn reference_metrics_wait_for_the_reference_run() {
        let facts = RunFacts {
            series: RunMetrics::from_series(&[10.0, 8.0, 9.0, 10.0], 10.0),
            ..RunFacts::default()
        };
        let mut this = Values::of_run(&facts);
        let loss = this.get("va_loss_days").unwrap();
        assert!((loss - 0.3).abs() < 1e-15, "{loss}");
        assert_eq!(this.get("loss_avoided"), None);
        let mut reference = this.clone();
        reference.set("va_loss_days", Some(1.0));
        this.compare(&reference);
        assert_eq!(this.get("loss_avoided"), Some(1.0 - loss));
        // no direct loss: no split
        assert_eq!(this.get("indirect_loss"), None);
    }
}
