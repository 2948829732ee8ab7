//! What the ensemble charts share: saving one drawing as PNG and SVG, the caption and legend
//! strip above the plot, and fitting labels into the room they have.
//!
//! Layout is computed from text sizes that the embedded font gives on any backend, so the
//! PNG and the SVG get the same layout.

use std::fs;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::plot::PlotError;
use crate::plot::render::{CAPTION_SIZES, FONT, PALETTE, SIZE};

/// The result of drawing on a backend.
pub(crate) type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Font size of legend and subtitle text.
pub(crate) const LEGEND_FONT_SIZE: u32 = 15;
/// Font size of axis descriptions.
pub(crate) const AXIS_DESC_SIZE: u32 = 18;
/// Font size of tick labels.
pub(crate) const LABEL_SIZE: u32 = 15;
/// Opacity of the 5–95 % bands and of boxes.
pub(crate) const BAND_OPACITY: f64 = 0.18;
/// Dark grey for reference lines and secondary text.
pub(crate) const GREY: RGBColor = RGBColor(0x55, 0x55, 0x55);

/// A chart that can be drawn on any plotters backend.
pub(crate) trait Figure {
    /// File stem under `plots/`.
    fn name(&self) -> &str;
    /// Draw the whole image on `root`.
    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB>;
}

/// Draw `figure` into `plots/<name>.png` and `plots/<name>.svg`.
pub(crate) fn save(figure: &impl Figure, plots: &Path) -> Result<(), PlotError> {
    let png = plots.join(format!("{}.png", figure.name()));
    let svg = plots.join(format!("{}.svg", figure.name()));
    let root = BitMapBackend::new(&png, SIZE).into_drawing_area();
    figure
        .render(&root)
        .and_then(|()| root.present())
        .map_err(|error| PlotError::Draw {
            path: png.clone(),
            message: error.to_string(),
        })?;
    drop(root);
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, SIZE).into_drawing_area();
        figure
            .render(&root)
            .and_then(|()| root.present())
            .map_err(|error| PlotError::Draw {
                path: svg.clone(),
                message: error.to_string(),
            })?;
    }
    fs::write(&svg, text).map_err(|source| PlotError::Io { path: svg, source })
}

