//! `report.html` of a sweep: one self-contained page (no network, no scripts, charts as
//! inline SVG, the ensemble report's style) with what was swept and how to run it again, the
//! policy frontier as a table and charts, the sweep charts, and the sensitivity and scenario
//! discovery results where the directory has them. Each section says in plain words what
//! its numbers mean.

use std::fmt::Write as _;
use std::fs;

use super::design::number;
use super::input::SweepOutput;
use super::tables;
use crate::metrics::catalogue;
use crate::output::layout::{
    DISCOVERY, DISCOVERY_BOX, FRONTIER, MANIFEST, POINTS, SCENARIO, SENSITIVITY, SWEEP, SWEEP_DRAWS,
};
use crate::plot::PlotError;
use crate::plot::ensemble::report::{STYLE, escape, inline_svg};

/// What the sweep report adds to the ensemble report's style.
const SWEEP_STYLE: &str = "\
tr.efficient td{background:#eaf4ea}tr.efficient td:first-child{font-weight:600}\
tr.group td{background:#f7f7f7;text-align:left;font-style:italic}\
td.mark{text-align:center}.scroll{overflow-x:auto}table.frontier{font-size:.88em}\
td.name{white-space:nowrap}thead th{text-align:center}";

/// Values of a parameter listed one by one in the design table, at most.
const MAX_LISTED_VALUES: usize = 12;

/// A chart shown in the report.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShownChart {
    /// File stem under `plots/`.
    pub name: String,
    /// A short heading.
    pub heading: String,
    /// What it shows, plain text.
    pub description: String,
}

/// The charts drawn, by section.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Charts {
    /// `sweep_<metric>`.
    pub sweep: Vec<ShownChart>,
    /// Why there is no sweep chart, if there is none.
    pub no_sweep_chart: Option<String>,
    /// `frontier_mean`, `frontier_cvar95`.
    pub frontier: Vec<ShownChart>,
    /// `sensitivity_<metric>`.
    pub sensitivity: Vec<ShownChart>,
    /// `discovery_tradeoff`.
    pub discovery: Vec<ShownChart>,
}

impl Charts {
    /// Every chart, in the order the files are listed.
    pub fn all(&self) -> impl Iterator<Item = &ShownChart> {
        self.sweep
            .iter()
            .chain(&self.frontier)
            .chain(&self.sensitivity)
            .chain(&self.discovery)
    }
}

/// Write `dir/report.html`, inlining `dir/plots/<name>.svg` of every chart.
pub(crate) fn write_report(output: &SweepOutput, charts: &Charts) -> Result<(), PlotError> {
    let mut figures = Vec::new();
    for chart in charts.all() {
        let path = output.dir.join("plots").join(format!("{}.svg", chart.name));
        let svg = fs::read_to_string(&path).map_err(|source| PlotError::Io {
            path: path.clone(),
            source,
        })?;
        figures.push(format!(
            "<figure id=\"{0}\">\n{1}\n<figcaption><b>{2}.</b> {3} Files: \
             <a href=\"plots/{0}.png\">PNG</a>, <a href=\"plots/{0}.svg\">SVG</a>.\
             </figcaption>\n</figure>\n",
            escape(&chart.name),
            inline_svg(&svg, &chart.heading),
            escape(&chart.heading),
            escape(&chart.description)
        ));
    }
    let mut figures = figures.into_iter();
    let mut take = |count: usize| -> String { figures.by_ref().take(count).collect() };
    let sweep = take(charts.sweep.len());
    let frontier = take(charts.frontier.len());
    let sensitivity = take(charts.sensitivity.len());
    let discovery = take(charts.discovery.len());
    let html = render(
        output,
        charts,
        [&sweep, &frontier, &sensitivity, &discovery],
    );
    let path = output.dir.join(crate::output::layout::REPORT);
    fs::write(&path, html).map_err(|source| PlotError::Io { path, source })
}

