//! Positions as the CLI prints them: 1-based line and 1-based *character* column
//! (Unicode scalar values), the unit a terminal user counts and SARIF's
//! `unicodeCodePoints` column kind.

use kubeplay_core::{LineIndex, Location, Span};

/// A resolved point: 1-based line, 1-based character column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Point {
    pub line: u32,
    pub column: u32,
}

/// Start and end (exclusive) of a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub start: Point,
    pub end: Point,
}

pub fn region(text: &str, index: &LineIndex, span: &Span) -> Region {
    Region {
        start: point(text, index, &span.start),
        end: point(text, index, &span.end),
    }
}

pub fn point(text: &str, index: &LineIndex, loc: &Location) -> Point {
    // An all-ASCII prefix has as many characters as UTF-16 units and bytes.
    if loc.column == loc.byte_column {
        return Point {
            line: loc.line,
            column: loc.column,
        };
    }
    let line_start = index.line_range(text, loc.line).start;
    let chars = text
        .get(line_start..loc.offset)
        .map_or(0, |prefix| prefix.chars().count());
    Point {
        line: loc.line,
        column: u32::try_from(chars + 1).unwrap_or(u32::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes_or_utf16_units() {
        let text = "a: é\nb: 😀x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        let loc = index.location(text, x);
        assert_eq!(point(text, &index, &loc), Point { line: 2, column: 5 });
    }
}