/// The colour of variant (or region) number `index`.
pub(crate) fn colour(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// The small picture in front of a legend entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Swatch {
    /// A translucent band with its median line: a variant of a fan chart.
    Band(RGBColor),
    /// A line of the given width.
    Line(RGBColor, u32),
    /// A translucent box with a border.
    Box(RGBColor),
    /// A white diamond with a black border (a mean).
    Diamond,
    /// A small filled circle (one run).
    Dot(RGBColor),
    /// A circle of the given radius, filled (`true`) or only outlined: a point of a scatter.
    Circle(RGBColor, u32, bool),
    /// A square of the given half-width, filled (`true`) or only outlined.
    Square(RGBColor, u32, bool),
    /// A dashed line: a reference level.
    Dashed(RGBColor),
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LegendItem {
    /// What it shows.
    pub swatch: Swatch,
    /// Its text.
    pub label: String,
}

const SWATCH_WIDTH: i32 = 28;
const SWATCH_GAP: i32 = 7;
const ITEM_GAP: i32 = 26;
const LEGEND_ROW_HEIGHT: i32 = 24;
const SIDE_MARGIN: i32 = 20;

/// Draw the caption, an optional grey subtitle and a centred legend (wrapped into rows) at
/// the top of `root`, and return the area below them for the chart.
pub(crate) fn header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    caption: &str,
    subtitle: Option<&str>,
    legend: &[LegendItem],
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let width = SIZE.0 as i32;
    let caption_size = caption_size(root, caption)?;
    let mut y = 12;
    root.draw(&Text::new(
        caption.to_string(),
        (width / 2, y),
        font(caption_size).pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    y += caption_size as i32 + 8;
    if let Some(subtitle) = subtitle {
        let style = font(LEGEND_FONT_SIZE).color(&GREY);
        let subtitle = fit(root, subtitle, &style, width - 2 * SIDE_MARGIN)?;
        root.draw(&Text::new(
            subtitle,
            (width / 2, y),
            style.pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        y += LEGEND_FONT_SIZE as i32 + 8;
    }
    let text_style = font(LEGEND_FONT_SIZE);
    let mut rows: Vec<Vec<(&LegendItem, String, i32)>> = Vec::new();
    let mut row_width = 0;
    let max_row = width - 2 * SIDE_MARGIN;
    for item in legend {
        let label = fit(
            root,
            &item.label,
            &text_style,
            max_row - SWATCH_WIDTH - SWATCH_GAP,
        )?;
        let item_width = SWATCH_WIDTH + SWATCH_GAP + text_width(root, &label, &text_style)?;
        let gap = if row_width == 0 { 0 } else { ITEM_GAP };
        match rows.last_mut() {
            Some(row) if row_width + gap + item_width <= max_row => {
                row.push((item, label, item_width));
                row_width += gap + item_width;
            }
            _ => {
                rows.push(vec![(item, label, item_width)]);
                row_width = item_width;
            }
        }
    }
    for row in &rows {
        let total: i32 =
            row.iter().map(|(_, _, w)| w).sum::<i32>() + ITEM_GAP * (row.len() as i32 - 1);
        let mut x = (width - total) / 2;
        let centre_y = y + LEGEND_ROW_HEIGHT / 2;
        for (item, label, item_width) in row {
            draw_swatch(root, item.swatch, (x, centre_y))?;
            root.draw(&Text::new(
                label.clone(),
                (x + SWATCH_WIDTH + SWATCH_GAP, centre_y),
                text_style.pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
            x += item_width + ITEM_GAP;
        }
        y += LEGEND_ROW_HEIGHT;
    }
    Ok(root.split_vertically(y + 4).1)
}

fn draw_swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    (x, y): (i32, i32),
) -> Drawn<DB> {
    let right = x + SWATCH_WIDTH;
    let middle = x + SWATCH_WIDTH / 2;
    match swatch {
        Swatch::Band(colour) => {
            root.draw(&Rectangle::new(
                [(x, y - 8), (right, y + 8)],
                colour.mix(BAND_OPACITY).filled(),
            ))?;
            root.draw(&PathElement::new(
                [(x, y), (right, y)],
                colour.stroke_width(3),
            ))
        }
        Swatch::Line(colour, width) => root.draw(&PathElement::new(
            [(x, y), (right, y)],
            colour.stroke_width(width),
        )),
        Swatch::Box(colour) => {
            root.draw(&Rectangle::new(
                [(x + 4, y - 8), (right - 4, y + 8)],
                colour.mix(BAND_OPACITY).filled(),
            ))?;
            root.draw(&Rectangle::new(
                [(x + 4, y - 8), (right - 4, y + 8)],
                colour.stroke_width(2),
            ))
        }
        Swatch::Diamond => draw_diamond(root, (middle, y)),
        Swatch::Dot(colour) => root.draw(&Circle::new((middle, y), 4, colour.filled())),
        Swatch::Circle(colour, radius, filled) => root.draw(&Circle::new(
            (middle, y),
            radius,
            marker_style(colour, filled),
        )),
        Swatch::Square(colour, half, filled) => {
            let half = half as i32;
            root.draw(&Rectangle::new(
                [(middle - half, y - half), (middle + half, y + half)],
                marker_style(colour, filled),
            ))
        }
        Swatch::Dashed(colour) => root.draw(&plotters::element::DashedPathElement::new(
            [(x, y), (right, y)],
            5,
            4,
            colour.stroke_width(2),
        )),
    }
}

/// A marker's style: filled, or a two-pixel outline.
pub(crate) fn marker_style(colour: RGBColor, filled: bool) -> ShapeStyle {
    if filled {
        colour.filled()
    } else {
        colour.stroke_width(2)
    }
}

/// A white diamond with a black border centred on `(x, y)`, in pixels.
pub(crate) fn draw_diamond<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
) -> Drawn<DB> {
    let corners = [(x, y - 7), (x + 7, y), (x, y + 7), (x - 7, y)];
    root.draw(&Polygon::new(corners, WHITE.filled()))?;
    root.draw(&PathElement::new(
        [corners[0], corners[1], corners[2], corners[3], corners[0]],
        BLACK.stroke_width(2),
    ))
}

/// The embedded font at `size` pixels.
pub(crate) fn font(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().into()
}

/// The largest caption size that fits the width, so that a long scenario name is not
/// clipped.
fn caption_size<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    caption: &str,
) -> Result<u32, DrawingAreaErrorKind<DB::ErrorType>> {
    for size in CAPTION_SIZES {
        if text_width(root, caption, &font(size))? + 2 * SIDE_MARGIN <= SIZE.0 as i32 {
            return Ok(size);
        }
    }
    Ok(CAPTION_SIZES[CAPTION_SIZES.len() - 1])
}

/// The width of `text` in pixels.
pub(crate) fn text_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    if text.is_empty() {
        return Ok(0);
    }
    let (width, _) = root.estimate_text_size(text, style)?;
    Ok(i32::try_from(width).unwrap_or(i32::MAX))
}

/// `text`, shortened with "…" if needed so that it is at most `max_width` pixels wide.
pub(crate) fn fit<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_width: i32,
) -> Result<String, DrawingAreaErrorKind<DB::ErrorType>> {
    if text_width(root, text, style)? <= max_width {
        Ok(text.to_string())
    } else {
        ellipsize(root, text, style, max_width)
    }
}

/// `text`, shortened in the middle with "…" if needed so that it is at most `max_width`
/// pixels wide: names that share a long start (`electricity_gas_…_12`) stay distinct.
pub(crate) fn fit_middle<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_width: i32,
) -> Result<String, DrawingAreaErrorKind<DB::ErrorType>> {
    if text_width(root, text, style)? <= max_width {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    let shortened = |kept: usize| {
        let tail = kept / 2;
        let head: String = chars[..kept - tail].iter().collect();
        let tail: String = chars[chars.len() - tail..].iter().collect();
        format!("{}…{}", head.trim_end(), tail.trim_start())
    };
    // Bisection: keeping `fits` characters fits, keeping `too_long` does not.
    let (mut fits, mut too_long) = (0, chars.len());
    while too_long - fits > 1 {
        let middle = (fits + too_long) / 2;
        if text_width(root, &shortened(middle), style)? <= max_width {
            fits = middle;
        } else {
            too_long = middle;
        }
    }
    Ok(shortened(fits))
}

/// The longest start of `text` that fits into `max_width` pixels followed by "…".
fn ellipsize<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_width: i32,
) -> Result<String, DrawingAreaErrorKind<DB::ErrorType>> {
    let chars: Vec<char> = text.chars().collect();
    let shortened = |length: usize| {
        chars[..length]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…"
    };
    // Bisection: `fits` characters fit with the ellipsis, `too_long` do not.
    let (mut fits, mut too_long) = (0, chars.len() + 1);
    while too_long - fits > 1 {
        let middle = (fits + too_long) / 2;
        if text_width(root, &shortened(middle), style)? <= max_width {
            fits = middle;
        } else {
            too_long = middle;
        }
    }
    Ok(shortened(fits))
}

