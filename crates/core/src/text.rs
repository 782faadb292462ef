//! Positions in the learner's text: byte offsets, 1-based lines, and columns in both
//! UTF-16 code units (what the browser editor counts) and bytes (what a terminal slices).

use serde::Serialize;

/// A half-open byte range `[start, end)` into the analysed text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    #[must_use]
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    #[must_use]
    pub const fn empty(at: usize) -> Self {
        Self { start: at, end: at }
    }

    #[must_use]
    pub const fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The smallest range covering both.
    #[must_use]
    pub fn cover(self, other: Self) -> Self {
        Self::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// One point in the text, in every unit a consumer needs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// 1-based line.
    pub line: u32,
    /// 1-based column in UTF-16 code units (CodeMirror, LSP, the browser).
    pub column: u32,
    /// 1-based column in bytes of UTF-8.
    pub byte_column: u32,
    /// Byte offset from the start of the text.
    pub offset: usize,
    /// Offset from the start of the text in UTF-16 code units.
    pub offset_utf16: usize,
}

/// A resolved range: start and end locations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: Location,
    pub end: Location,
}

/// Maps byte offsets to lines and columns. Built once per analysed text in O(n).
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset at which each line starts.
    line_starts: Vec<usize>,
    /// UTF-16 offset at which each line starts.
    line_starts_utf16: Vec<usize>,
    len: usize,
    ascii: bool,
}

impl LineIndex {
    #[must_use]
    pub fn new(text: &str) -> Self {
        let ascii = text.is_ascii();
        let mut line_starts = vec![0];
        if ascii {
            // Bytes and UTF-16 units coincide.
            line_starts.extend(
                text.bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i + 1),
            );
            return Self {
                line_starts_utf16: line_starts.clone(),
                line_starts,
                len: text.len(),
                ascii,
            };
        }
        let mut line_starts_utf16 = vec![0];
        let mut utf16 = 0usize;
        for (i, ch) in text.char_indices() {
            utf16 += ch.len_utf16();
            if ch == '\n' {
                line_starts.push(i + 1);
                line_starts_utf16.push(utf16);
            }
        }
        Self {
            line_starts,
            line_starts_utf16,
            len: text.len(),
            ascii,
        }
    }

    /// Number of lines (a text without newline has one).
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte range of a 1-based line, without its line terminator.
    #[must_use]
    pub fn line_range(&self, text: &str, line: u32) -> TextRange {
        let i = (line.max(1) as usize - 1).min(self.line_starts.len() - 1);
        let start = self.line_starts[i];
        let mut end = self.line_starts.get(i + 1).map_or(self.len, |n| n - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        TextRange::new(start, end.max(start))
    }

    /// Resolves a byte offset (clamped to the text and moved back to a char boundary).
    #[must_use]
    pub fn location(&self, text: &str, offset: usize) -> Location {
        let mut offset = offset.min(self.len);
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line0 = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line0];
        let prefix = &text[line_start..offset];
        let col16 = if self.ascii {
            prefix.len()
        } else {
            prefix.chars().map(char::len_utf16).sum()
        };
        Location {
            line: to_u32(line0 + 1),
            column: to_u32(col16 + 1),
            byte_column: to_u32(offset - line_start + 1),
            offset,
            offset_utf16: self.line_starts_utf16[line0] + col16,
        }
    }

    #[must_use]
    pub fn span(&self, text: &str, range: TextRange) -> Span {
        Span {
            start: self.location(text, range.start),
            end: self.location(text, range.end.max(range.start)),
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Converts character indices (as the YAML scanner counts) into byte offsets.
/// Queries are expected in mostly increasing order; a backwards query restarts the walk.
pub(crate) struct CharCursor<'a> {
    text: &'a str,
    ascii: bool,
    char_idx: usize,
    byte_idx: usize,
}

impl<'a> CharCursor<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text,
            ascii: text.is_ascii(),
            char_idx: 0,
            byte_idx: 0,
        }
    }

    pub(crate) fn byte_of(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.char_idx {
            self.char_idx = 0;
            self.byte_idx = 0;
        }
        let mut chars = self.text[self.byte_idx..].chars();
        while self.char_idx < char_index {
            match chars.next() {
                Some(c) => {
                    self.byte_idx += c.len_utf8();
                    self.char_idx += 1;
                }
                None => break,
            }
        }
        self.byte_idx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_and_bytes() {
        // "é" is 2 bytes / 1 UTF-16 unit; "😀" is 4 bytes / 2 UTF-16 units; "名" is 3 bytes / 1 unit.
        let text = "a: é\nb: 😀x\n名前: v\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        let loc = idx.location(text, x);
        assert_eq!((loc.line, loc.column, loc.byte_column), (2, 6, 8));
        let v = text.rfind('v').unwrap();
        let loc = idx.location(text, v);
        assert_eq!((loc.line, loc.column, loc.byte_column), (3, 5, 9));
        // Absolute UTF-16 offset: "a: é\n" = 5 units, "b: 😀x\n" = 7, "名前: " = 4.
        assert_eq!(loc.offset_utf16, 5 + 7 + 4);
    }

    #[test]
    fn offsets_inside_a_char_move_back_to_its_start() {
        let text = "😀";
        let idx = LineIndex::new(text);
        assert_eq!(idx.location(text, 2).offset, 0);
        assert_eq!(idx.location(text, 99).offset, 4);
    }

    #[test]
    fn line_range_drops_crlf() {
        let text = "a: 1\r\nb: 2\r\n";
        let idx = LineIndex::new(text);
        assert_eq!(
            &text[idx.line_range(text, 1).start..idx.line_range(text, 1).end],
            "a: 1"
        );
        assert_eq!(
            &text[idx.line_range(text, 2).start..idx.line_range(text, 2).end],
            "b: 2"
        );
    }

    #[test]
    fn char_cursor_maps_char_indices_to_bytes() {
        let text = "é😀b";
        let mut c = CharCursor::new(text);
        assert_eq!(c.byte_of(2), 6);
        assert_eq!(c.byte_of(1), 2);
        assert_eq!(c.byte_of(3), 7);
        assert_eq!(c.byte_of(10), 7);
    }
}
