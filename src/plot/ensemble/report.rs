//! `report.html`: one self-contained page for reviewers (no network, no scripts): what was
//! run and how to run it again, the main statistics of every variant, every chart as inline
//! SVG, and the scenario text.

use std::fmt::Write as _;
use std::fs;

use super::input::{Ensemble, SummaryRow};
use crate::metrics::catalogue::{self, main_metrics};
use crate::plot::PlotError;

pub(crate) const STYLE: &str = "\
body{font-family:system-ui,sans-serif;max-width:1240px;margin:2em auto;padding:0 1em;\
color:#222;line-height:1.45}\
h1{font-size:1.7em;margin-bottom:.1em}h2{margin-top:1.8em;border-bottom:1px solid #ddd}\
h3{margin-bottom:.3em}\
.lead{color:#555;margin-top:0}.description{white-space:pre-line}\
table{border-collapse:collapse;margin:.4em 0 1em;font-size:.95em}\
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right;vertical-align:top}\
th:first-child,td:first-child,td.text{text-align:left}thead th{background:#f2f2f2}\
td.unit{text-align:left;color:#555}\
pre{background:#f7f7f7;border:1px solid #ddd;padding:.7em;overflow-x:auto}\
pre.command{white-space:pre-wrap;word-break:break-all}\
figure{margin:1.5em 0}figure svg{width:100%;height:auto;border:1px solid #eee}\
figcaption{color:#444}.note{color:#555}details{margin-bottom:1.2em}\
.warning{background:#fff4e0;border-left:4px solid #e08a00;padding:.4em .7em}";

/// A chart shown in the report.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShownChart {
    /// File stem under `plots/`.
    pub name: &'static str,
    /// A short heading.
    pub heading: &'static str,
    /// What it shows, plain text.
    pub description: String,
}

/// A chart left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SkippedChart {
    /// File stem it would have had.
    pub name: &'static str,
    /// Why it is not there, plain text.
    pub reason: String,
}

/// Write `dir/report.html`, inlining `dir/plots/<name>.svg` of every shown chart.
pub(crate) fn write_report(
    ensemble: &Ensemble,
    shown: &[ShownChart],
    skipped: &[SkippedChart],
) -> Result<(), PlotError> {
    let dir = &ensemble.dir;
    let mut svgs = Vec::with_capacity(shown.len());
    for chart in shown {
        let path = dir.join("plots").join(format!("{}.svg", chart.name));
        let svg = fs::read_to_string(&path).map_err(|source| PlotError::Io {
            path: path.clone(),
            source,
        })?;
        svgs.push(inline_svg(&svg, chart.heading));
    }
    let html = render(ensemble, shown, &svgs, skipped);
    let path = dir.join("report.html");
    fs::write(&path, html).map_err(|source| PlotError::Io { path, source })
}

