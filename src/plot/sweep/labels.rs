//! Placing text labels next to points without covering other labels, points or lines: each
//! label tries positions around its point, nearest first, and takes the first free one
//! inside the plotting area; farther positions get a thin leader line. A label with no free
//! position is left out (and counted), rather than drawn over another.
//!
//! Below and to the left of a point comes first: on a cost–loss frontier that is the corner
//! no other point can be in (it would be cheaper and lose less).

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::plot::ensemble::figure;

/// A label's place: the top-left corner of its text and whether it needs a leader line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Placed {
    /// The label.
    pub text: String,
    /// The top-left corner of the text, in pixels.
    pub corner: (i32, i32),
    /// The point it names, in pixels.
    pub point: (i32, i32),
    /// Drawn away from its point: join them with a line.
    pub leader: bool,
}

/// A box `(left, top, right, bottom)` in pixels.
type PixelBox = (i32, i32, i32, i32);

fn overlaps(a: PixelBox, b: PixelBox) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Distances from a point to its label, in pixels: next to it, then farther with a leader.
const DISTANCES: [i32; 4] = [10, 28, 52, 80];
/// Room kept clear around every point, in pixels.
const POINT_RADIUS: i32 = 7;
const PADDING: i32 = 2;

/// Places for `labels` (`(point index, text)`, in order of priority) next to `points` (every
/// point of the chart, in pixels), clear of the boxes `lines` (the lines drawn, as boxes
/// around their straight pieces), inside `area`; and how many labels found no place.
pub(crate) fn place<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    style: &TextStyle,
    (points, lines): (&[(i32, i32)], &[PixelBox]),
    labels: &[(usize, String)],
    area: PixelBox,
) -> Result<(Vec<Placed>, usize), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut taken: Vec<PixelBox> = lines.to_vec();
    taken.extend(points.iter().map(|&(x, y)| {
        (
            x - POINT_RADIUS,
            y - POINT_RADIUS,
            x + POINT_RADIUS,
            y + POINT_RADIUS,
        )
    }));
    let mut placed = Vec::new();
    let mut left_out = 0;
    for (point, text) in labels {
        let (x, y) = points[*point];
        let width = figure::text_width(root, text, style)?;
        let height = i32::try_from(root.estimate_text_size(text, style)?.1).unwrap_or(16);
        let mut found = None;
        'search: for (round, &d) in DISTANCES.iter().enumerate() {
            let candidates = [
                (x - d - width, y + d / 2),
                (x + d, y + d / 2),
                (x - d - width, y - height - d / 2),
                (x + d, y - height - d / 2),
                (x - d - width, y - height / 2),
                (x + d, y - height / 2),
                (x - width / 2, y + d),
                (x - width / 2, y - height - d),
            ];
            for (left, top) in candidates {
                let bounds = (left, top, left + width, top + height);
                let padded = (
                    left - PADDING,
                    top - PADDING,
                    left + width + PADDING,
                    top + height + PADDING,
                );
                let inside = bounds.0 >= area.0
                    && bounds.1 >= area.1
                    && bounds.2 <= area.2
                    && bounds.3 <= area.3;
                if inside && !taken.iter().any(|&b| overlaps(b, padded)) {
                    found = Some(((left, top), round > 0, bounds));
                    break 'search;
                }
            }
        }
        match found {
            Some((corner, leader, bounds)) => {
                taken.push(bounds);
                placed.push(Placed {
                    text: text.clone(),
                    corner,
                    point: (x, y),
                    leader,
                });
            }
            None => left_out += 1,
        }
    }
    Ok((placed, left_out))
}

/// The box around the straight piece from `from` to `to`, `half_width` pixels to each side.
pub(crate) fn segment_box(from: (i32, i32), to: (i32, i32), half_width: i32) -> PixelBox {
    (
        from.0.min(to.0) - half_width,
        from.1.min(to.1) - half_width,
        from.0.max(to.0) + half_width,
        from.1.max(to.1) + half_width,
    )
}

/// The point on the edge of the box `bounds` nearest to `point`: where a leader line ends.
pub(crate) fn leader_end(bounds: PixelBox, point: (i32, i32)) -> (i32, i32) {
    (
        point.0.clamp(bounds.0, bounds.2),
        point.1.clamp(bounds.1, bounds.3),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_overlap_only_when_they_share_area() {
        assert!(overlaps((0, 0, 10, 10), (5, 5, 15, 15)));
        assert!(!overlaps((0, 0, 10, 10), (10, 0, 20, 10)));
        assert!(!overlaps((0, 0, 10, 10), (0, 11, 10, 20)));
    }

    #[test]
    fn a_leader_ends_on_the_nearest_edge() {
        assert_eq!(leader_end((10, 10, 50, 20), (0, 15)), (10, 15));
        assert_eq!(leader_end((10, 10, 50, 20), (30, 40)), (30, 20));
    }
}
