//! Which chart of a metric across the sweep the design allows, read from the points alone.
//!
//! The points of one group share the uncertainties' values, so what varies inside a group
//! (normally the levers) goes on the chart's axes, and each group is a line or a panel. If
//! nothing varies inside any group (each group is a single point, e.g. only uncertainties are
//! swept), the points form one series whose axes are the parameters that vary at all. Then:
//!
//! - one axis with numeric values: a line of the mean against it, a line per group;
//! - two axes whose values form a complete grid in every group: a heatmap, a panel per group;
//! - anything else (three or more axes, or points that are not a grid, as a Latin hypercube
//!   gives): no such chart, and the report says why.

use super::input::SweepOutput;

/// How a metric's mean across the sweep is charted.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SweepShape {
    /// The mean against one numeric parameter, a line per series.
    Line {
        /// Index of the parameter on the x axis.
        axis: usize,
        /// The lines.
        series: Vec<Series>,
    },
    /// The mean over a grid of two parameters, a panel per series.
    Grid {
        /// The parameter of the rows and its values, top to bottom.
        rows: Axis,
        /// The parameter of the columns and its values, left to right.
        columns: Axis,
        /// The panels.
        series: Vec<Series>,
    },
    /// No chart, and why (plain text for the report).
    Nothing(String),
}

/// A parameter on an axis and its values there, in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Axis {
    /// Index into [`SweepOutput::parameters`].
    pub parameter: usize,
    /// Its values as written, in increasing order where they are numbers.
    pub values: Vec<String>,
}

/// The points of one line or panel: one group's, or every point.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Series {
    /// What sets it apart ("duration_days 60"); empty if it is the only one.
    pub label: String,
    /// Indices into [`SweepOutput::points`], references excluded.
    pub points: Vec<usize>,
    /// Its "no policies" reference, if it has one of its own.
    pub reference: Option<usize>,
}

/// The shape of the sweep charts for `output`'s points.
pub(crate) fn shape(output: &SweepOutput) -> SweepShape {
    let points: Vec<usize> = (0..output.points.len())
        .filter(|&p| !output.points[p].reference)
        .collect();
    if points.is_empty() {
        return SweepShape::Nothing("sweep.csv has no point besides the references.".into());
    }
    let value = |point: usize, parameter: usize| output.points[point].values[parameter].as_str();
    let varies = |parameter: usize, members: &[usize]| {
        members
            .iter()
            .any(|&p| value(p, parameter) != value(members[0], parameter))
    };
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for &point in &points {
        let group = output.points[point].group;
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, members)) => members.push(point),
            None => groups.push((group, vec![point])),
        }
    }
    let parameters = 0..output.parameters.len();
    let within: Vec<usize> = parameters
        .clone()
        .filter(|&k| groups.iter().any(|(_, members)| varies(k, members)))
        .collect();
    let (axes, series) = if within.is_empty() {
        let axes: Vec<usize> = parameters.filter(|&k| varies(k, &points)).collect();
        let reference = match groups.as_slice() {
            [(group, _)] => reference_of(output, *group),
            _ => None,
        };
        let all = Series {
            label: String::new(),
            points: points.clone(),
            reference,
        };
        (axes, vec![all])
    } else {
        let several = groups.len() > 1;
        let series = groups
            .iter()
            .map(|(group, members)| Series {
                label: if several {
                    match output.group_label(*group) {
                        label if label.is_empty() => format!("group {group}"),
                        label => label,
                    }
                } else {
                    String::new()
                },
                points: members.clone(),
                reference: reference_of(output, *group),
            })
            .collect();
        (within, series)
    };
    let names = |axes: &[usize]| {
        axes.iter()
            .map(|&k| output.parameters[k].short.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match axes.as_slice() {
        [] => SweepShape::Nothing("no parameter varies between the points.".into()),
        &[axis] => line(output, axis, series),
        &[rows, columns] => grid(output, (rows, columns), series, &points),
        _ => SweepShape::Nothing(format!(
            "{} parameters vary together ({}): no single chart shows the mean over all of \
             them; the frontier table and sweep.csv have every point.",
            axes.len(),
            names(&axes)
        )),
    }
}

/// The reference of `group`, if there is one.
fn reference_of(output: &SweepOutput, group: usize) -> Option<usize> {
    output
        .points
        .iter()
        .position(|p| p.reference && p.group == group)
}

/// A line against `axis`, if its values are numbers and no series repeats one.
fn line(output: &SweepOutput, axis: usize, series: Vec<Series>) -> SweepShape {
    let parameter = &output.parameters[axis];
    for members in &series {
        let mut seen: Vec<&str> = Vec::new();
        for &point in &members.points {
            let value = output.points[point].values[axis].as_str();
            if number(value).is_none() {
                return SweepShape::Nothing(format!(
                    "{} has the value {value:?}, which is not a number to put on an axis.",
                    parameter.path
                ));
            }
            if seen.contains(&value) {
                return SweepShape::Nothing(format!(
                    "two points share {} = {value} and nothing else tells them apart.",
                    parameter.path
                ));
            }
            seen.push(value);
        }
    }
    SweepShape::Line { axis, series }
}

/// A heatmap of `rows` × `columns`, if every series has exactly one point in each cell.
fn grid(
    output: &SweepOutput,
    (rows, columns): (usize, usize),
    series: Vec<Series>,
    points: &[usize],
) -> SweepShape {
    let rows = axis_of(output, rows, points);
    let columns = axis_of(output, columns, points);
    for members in &series {
        let mut filled = vec![0usize; rows.values.len() * columns.values.len()];
        for &point in &members.points {
            if let Some(cell) = cell_of(output, point, &rows, &columns) {
                filled[cell] += 1;
            }
        }
        if filled.iter().any(|&count| count != 1) {
            return SweepShape::Nothing(format!(
                "the points do not form a grid of {} × {} (a random design, or a grid with \
                 gaps): a heatmap would be mostly empty.",
                output.parameters[rows.parameter].short, output.parameters[columns.parameter].short
            ));
        }
    }
    SweepShape::Grid {
        rows,
        columns,
        series,
    }
}

/// The cell of `point` in a grid of `rows` × `columns` (row-major).
pub(crate) fn cell_of(
    output: &SweepOutput,
    point: usize,
    rows: &Axis,
    columns: &Axis,
) -> Option<usize> {
    let values = &output.points[point].values;
    let row = rows
        .values
        .iter()
        .position(|v| *v == values[rows.parameter])?;
    let column = columns
        .values
        .iter()
        .position(|v| *v == values[columns.parameter])?;
    Some(row * columns.values.len() + column)
}

/// The distinct values of `parameter` among `points`: in increasing order if all are
/// numbers, else in order of first appearance.
fn axis_of(output: &SweepOutput, parameter: usize, points: &[usize]) -> Axis {
    let mut values: Vec<String> = Vec::new();
    for &point in points {
        let value = &output.points[point].values[parameter];
        if !values.contains(value) {
            values.push(value.clone());
        }
    }
    if values.iter().all(|v| number(v).is_some()) {
        values.sort_by(|a, b| {
            let (a, b) = (number(a).unwrap_or(0.0), number(b).unwrap_or(0.0));
            a.total_cmp(&b)
        });
    }
    Axis { parameter, values }
}

/// A parameter value as a finite number, if it is one.
pub(crate) fn number(value: &str) -> Option<f64> {
    value.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}