/// The page's text.
fn render(
    ensemble: &Ensemble,
    shown: &[ShownChart],
    svgs: &[String],
    skipped: &[SkippedChart],
) -> String {
    let manifest = &ensemble.manifest;
    let name = escape(&manifest.name);
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{name} \u{2014} ensemble report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>{name}</h1>\n<p class=\"lead\">Ensemble report: {} \u{00d7} {}, written by \
         hinterland {}.</p>\n",
        count_phrase(manifest.run_count, "run", manifest.runs.as_deref()),
        count_phrase(Some(ensemble.variants.len() as u64), "variant", None),
        escape(manifest.version.as_deref().unwrap_or("(version unknown)")),
    );
    match &manifest.description {
        Some(description) => {
            let _ = writeln!(html, "<p class=\"description\">{}</p>", escape(description));
        }
        None => html.push_str("<p class=\"note\">The scenario has no description.</p>\n"),
    }
    html.push_str(
        "<p>Contents: <a href=\"#reproduce\">Reproduce</a> \u{00b7} \
         <a href=\"#summary\">Summary</a> \u{00b7} <a href=\"#charts\">Charts</a> \u{00b7} \
         <a href=\"#scenario\">Scenario</a> \u{00b7} <a href=\"#files\">Files</a></p>\n",
    );

    reproduce(&mut html, ensemble);
    summary(&mut html, ensemble);

    html.push_str("<h2 id=\"charts\">Charts</h2>\n");
    if let Some(warning) = ensemble.few_runs_warning() {
        let _ = writeln!(
            html,
            "<p class=\"warning\">{}. Read the bands and whiskers as the range of a few \
             crises, not as quantiles.</p>",
            escape(&capitalised(&warning))
        );
    }
    for (chart, svg) in shown.iter().zip(svgs) {
        let _ = write!(
            html,
            "<figure id=\"{0}\">\n{svg}\n<figcaption><b>{1}.</b> {2} Files: \
             <a href=\"plots/{0}.png\">PNG</a>, <a href=\"plots/{0}.svg\">SVG</a>.\
             </figcaption>\n</figure>\n",
            chart.name,
            escape(chart.heading),
            escape(&chart.description)
        );
    }
    for chart in skipped {
        let _ = writeln!(
            html,
            "<p class=\"note\">No chart <code>{}</code>: {}</p>",
            chart.name,
            escape(&chart.reason)
        );
    }

    html.push_str("<h2 id=\"scenario\">Scenario</h2>\n");
    match &ensemble.scenario_text {
        Some(text) => {
            let _ = writeln!(
                html,
                "<p>As run, from <a href=\"scenario.ron\">scenario.ron</a>:</p>\n<pre>{}</pre>",
                escape(text.trim_end())
            );
        }
        None => html.push_str("<p class=\"note\">scenario.ron is not in the directory.</p>\n"),
    }

    html.push_str(
        "<h2 id=\"files\">Files</h2>\n<ul>\n\
         <li><a href=\"summary.csv\">summary.csv</a>: the statistics above, every metric</li>\n\
         <li><a href=\"runs.csv\">runs.csv</a>: every metric of every run and variant</li>\n\
         <li><a href=\"daily.csv\">daily.csv</a>: daily means and quantiles across runs</li>\n",
    );
    if ensemble.industry_loss.is_some() {
        html.push_str(
            "<li><a href=\"industry_loss.csv\">industry_loss.csv</a>: mean loss of each \
             industry</li>\n",
        );
    }
    html.push_str(
        "<li><a href=\"manifest.json\">manifest.json</a>: how the directory was made</li>\n\
         </ul>\n</body>\n</html>\n",
    );
    html
}