/// The page, with the figures of each section already as HTML.
fn render(output: &SweepOutput, charts: &Charts, figures: [&str; 4]) -> String {
    let [sweep, frontier, sensitivity, discovery] = figures;
    let manifest = &output.manifest;
    let name = escape(&manifest.name);
    let points = output.points.iter().filter(|p| !p.reference).count();
    let references = output.points.len() - points;
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{name} \u{2014} sweep report</title>\n<style>{STYLE}{SWEEP_STYLE}</style>\n\
         </head>\n<body>\n<h1>{name}</h1>\n<p class=\"lead\">Sweep report: {} \u{00d7} {} \
         each, and {}, written by hinterland {}.</p>\n",
        plural(points, "point"),
        manifest
            .runs
            .as_deref()
            .map_or("? runs".into(), |runs| format!("{} runs", escape(runs))),
        plural(references, "\u{201c}no policies\u{201d} reference"),
        escape(manifest.version.as_deref().unwrap_or("(version unknown)")),
    );
    match &manifest.description {
        Some(description) => {
            let _ = writeln!(html, "<p class=\"description\">{}</p>", escape(description));
        }
        None => html.push_str("<p class=\"note\">The scenario has no description.</p>\n"),
    }
    // what the scenario allows but probably does not mean (also printed by `sweep`)
    for warning in &manifest.warnings {
        let _ = writeln!(
            html,
            "<p class=\"warning\">Warning: {}</p>",
            escape(warning)
        );
    }
    let mut contents = vec![
        ("reproduce", "Reproduce"),
        ("design", "Design"),
        ("frontier", "Policy frontier"),
        ("sweep", "Sweep"),
    ];
    if output.sensitivity.is_some() {
        contents.push(("sensitivity", "Sensitivity"));
    }
    if output.discovery.is_some() {
        contents.push(("discovery", "Scenario discovery"));
    }
    contents.extend([("scenario", "Scenario"), ("files", "Files")]);
    let links: Vec<String> = contents
        .iter()
        .map(|(id, title)| format!("<a href=\"#{id}\">{title}</a>"))
        .collect();
    let _ = writeln!(html, "<p>Contents: {}</p>", links.join(" \u{00b7} "));

    reproduce(&mut html, output);
    design(&mut html, output, points);
    frontier_section(&mut html, output, frontier);
    sweep_section(&mut html, charts, sweep);
    if let Some(rows) = &output.sensitivity {
        html.push_str(
            "<h2 id=\"sensitivity\">Sensitivity</h2>\n<p>How much of the spread of a metric \
             across the sweep's points each parameter explains (Sobol indices, from \
             <a href=\"sensitivity.csv\">sensitivity.csv</a>). The <b>first-order</b> index \
             is the share of the metric's variance due to the parameter alone; the \
             <b>total-order</b> index adds its interactions with the other parameters, so it \
             is at least as large. Near 0: the answer hardly depends on the parameter; a \
             total well above the first: the parameter matters through combinations. \
             \u{00b1}: half-width of the 95 % bootstrap interval; indices that small are \
             not told apart from 0.</p>\n",
        );
        tables::sensitivity(&mut html, rows);
        html.push_str(sensitivity);
    }
    if let Some(found) = &output.discovery {
        html.push_str(
            "<h2 id=\"discovery\">Scenario discovery</h2>\n<p>Which combinations of \
             parameter values the bad cases concentrate in (PRIM, from \
             <a href=\"discovery.csv\">discovery.csv</a>). A case is a run that meets the \
             condition; the search peels a box of parameter ranges step by step. \
             <b>Coverage</b>: the share of all cases that fall in the box. <b>Density</b>: \
             the share of the runs in the box that are cases. <b>Mass</b>: the share of all \
             runs in the box. Peeling trades coverage for density; the box chosen is a \
             compromise, and its ranges describe the conditions under which the policies \
             tend to fail.</p>\n",
        );
        tables::discovery(&mut html, found);
        html.push_str(discovery);
    }
    scenario(&mut html, output);
    files(&mut html, output);
    html.push_str("</body>\n</html>\n");
    html
}

