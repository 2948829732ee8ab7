//! The tables of the sweep report: the frontier (a row per point, sorted by group and annual
//! cost, efficient rows highlighted), the Sobol indices, and scenario discovery's box.

use std::fmt::Write as _;

use super::axes::compact;
use super::discovery::Discovery;
use super::input::SweepOutput;
use super::sensitivity::SensitivityRow;
use crate::model::sweep::Role;
use crate::plot::ensemble::report::{escape, format_significant};

const DASH: &str = "\u{2014}";
const CHECK: &str = "\u{2713}";

fn cell(value: Option<f64>) -> String {
    value.map_or(DASH.into(), format_significant)
}

/// An amount with three significant digits and k, M, G for thousands, millions, billions.
fn money(value: Option<f64>) -> String {
    value.map_or(DASH.into(), |value| compact(value, value))
}

fn mark(flag: bool) -> &'static str {
    if flag { CHECK } else { "" }
}

/// The frontier table: a row per line of `frontier.csv`, by group then annual cost.
pub(crate) fn frontier(html: &mut String, output: &SweepOutput) {
    let groups = output.groups();
    let several = groups.len() > 1;
    let satisficing = output
        .frontier
        .iter()
        .any(|r| r.satisficing_share.is_some());
    let mut rows: Vec<_> = output.frontier.iter().collect();
    // Stable: points of equal cost keep the file's order.
    rows.sort_by(|a, b| {
        let group = |r: &super::input::FrontierRow| {
            let group = output.points[r.point].group;
            groups.iter().position(|&g| g == group)
        };
        group(a).cmp(&group(b)).then_with(|| {
            let cost = |r: &super::input::FrontierRow| r.annual_cost.unwrap_or(f64::INFINITY);
            cost(a).total_cmp(&cost(b))
        })
    });
    html.push_str(
        "<div class=\"scroll\">\n<table class=\"frontier\">\n<thead><tr>\
         <th rowspan=\"2\">point</th>",
    );
    for parameter in &output.parameters {
        let _ = write!(
            html,
            "<th rowspan=\"2\" title=\"{} ({})\">{}</th>",
            escape(&parameter.path),
            parameter.role.name(),
            // a long name may break after an underscore
            escape(&parameter.short).replace('_', "_<wbr>")
        );
    }
    html.push_str(
        "<th rowspan=\"2\">annual cost</th><th colspan=\"2\">loss</th>\
         <th colspan=\"3\">regret</th>",
    );
    if satisficing {
        html.push_str("<th rowspan=\"2\">satisficing share</th>");
    }
    html.push_str(
        "<th colspan=\"3\">efficient on</th><th rowspan=\"2\">dominated by</th>\
         <th rowspan=\"2\">indistinct</th></tr>\n<tr><th>mean</th><th>CVaR95</th>\
         <th>mean</th><th>p90</th><th>max</th>\
         <th title=\"efficient on cost and mean loss\">mean</th>\
         <th title=\"efficient on cost and CVaR95\">CVaR95</th>\
         <th title=\"efficient on cost and mean regret\">regret</th></tr></thead>\n<tbody>\n",
    );
    let columns = 12 + output.parameters.len() + usize::from(satisficing);
    let mut group = None;
    for row in rows {
        let point = &output.points[row.point];
        if several && group != Some(point.group) {
            group = Some(point.group);
            let _ = writeln!(
                html,
                "<tr class=\"group\"><td colspan=\"{columns}\">{}: its own reference and \
                 frontier</td></tr>",
                escape(&match output.group_label(point.group) {
                    label if label.is_empty() => format!("group {}", point.group),
                    label => label,
                })
            );
        }
        let class = if row.efficient_mean {
            " class=\"efficient\""
        } else {
            ""
        };
        let _ = write!(
            html,
            "<tr{class}><td class=\"name\">{}</td>",
            escape(&point.name)
        );
        for value in &point.values {
            let shown = if value.is_empty() { DASH } else { value };
            let _ = write!(html, "<td>{}</td>", escape(shown));
        }
        for value in [
            row.annual_cost,
            row.mean_loss,
            row.cvar95_loss,
            row.mean_regret,
            row.p90_regret,
            row.max_regret,
        ] {
            let _ = write!(html, "<td>{}</td>", money(value));
        }
        if satisficing {
            let _ = write!(html, "<td>{}</td>", cell(row.satisficing_share));
        }
        let dominator = row
            .dominated_by
            .map_or(String::new(), |p| escape(&output.points[p].name));
        let _ = writeln!(
            html,
            "<td class=\"mark\">{}</td><td class=\"mark\">{}</td><td class=\"mark\">{}</td>\
             <td class=\"text\">{dominator}</td><td class=\"mark\">{}</td></tr>",
            mark(row.efficient_mean),
            mark(row.efficient_cvar95),
            mark(row.efficient_regret),
            if row.indistinct { "yes" } else { "" },
        );
    }
    html.push_str("</tbody>\n</table>\n</div>\n");
}

