//! kubectl's table printing: columns padded like `text/tabwriter` with 3 spaces between
//! them, and ages in `duration.HumanDuration` form (`45s`, `5m3s`, `2d4h`).

/// Renders rows under a header, left-aligned, three spaces between columns.
#[must_use]
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let cols = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(cols) {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut s = String::new();
        for (i, cell) in cells.enumerate() {
            if i + 1 < cols {
                s.push_str(cell);
                s.push_str(&" ".repeat(widths[i] - cell.chars().count() + 3));
            } else {
                s.push_str(cell);
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(&mut header.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

/// `k8s.io/apimachinery/pkg/util/duration.HumanDuration`.
#[must_use]
pub fn human_duration(seconds: f64) -> String {
    // Go truncates toward zero, and tolerates one second of clock skew.
    let s = seconds as i64;
    if s < -1 {
        return "<invalid>".into();
    }
    if s < 0 {
        return "0s".into();
    }
    if s < 60 * 2 {
        return format!("{s}s");
    }
    let minutes = s / 60;
    if minutes < 10 {
        let rest = s % 60;
        return if rest == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{rest}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = s / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        let d = hours / 24;
        return if h == 0 {
            format!("{d}d")
        } else {
            format!("{d}d{h}h")
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let d = (hours / 24) % 365;
        let y = hours / 24 / 365;
        return if d == 0 {
            format!("{y}y")
        } else {
            format!("{y}y{d}d")
        };
    }
    format!("{}y", hours / 24 / 365)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations_like_kubectl() {
        // Cases from apimachinery duration_test.go (TestHumanDuration).
        assert_eq!(human_duration(1.0), "1s");
        assert_eq!(human_duration(70.0), "70s");
        assert_eq!(human_duration(190.0), "3m10s");
        assert_eq!(human_duration(70.0 * 60.0), "70m");
        assert_eq!(human_duration(47.0 * 3600.0), "47h");
        assert_eq!(human_duration(49.0 * 3600.0), "2d1h");
        assert_eq!(human_duration(8.0 * 24.0 * 3600.0), "8d");
        assert_eq!(human_duration(367.0 * 24.0 * 3600.0), "367d");
        assert_eq!(human_duration(-0.5), "0s");
    }

    #[test]
    fn columns_are_padded_by_three() {
        let t = table(
            &["NAME", "READY"],
            &[
                vec!["web-1".into(), "1/1".into()],
                vec!["a".into(), "0/1".into()],
            ],
        );
        assert_eq!(t, "NAME    READY\nweb-1   1/1\na       0/1\n");
    }
}