/// The "Reproduce" section: the command and what pins the results.
fn reproduce(html: &mut String, ensemble: &Ensemble) {
    let manifest = &ensemble.manifest;
    html.push_str("<h2 id=\"reproduce\">Reproduce</h2>\n");
    // A canonical command on this folder: the page must not depend on how the run was
    // launched (threads, paths, times), which manifest.json records.
    let command = "hinterland run --reproduce DIR --out NEW";
    let _ = writeln!(
        html,
        "<p>With DIR this folder and NEW a folder that does not exist yet:</p>\n\
         <pre class=\"command\">{}</pre>",
        escape(command)
    );
    html.push_str(
        "<p>It runs <code>scenario.ron</code> of this folder again on the table its \
         manifest.json names, with the same seed and runs, after checking that every table \
         file still has the SHA-256 recorded there; the files it writes are byte-identical to \
         these but manifest.json, whatever the working directory and the number of threads. \
         The command line as run, the threads, the platform, the git commit and the times are \
         in manifest.json.</p>\n<table>\n<tbody>\n",
    );
    let rows = [
        ("hinterland version", &manifest.version),
        ("scenario hash", &manifest.scenario_hash),
        ("scenario SHA-256", &manifest.scenario_sha256),
        ("seed", &manifest.seed),
        ("runs", &manifest.runs),
        ("variants", &manifest.variants),
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

/// The "Summary" section: one table per variant with the main metrics, the others folded.
fn summary(html: &mut String, ensemble: &Ensemble) {
    html.push_str(
        "<h2 id=\"summary\">Summary</h2>\n<p>Statistics across runs, from \
         <a href=\"summary.csv\">summary.csv</a>. <b>95 % CI</b>: mean \u{00b1} 1.96 \u{00d7} \
         standard error. <b>p05, median, p95</b>: quantiles across runs. <b>CVaR95</b>: mean \
         of the worst 5 % of runs, in the tail that the column <b>risk tail</b> names: for a \
         metric where higher is worse (a loss, days, a cost) the values at or above the 95 % \
         quantile, so CVaR95 \u{2265} p95; for one where higher is better (the trough, loss \
         avoided, the benefit\u{2013}cost ratio) the values at or below the 5 % quantile, so \
         CVaR95 \u{2264} p05. <b>n</b>: runs with a value (runs that did not recover have no \
         recovery time).</p>\n",
    );
    if let Some(warning) = ensemble.few_runs_warning() {
        let _ = writeln!(
            html,
            "<p class=\"warning\">{}: p05, p95 and CVaR95 are close to the extreme runs.</p>",
            escape(&capitalised(&warning))
        );
    }
    // what the scenario allows but probably does not mean (also printed by `run`)
    for warning in &ensemble.manifest.warnings {
        let _ = writeln!(
            html,
            "<p class=\"warning\">Warning: {}</p>",
            escape(warning)
        );
    }
    for (index, variant) in ensemble.variants.iter().enumerate() {
        let _ = writeln!(html, "<h3>Variant: {}</h3>", escape(variant));
        let headline = main_metrics();
        let main: Vec<(&str, Option<&SummaryRow>)> = headline
            .iter()
            .map(|m| (m.name, ensemble.summary_of(index, m.name)))
            .collect();
        table(html, ensemble, &main);
        let others: Vec<(&str, Option<&SummaryRow>)> = ensemble
            .summary
            .iter()
            .filter(|row| row.variant == index && !headline.iter().any(|m| m.name == row.metric))
            .map(|row| (row.metric.as_str(), Some(row)))
            .collect();
        if !others.is_empty() {
            let _ = writeln!(
                html,
                "<details><summary>{} more metrics of {}</summary>",
                others.len(),
                escape(variant)
            );
            table(html, ensemble, &others);
            html.push_str("</details>\n");
        }
    }
}

/// One statistics table, a line per metric (`None`: not in `summary.csv`).
fn table(html: &mut String, ensemble: &Ensemble, metrics: &[(&str, Option<&SummaryRow>)]) {
    html.push_str(
        "<table>\n<thead><tr><th>metric</th><th>unit</th><th>n</th><th>mean</th>\
         <th>95 % CI</th><th>p05</th><th>median</th><th>p95</th><th>CVaR95</th>\
         <th>risk tail</th></tr></thead>\n\
         <tbody>\n",
    );
    for &(metric, row) in metrics {
        let (what, unit) = catalogue::metric(metric).map_or((metric, ""), |m| (m.label, m.unit));
        // the unit summary.csv states (the economy's money unit), else the catalogue's
        let unit = row.map_or(unit, |r| if r.unit.is_empty() { unit } else { &r.unit });
        let _ = write!(
            html,
            "<tr><td title=\"{0}\">{1} <code>{0}</code></td><td class=\"unit\">{2}</td>",
            escape(metric),
            escape(what),
            escape(unit)
        );
        let Some(row) = row else {
            html.push_str("<td colspan=\"8\" class=\"text note\">not in summary.csv</td></tr>\n");
            continue;
        };
        let count = match ensemble.manifest.run_count {
            Some(runs) if runs != row.n as u64 => format!("{} of {runs}", row.n),
            _ => row.n.to_string(),
        };
        let ci = match (row.mean, row.std_error) {
            (Some(mean), Some(error)) if row.n >= 2 => format!(
                "{} to {}",
                format_cell(Some(mean - 1.96 * error)),
                format_cell(Some(mean + 1.96 * error))
            ),
            _ => "\u{2014}".into(),
        };
        let _ = writeln!(
            html,
            "<td>{count}</td><td>{}</td><td>{ci}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td class=\"unit\">{}</td></tr>",
            format_cell(row.mean),
            format_cell(row.p05),
            format_cell(row.p50),
            format_cell(row.p95),
            format_cell(row.cvar95),
            risk_tail(metric),
        );
    }
    html.push_str("</tbody>\n</table>\n");
}

/// Which tail of `metric` CVaR95 averages, from the catalogue's direction: the upper one
/// where higher is worse, the lower one where higher is better ("?" for a metric the
/// catalogue does not know).
pub(crate) fn risk_tail(metric: &str) -> &'static str {
    match catalogue::metric(metric) {
        Some(m) if m.higher_is_worse => "upper: high is bad, CVaR95 \u{2265} p95",
        Some(_) => "lower: low is bad, CVaR95 \u{2264} p05",
        None => "?",
    }
}

/// `text` with its first letter in upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// "10 runs", "1 variant"; `written` replaces the number if it is not a whole number.
fn count_phrase(count: Option<u64>, noun: &str, written: Option<&str>) -> String {
    match (count, written) {
        (Some(1), _) => format!("1 {noun}"),
        (Some(count), _) => format!("{count} {noun}s"),
        (None, Some(text)) => format!("{} {noun}s", escape(text)),
        (None, None) => format!("? {noun}s"),
    }
}

fn format_cell(value: Option<f64>) -> String {
    value.map_or("\u{2014}".into(), format_significant)
}

/// A number with three significant digits (more for whole numbers up to a million), in
/// exponent form below 0.001 or from a million: `0.0123`, `4.56`, `789`, `12346`, `1.23e9`.
pub(crate) fn format_significant(value: f64) -> String {
    if !value.is_finite() {
        return "\u{2014}".into();
    }
    if value == 0.0 {
        return "0".into();
    }
    // Round to three digits first, so that 9.996 becomes 10.0 rather than 10.00.
    let rounded: f64 = format!("{value:.2e}").parse().unwrap_or(value);
    let magnitude = rounded.abs();
    if !(1e-3..1e6).contains(&magnitude) {
        return format!("{rounded:.2e}");
    }
    let exponent = magnitude.log10().floor() as i32;
    let decimals = (2 - exponent).max(0) as usize;
    if exponent >= 3 {
        // Whole numbers from 1000: keep every digit of the original, rounding to units.
        return format!("{value:.0}");
    }
    format!("{rounded:.decimals$}")
}

/// Text safe in HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// An SVG file as an element of the page: without what comes before `<svg` and without the
/// namespace declaration, which HTML does not need (it would be the page's only URL), and
/// labelled for screen readers.
pub(crate) fn inline_svg(svg: &str, label: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let svg = svg[start..].trim_end();
    let svg = svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    svg.replacen(
        "<svg",
        &format!("<svg role=\"img\" aria-label=\"{}\"", escape(label)),
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_three_significant_digits() {
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1.00"),
            (0.012345, "0.0123"),
            (4.5678, "4.57"),
            (-4.5678, "-4.57"),
            (9.996, "10.0"),
            (99.96, "100"),
            (789.4, "789"),
            (12345.6, "12346"),
            (99_999.4, "99999"),
            (999_999.4, "1.00e6"),
            (1_234_567.0, "1.23e6"),
            (0.000_456_7, "4.57e-4"),
            (f64::NAN, "\u{2014}"),
        ];
        for (value, expected) in cases {
            assert_eq!(format_significant(value), expected, "{value}");
        }
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>"),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;"
        );
    }

    #[test]
    fn svg_loses_its_namespace_url() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"1\" xmlns=\"http://www.w3.org/2000/svg\">\n</svg>\n";
        assert_eq!(
            inline_svg(svg, "a & b"),
            "<svg role=\"img\" aria-label=\"a &amp; b\" width=\"1\">\n</svg>"
        );
    }
}
