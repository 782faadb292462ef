//! SVG chart geometry shared by the panels' charts: a plot frame that maps time and value to
//! coordinates, and step lines through samples (values hold until the next sample, as the
//! simulator's state does between snapshots).

use std::fmt::Write as _;

/// One plot area: pixel bounds, the time span across it and the value at its top.
pub struct Frame {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    /// Seconds at the right edge.
    pub until: f64,
    /// The value at the top edge.
    pub ymax: f64,
}

impl Frame {
    #[must_use]
    pub fn x(&self, t: f64) -> f64 {
        self.left + (t / self.until.max(1e-9)).clamp(0.0, 1.0) * (self.right - self.left)
    }

    #[must_use]
    pub fn y(&self, v: f64) -> f64 {
        self.bottom - (v / self.ymax.max(1e-9)).clamp(0.0, 1.0) * (self.bottom - self.top)
    }
}

/// A step line through (t, value) samples, held until `end`; a `None` value leaves a gap.
#[must_use]
pub fn step_path(
    frame: &Frame,
    points: impl Iterator<Item = (f64, Option<f64>)>,
    end: f64,
) -> String {
    let mut d = String::new();
    let mut drawing = false;
    for (t, v) in points {
        let x = frame.x(t);
        if drawing {
            let _ = write!(d, "H{x:.1}");
        }
        match v {
            Some(v) if drawing => {
                let _ = write!(d, "V{:.1}", frame.y(v));
            }
            Some(v) => {
                let _ = write!(d, "M{x:.1},{:.1}", frame.y(v));
                drawing = true;
            }
            None => drawing = false,
        }
    }
    if drawing {
        let _ = write!(d, "H{:.1}", frame.x(end));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_hold_until_the_next_sample_and_gaps_break_the_line() {
        let f = Frame {
            left: 0.0,
            right: 100.0,
            top: 0.0,
            bottom: 10.0,
            until: 10.0,
            ymax: 10.0,
        };
        let d = step_path(
            &f,
            [
                (0.0, Some(1.0)),
                (5.0, Some(4.0)),
                (6.0, None),
                (8.0, Some(2.0)),
            ]
            .into_iter(),
            10.0,
        );
        assert_eq!(d, "M0.0,9.0H50.0V6.0H60.0M80.0,8.0H100.0");
    }
}
