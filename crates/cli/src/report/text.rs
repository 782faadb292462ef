//! Compiler-style text: `path:line:column: severity[code] message`, the source line with a
//! caret underline, the fix, and a summary line.

use std::io::{self, Write};

use kubeplay_core::{Diagnostic, Severity};

use super::Totals;
use crate::input::{Checked, Source};
use crate::position;
use crate::style::{self, BLUE, BOLD, CYAN, RED, Style, YELLOW};

/// Tab stops in rendered source lines.
const TAB_WIDTH: usize = 4;
/// Widest source excerpt printed; longer lines are cut around the span.
const MAX_WIDTH: usize = 160;
/// Columns kept before the span when a long line is cut.
const CONTEXT: usize = 40;

pub fn write(out: &mut dyn Write, files: &[Checked], style: Style) -> io::Result<()> {
    for file in files {
        let shown = match file.source {
            Source::Stdin => "<stdin>".to_owned(),
            Source::File(_) => style::sanitize(&file.path),
        };
        for d in &file.analysis.diagnostics {
            diagnostic(out, file, &shown, d, style)?;
        }
    }
    writeln!(out, "{}", summary(&Totals::of(files)))
}

/// `2 errors, 1 warning, 0 infos in 3 files (7 objects)`.
pub fn summary(t: &Totals) -> String {
    format!(
        "{}, {}, {} in {} ({})",
        plural(t.errors, "error", "errors"),
        plural(t.warnings, "warning", "warnings"),
        plural(t.infos, "info", "infos"),
        plural(t.files, "file", "files"),
        plural(t.objects, "object", "objects"),
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn diagnostic(
    out: &mut dyn Write,
    file: &Checked,
    path: &str,
    d: &Diagnostic,
    style: Style,
) -> io::Result<()> {
    let text = file.text.as_str();
    let index = &file.analysis.line_index;
    let start = position::point(text, index, &d.span.start);
    let color = match d.severity {
        Severity::Error => RED,
        Severity::Warning => YELLOW,
        Severity::Info => CYAN,
    };
    writeln!(
        out,
        "{}: {} {}",
        style.paint(BOLD, &format!("{path}:{}:{}", start.line, start.column)),
        style.paint(color, &format!("{}[{}]", d.severity.as_str(), d.code)),
        style.paint(BOLD, &style::sanitize(&d.message)),
    )?;

    let line = index.line_range(text, d.span.start.line);
    let source = text.get(line.start..line.end).unwrap_or("");
    let from = d
        .span
        .start
        .offset
        .saturating_sub(line.start)
        .min(source.len());
    let to = if d.span.end.line == d.span.start.line {
        d.span
            .end
            .offset
            .saturating_sub(line.start)
            .min(source.len())
    } else {
        source.len()
    };
    let snip = snippet(source, from, to.max(from));
    let number = start.line.to_string();
    let blank = " ".repeat(number.len() + 2);
    let bar = style.paint(BLUE, "|");
    writeln!(out, "{blank}{bar}")?;
    if snip.line.is_empty() {
        writeln!(out, "{}", style.paint(BLUE, &format!(" {number} |")))?;
    } else {
        writeln!(
            out,
            "{} {}",
            style.paint(BLUE, &format!(" {number} |")),
            snip.line
        )?;
    }
    writeln!(
        out,
        "{blank}{bar} {}{}",
        " ".repeat(snip.pad),
        style.paint(color, &"^".repeat(snip.carets))
    )?;
    let help = d.help.trim();
    if !help.is_empty() {
        let mut lines = help.lines();
        if let Some(first) = lines.next() {
            writeln!(
                out,
                "{blank}{} {}",
                style.paint(BLUE, "= help:"),
                style::sanitize(first)
            )?;
        }
        for more in lines {
            writeln!(out, "{blank}        {}", style::sanitize(more.trim_start()))?;
        }
    }
    writeln!(out)
}

/// One rendered source line and where its underline goes, in display columns.
#[derive(Debug, PartialEq, Eq)]
struct Snippet {
    line: String,
    pad: usize,
    carets: usize,
}

/// Renders `line` (without terminator) for a terminal: tabs expanded, control characters
/// made visible, wide characters counted as two columns, long lines cut around the span.
/// `from..to` is the span's byte range within the line.
fn snippet(line: &str, from: usize, to: usize) -> Snippet {
    struct Cell {
        col: usize,
        text: String,
        width: usize,
    }
    let mut cells: Vec<Cell> = Vec::new();
    let mut col = 0usize;
    let mut start_col = None;
    let mut end_col = None;
    for (i, c) in line.char_indices() {
        if start_col.is_none() && i >= from {
            start_col = Some(col);
        }
        if end_col.is_none() && i >= to {
            end_col = Some(col);
        }
        let (text, width) = if c == '\t' {
            let w = TAB_WIDTH - col % TAB_WIDTH;
            (" ".repeat(w), w)
        } else {
            (style::visible(c).to_string(), char_width(c))
        };
        cells.push(Cell { col, text, width });
        col += width;
    }
    let total = col;
    let start_col = start_col.unwrap_or(total);
    let end_col = end_col.unwrap_or(total);
    let carets = end_col.saturating_sub(start_col).max(1);
    if total <= MAX_WIDTH {
        return Snippet {
            line: cells.into_iter().map(|c| c.text).collect(),
            pad: start_col,
            carets,
        };
    }
    // Cut: keep CONTEXT columns before the span and as much after as fits.
    let window_start = start_col.saturating_sub(CONTEXT);
    let window_end = window_start + MAX_WIDTH;
    let mut out = String::new();
    let mut first_col = None;
    let mut last_end = window_start;
    for cell in &cells {
        if cell.col < window_start {
            continue;
        }
        if cell.col + cell.width > window_end {
            break;
        }
        first_col.get_or_insert(cell.col);
        out.push_str(&cell.text);
        last_end = cell.col + cell.width;
    }
    let first_col = first_col.unwrap_or(window_start);
    let lead = usize::from(first_col > 0);
    let mut line_out = String::new();
    if lead == 1 {
        line_out.push('…');
    }
    line_out.push_str(&out);
    if last_end < total {
        line_out.push('…');
    }
    let pad = lead + start_col.saturating_sub(first_col);
    let visible = last_end.saturating_sub(start_col).max(1);
    Snippet {
        line: line_out,
        pad,
        carets: carets.min(visible),
    }
}

/// Terminal columns of a character: 0 for combining marks, 2 for East Asian wide and
/// emoji, 1 otherwise (control characters print as one-column control pictures).
fn char_width(c: char) -> usize {
    match u32::from(c) {
        0x0300..=0x036F | 0x200B..=0x200F | 0xFE00..=0xFE0F => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_line() {
        let s = snippet("kind: Deployment", 6, 16);
        assert_eq!(
            (s.line.as_str(), s.pad, s.carets),
            ("kind: Deployment", 6, 10)
        );
    }

    #[test]
    fn empty_span_gets_one_caret() {
        let s = snippet("kind: x", 7, 7);
        assert_eq!((s.pad, s.carets), (7, 1));
    }

    #[test]
    fn tabs_expand_and_the_caret_follows() {
        let s = snippet("a:\tvalue", 3, 8);
        assert_eq!(s.line, "a:  value");
        assert_eq!((s.pad, s.carets), (4, 5));
    }

    #[test]
    fn wide_and_control_characters() {
        let s = snippet("名前: \u{1b}x", 8, 12);
        assert_eq!(s.line, "名前: \u{241b}x");
        assert_eq!((s.pad, s.carets), (6, 2));
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!("{}TARGET{}", "a".repeat(500), "b".repeat(500));
        let s = snippet(&line, 500, 506);
        assert!(s.line.starts_with('…') && s.line.ends_with('…'));
        assert!(s.line.chars().count() <= MAX_WIDTH + 2);
        let shown: String = s.line.chars().skip(s.pad).take(s.carets).collect();
        assert_eq!(shown, "TARGET");
    }

    #[test]
    fn summary_pluralises() {
        let t = Totals {
            errors: 1,
            warnings: 2,
            infos: 0,
            files: 1,
            objects: 3,
        };
        assert_eq!(
            summary(&t),
            "1 error, 2 warnings, 0 infos in 1 file (3 objects)"
        );
    }
}
