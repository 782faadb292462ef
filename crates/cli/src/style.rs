//! ANSI styling for text output, and making untrusted text safe for a terminal.

/// Which escapes to print: none when colour is off.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    color: bool,
}

pub const BOLD: &str = "\x1b[1m";
pub const RED: &str = "\x1b[1;31m";
pub const YELLOW: &str = "\x1b[1;33m";
pub const CYAN: &str = "\x1b[1;36m";
pub const BLUE: &str = "\x1b[1;34m";
const RESET: &str = "\x1b[0m";

impl Style {
    pub const fn new(color: bool) -> Self {
        Self { color }
    }

    /// `text` wrapped in `code` and a reset, or plain.
    pub fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }
}

/// Replaces control characters (which could move the cursor or change colours) with visible
/// stand-ins: C0 controls and DEL by their Unicode "control pictures", C1 controls by U+FFFD.
pub fn sanitize(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars().map(visible).collect()
}

/// The stand-in for one character (itself when it is printable).
pub fn visible(c: char) -> char {
    match c {
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        '\u{80}'..='\u{9f}' => '\u{fffd}',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_neutralised() {
        assert_eq!(sanitize("a\x1b[31mb\0"), "a\u{241b}[31mb\u{2400}");
        assert_eq!(sanitize("plain"), "plain");
    }
}