/// "1 point", "3 points".
fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// The "Reproduce" section: the command as run and what pins the results.
fn reproduce(html: &mut String, output: &SweepOutput) {
    let manifest = &output.manifest;
    html.push_str("<h2 id=\"reproduce\">Reproduce</h2>\n");
    match &manifest.command {
        Some(command) => {
            let _ = writeln!(
                html,
                "<p>The command as run, from manifest.json:</p>\n\
                 <pre class=\"command\">{}</pre>",
                escape(command)
            );
        }
        None => html.push_str("<p class=\"note\">manifest.json does not say the command.</p>\n"),
    }
    html.push_str(
        "<p>Run again on the same scenario file and tables (manifest.json has their \
         SHA-256), it gives the same numbers whatever the number of threads: run <i>k</i> of \
         every point draws the same crisis, so points are compared on the same crises.</p>\n\
         <table>\n<tbody>\n",
    );
    let rows = [
        ("hinterland version", &manifest.version),
        ("scenario hash", &manifest.scenario_hash),
        ("scenario SHA-256", &manifest.scenario_sha256),
        ("seed", &manifest.seed),
        ("runs per point", &manifest.runs),
    ];
    for (label, value) in rows {
        let _ = writeln!(
            html,
            "<tr><th>{label}</th><td class=\"text\"><code>{}</code></td></tr>",
            escape(value.as_deref().unwrap_or("\u{2014}"))
        );
    }
    html.push_str("</tbody>\n</table>\n");
}

/// The "Design" section: the parameters with their roles and values.
fn design(html: &mut String, output: &SweepOutput, points: usize) {
    let groups = output.groups().len();
    let _ = writeln!(
        html,
        "<h2 id=\"design\">Design</h2>\n<p>{} swept; {} in {} (settings of the \
         uncertainties); {} per point.</p>",
        plural(output.parameters.len(), "parameter"),
        plural(points, "point"),
        plural(groups, "group"),
        output
            .manifest
            .runs
            .as_deref()
            .map_or("? runs".into(), |runs| format!("{} runs", escape(runs))),
    );
    html.push_str(
        "<p>A <b>lever</b> is what a planner chooses: a setting of a backup or a reserve \
         (paths starting <code>backup.</code> or <code>reserves.</code>). An \
         <b>uncertainty</b> is what nobody chooses, such as a shock's duration. Points that \
         share the uncertainties' values form a group with its own \u{201c}no \
         policies\u{201d} reference and its own frontier: policies are compared under the \
         same uncertainty only.</p>\n<table>\n<thead><tr><th>parameter</th><th>role</th>\
         <th>values</th></tr></thead>\n<tbody>\n",
    );
    for (index, parameter) in output.parameters.iter().enumerate() {
        let mut values: Vec<&str> = Vec::new();
        for point in output.points.iter().filter(|p| !p.reference) {
            let value = point.values[index].as_str();
            if !value.is_empty() && !values.contains(&value) {
                values.push(value);
            }
        }
        if values.iter().all(|v| number(v).is_some()) {
            values.sort_by(|a, b| {
                number(a)
                    .unwrap_or(0.0)
                    .total_cmp(&number(b).unwrap_or(0.0))
            });
        }
        let shown = if values.len() > MAX_LISTED_VALUES {
            format!(
                "{} \u{2026} {} ({} values)",
                escape(values[0]),
                escape(values[values.len() - 1]),
                values.len()
            )
        } else {
            escape(&values.join(", "))
        };
        let _ = writeln!(
            html,
            "<tr><td><code>{}</code></td><td class=\"text\">{}</td><td class=\"text\">{shown}\
             </td></tr>",
            escape(&parameter.path),
            parameter.role.name(),
        );
    }
    html.push_str("</tbody>\n</table>\n");
}