/// `text` broken into at most `max_lines` lines of at most `max_width` pixels: at spaces, or
/// after `_`, `-` or `/`, or inside a word that is wider than a line. The last line ends in
/// "…" if text is left over. Returns `None` if not even one character fits on a line.
pub(crate) fn wrap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_width: i32,
    max_lines: usize,
) -> Result<Option<Vec<String>>, DrawingAreaErrorKind<DB::ErrorType>> {
    let first = text.chars().next().map(String::from).unwrap_or_default();
    if max_lines == 0 || text_width(root, &first, style)? > max_width {
        return Ok(None);
    }
    // Pieces that may start a line, each with what joins it to the one before.
    let mut pieces: Vec<(&str, String)> = Vec::new();
    let mut current = String::new();
    let mut joiner = "";
    for c in text.chars() {
        if c.is_whitespace() {
            if !current.is_empty() {
                pieces.push((joiner, std::mem::take(&mut current)));
            }
            joiner = " ";
        } else {
            current.push(c);
            if matches!(c, '_' | '-' | '/') {
                pieces.push((joiner, std::mem::take(&mut current)));
                joiner = "";
            }
        }
    }
    if !current.is_empty() {
        pieces.push((joiner, current));
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (joiner, piece) in pieces {
        let joined = if line.is_empty() {
            piece.clone()
        } else {
            format!("{line}{joiner}{piece}")
        };
        if text_width(root, &joined, style)? <= max_width {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A piece wider than a line is broken between characters.
        for c in piece.chars() {
            let longer = format!("{line}{c}");
            if line.is_empty() || text_width(root, &longer, style)? <= max_width {
                line = longer;
            } else {
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        let last = lines.pop().unwrap_or_default();
        lines.push(ellipsize(root, &last, style, max_width)?);
    }
    Ok(Some(lines))
}