/// "0.42 ± 0.05", or a dash.
fn with_conf(value: Option<f64>, conf: Option<f64>) -> String {
    match (value, conf) {
        (Some(value), Some(conf)) => format!(
            "{} \u{00b1} {}",
            format_significant(value),
            format_significant(conf)
        ),
        (value, None) => cell(value),
        (None, Some(_)) => DASH.into(),
    }
}

/// The Sobol indices, a row per metric and parameter.
pub(crate) fn sensitivity(html: &mut String, rows: &[SensitivityRow]) {
    html.push_str(
        "<table>\n<thead><tr><th>metric</th><th>parameter</th><th>role</th>\
         <th>first order</th><th>total order</th></tr></thead>\n<tbody>\n",
    );
    for row in rows {
        let _ = writeln!(
            html,
            "<tr><td><code>{}</code></td><td class=\"text\"><code>{}</code></td>\
             <td class=\"text\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&row.metric),
            escape(&row.parameter),
            escape(&row.role),
            with_conf(row.first, row.first_conf),
            with_conf(row.total, row.total_conf),
        );
    }
    html.push_str("</tbody>\n</table>\n");
}

/// The chosen step of each condition and the box's limits.
pub(crate) fn discovery(html: &mut String, found: &Discovery) {
    let chosen: Vec<_> = found.trajectory.iter().filter(|s| s.chosen).collect();
    if !chosen.is_empty() {
        html.push_str(
            "<table>\n<thead><tr><th>cases: runs with</th><th>step chosen</th>\
             <th>coverage</th><th>density</th><th>mass</th><th>parameters restricted</th>\
             </tr></thead>\n<tbody>\n",
        );
        for step in chosen {
            let _ = writeln!(
                html,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
                 <td>{}</td></tr>",
                escape(&step.condition),
                step.step,
                format_significant(step.coverage),
                format_significant(step.density),
                format_significant(step.mass),
                step.restricted
            );
        }
        html.push_str("</tbody>\n</table>\n");
    } else if !found.trajectory.is_empty() {
        html.push_str("<p class=\"note\">discovery.csv marks no step as chosen.</p>\n");
    }
    let Some(limits) = &found.limits else {
        html.push_str("<p class=\"note\">discovery_box.csv is not in the directory.</p>\n");
        return;
    };
    html.push_str(
        "<p>The box: the parameter ranges where the cases concentrate, against the ranges \
         the sweep covered.</p>\n<table>\n<thead><tr><th>parameter</th><th>role</th>\
         <th>box</th><th>sweep range</th><th>restricted</th></tr></thead>\n<tbody>\n",
    );
    for limit in limits {
        let role = Role::of(&limit.parameter).name();
        let _ = writeln!(
            html,
            "<tr><td><code>{}</code></td><td class=\"text\">{role}</td>\
             <td>{} to {}</td><td>{} to {}</td><td class=\"mark\">{}</td></tr>",
            escape(&limit.parameter),
            format_significant(limit.lower),
            format_significant(limit.upper),
            format_significant(limit.min),
            format_significant(limit.max),
            if limit.restricts() { "yes" } else { "" }
        );
    }
    html.push_str("</tbody>\n</table>\n");
}