/// The "Policy frontier" section: what the columns mean, the table and the charts.
fn frontier_section(html: &mut String, output: &SweepOutput, figures: &str) {
    let metric = &output.loss_metric;
    let (label, unit) =
        catalogue::metric(metric).map_or((metric.as_str(), ""), |m| (m.label, m.unit));
    let unit = match output.unit_of(metric) {
        "" => unit,
        written => written,
    };
    let _ = writeln!(
        html,
        "<h2 id=\"frontier\">Policy frontier</h2>\n<p>What each point costs and what it \
         loses, from <a href=\"frontier.csv\">frontier.csv</a>. The loss is {} \
         (<code>{}</code>), in {}; the cost is the yearly holding cost of the point's backups \
         and reserves, in {} per year.</p>",
        escape(label),
        escape(metric),
        escape(if unit.is_empty() { "its unit" } else { unit }),
        escape(output.money_unit()),
    );
    html.push_str(
        "<ul>\n<li><b>Mean loss</b>: the expected loss, averaged over the runs (the \
         drawn crises).</li>\n<li><b>CVaR95</b>: the mean loss of the worst 5 % of runs: \
         what a bad year costs.</li>\n<li><b>Regret</b>: in each run, the point's loss minus \
         the least loss any point of its group has in that same run: how much better the \
         best choice in hindsight would have done. Mean, 90 % quantile and maximum over \
         runs; a robust choice has a small maximum regret.</li>\n",
    );
    if output
        .frontier
        .iter()
        .any(|r| r.satisficing_share.is_some())
    {
        html.push_str(
            "<li><b>Satisficing share</b>: the share of runs whose loss stays within the \
             scenario's threshold.</li>\n",
        );
    }
    html.push_str(
        "<li><b>Efficient</b> (the <b>frontier</b>): no other point of the group is \
         as cheap and loses less: spending more buys less loss only along the frontier. \
         Marked separately for mean loss, CVaR95 and mean regret; efficient rows (mean) are \
         highlighted.</li>\n<li><b>Dominated by</b>: a point that is as cheap and has a \
         lower mean loss.</li>\n<li><b>Indistinct</b>: dominated, but the run-by-run \
         difference with its dominator has a 95 % interval that covers zero: with these \
         runs it cannot be told apart from its dominator, so it may be as good.</li>\n</ul>\n",
    );
    tables::frontier(html, output);
    html.push_str(figures);
}

/// The "Sweep" section: the charts of the key metrics, or why there are none.
fn sweep_section(html: &mut String, charts: &Charts, figures: &str) {
    html.push_str(
        "<h2 id=\"sweep\">Sweep</h2>\n<p>How key metrics change across the sweep: the mean \
         across runs at each point (from <a href=\"sweep.csv\">sweep.csv</a>, which has \
         every metric with its quantiles). The 95 % band of a line is the confidence \
         interval of the mean (mean \u{00b1} 1.96 standard errors): where the bands of two \
         points overlap a lot, more runs are needed to tell them apart.</p>\n",
    );
    if let Some(reason) = &charts.no_sweep_chart {
        let _ = writeln!(
            html,
            "<p class=\"note\">No sweep chart: {}</p>",
            escape(reason)
        );
    }
    html.push_str(figures);
}

/// The "Scenario" section: the scenario text as run, folded.
fn scenario(html: &mut String, output: &SweepOutput) {
    html.push_str("<h2 id=\"scenario\">Scenario</h2>\n");
    match &output.scenario_text {
        Some(text) => {
            let _ = writeln!(
                html,
                "<details><summary>As run, from <a href=\"{SCENARIO}\">{SCENARIO}</a>\
                 </summary>\n<pre>{}</pre>\n</details>",
                escape(text.trim_end())
            );
        }
        None => {
            let _ = writeln!(
                html,
                "<p class=\"note\">{SCENARIO} is not in the directory.</p>"
            );
        }
    }
}

/// The "Files" section.
fn files(html: &mut String, output: &SweepOutput) {
    html.push_str("<h2 id=\"files\">Files</h2>\n<ul>\n");
    let mut list = vec![
        (SWEEP.name, "statistics of every metric at every point"),
        (FRONTIER.name, "cost, loss, regret and the frontier marks"),
    ];
    // not read for the charts: listed if they are there
    for (file, what) in [
        (POINTS.name, "every metric of every run of every point"),
        (
            SWEEP_DRAWS.name,
            "every value drawn for the shocks, per point and run",
        ),
    ] {
        if output.dir.join(file).is_file() {
            list.push((file, what));
        }
    }
    if output.sensitivity.is_some() {
        list.push((SENSITIVITY.name, "Sobol indices"));
    }
    if let Some(found) = &output.discovery {
        if !found.trajectory.is_empty() {
            list.push((
                DISCOVERY.name,
                "the peeling trajectory of scenario discovery",
            ));
        }
        if found.limits.is_some() {
            list.push((DISCOVERY_BOX.name, "the box chosen"));
        }
    }
    list.push((MANIFEST, "how the directory was made"));
    for (file, what) in list {
        let _ = writeln!(html, "<li><a href=\"{file}\">{file}</a>: {what}</li>");
    }
    html.push_str("</ul>\n");
}
