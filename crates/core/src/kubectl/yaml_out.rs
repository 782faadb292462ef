//! `-o yaml`: a [`Value`] printed as kubectl prints it. kubectl marshals the object to JSON
//! and converts that with `sigs.k8s.io/yaml` `JSONToYAML`, which re-marshals it with go-yaml
//! v2 (`k8s.io/cli-runtime/pkg/printers/yaml.go`). So the layout is go-yaml v2's emitter
//! (`emitterc.go`, a port of libyaml): keys sorted by `sorter.go`'s order at every level,
//! sequences in a mapping not indented under their key, `{}`/`[]` for empty ones, strings
//! plain unless they would read back as another type (`"true"`, `"80"`, `""`, timestamps:
//! double quotes) or plain style cannot hold them (`'*'`, `': '`, leading spaces: single
//! quotes), multi-line strings as `|` blocks, and long plain or quoted strings folded at the
//! first space past column 80.

use std::cmp::Ordering;

use crate::value::Value;

/// go-yaml's `best_width`.
const BEST_WIDTH: usize = 80;
/// go-yaml's `best_indent`.
const BEST_INDENT: i64 = 2;

/// The YAML document kubectl prints for `value` (ends with a newline).
#[must_use]
pub fn to_yaml(value: &Value) -> String {
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        indent: -1,
        whitespace: true,
        indention: true,
    };
    e.node(value, Context::Root);
    // Document end: a line break after the content.
    e.write_indent();
    e.out
}

/// go-yaml's key order (`sorter.go` `keyList.Less`, for string keys): at the first
/// differing character two letters compare by code point, a non-letter sorts before a
/// letter, and runs of digits compare as numbers (`a2` < `a10`).
#[must_use]
pub fn key_order(a: &str, b: &str) -> Ordering {
    let (ar, br): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            continue;
        }
        let (al, bl) = (ar[i].is_alphabetic(), br[i].is_alphabetic());
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            // A zero after non-zero digits is part of a number, not a leading zero.
            for j in (0..i).rev() {
                if !ar[j].is_ascii_digit() {
                    break;
                }
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let digits = |s: &[char], mut n: i64| {
            let mut k = i;
            while k < s.len() && s[k].is_ascii_digit() {
                n = n
                    .wrapping_mul(10)
                    .wrapping_add(i64::from(s[k] as u8 - b'0'));
                k += 1;
            }
            (k, n)
        };
        let (ai, an) = digits(&ar, an);
        let (bi, bn) = digits(&br, bn);
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Root,
    Sequence,
    Mapping,
    Key,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// libyaml's emitter state that decides spacing and line breaks.
struct Emitter {
    out: String,
    column: usize,
    indent: i64,
    whitespace: bool,
    indention: bool,
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_indent(&mut self) {
        let indent = usize::try_from(self.indent.max(0)).unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        s: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in s.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// `yaml_emitter_increase_indent`; returns the indent to restore.
    fn increase_indent(&mut self, flow: bool, indentless: bool) -> i64 {
        let saved = self.indent;
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
        saved
    }

    fn node(&mut self, value: &Value, ctx: Context) {
        match value {
            Value::Map(m) if m.is_empty() => self.flow_empty("{", "}"),
            Value::Seq(s) if s.is_empty() => self.flow_empty("[", "]"),
            Value::Map(m) => {
                let saved = self.increase_indent(false, false);
                let mut entries: Vec<(&String, &Value)> = m.iter().collect();
                entries.sort_by(|a, b| key_order(a.0, b.0));
                for (k, v) in entries {
                    self.write_indent();
                    self.string(k, Context::Key);
                    self.write_indicator(":", false, false, false);
                    self.node(v, Context::Mapping);
                }
                self.indent = saved;
            }
            Value::Seq(items) => {
                let indentless = ctx == Context::Mapping && !self.indention;
                let saved = self.increase_indent(false, indentless);
                for item in items {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(item, Context::Sequence);
                }
                self.indent = saved;
            }
            Value::Null => self.scalar("null", Style::Plain, ctx),
            Value::Bool(b) => self.scalar(if *b { "true" } else { "false" }, Style::Plain, ctx),
            Value::Int(i) => self.scalar(&i.to_string(), Style::Plain, ctx),
            Value::Float(f) => self.scalar(&go_float(*f), Style::Plain, ctx),
            Value::Str(s) => self.string(s, ctx),
        }
    }

    fn flow_empty(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    /// `encoder.stringv`: the style asked of the emitter.
    fn string(&mut self, s: &str, ctx: Context) {
        let style = if s.contains('\n') {
            Style::Literal
        } else if reads_back_as_string(s) {
            Style::Plain
        } else {
            Style::Double
        };
        self.scalar(s, style, ctx);
    }

    /// `yaml_emitter_emit_scalar`: select the style, then write at one more indent.
    fn scalar(&mut self, s: &str, requested: Style, ctx: Context) {
        let simple_key = ctx == Context::Key;
        let a = analyze(s);
        let mut style = requested;
        if simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain && (!a.block_plain_allowed || (s.is_empty() && simple_key)) {
            style = Style::Single;
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || simple_key) {
            style = Style::Double;
        }
        let saved = self.increase_indent(true, false);
        let chars: Vec<char> = s.chars().collect();
        match style {
            Style::Plain => self.plain(&chars, !simple_key),
            Style::Single => self.single_quoted(&chars, !simple_key),
            Style::Double => self.double_quoted(&chars, !simple_key),
            Style::Literal => self.literal(&chars),
        }
        self.indent = saved;
    }

    fn plain(&mut self, v: &[char], allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let mut spaces = false;
        for (i, &c) in v.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && v.get(i + 1).is_none_or(|n| *n != ' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                self.indention = false;
                spaces = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn single_quoted(&mut self, v: &[char], allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let mut spaces = false;
        for (i, &c) in v.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < v.len()
                    && v[i + 1] != ' '
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn double_quoted(&mut self, v: &[char], allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let mut spaces = false;
        for (i, &c) in v.iter().enumerate() {
            if !printable(c) || is_break(c) || c == '\u{feff}' || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    other => {
                        let n = u32::from(other);
                        let hex = if n <= 0xFF {
                            format!("x{n:02X}")
                        } else if n <= 0xFFFF {
                            format!("u{n:04X}")
                        } else {
                            format!("U{n:08X}")
                        };
                        for h in hex.chars() {
                            self.put(h);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i + 1 < v.len() {
                    self.write_indent();
                    if v[i + 1] == ' ' {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn literal(&mut self, v: &[char]) {
        self.write_indicator("|", true, false, false);
        // Block scalar hints: an indentation indicator when the text starts with a space or
        // a break, and the chomping indicator (`-` without a final break, `+` with several).
        if v.first().is_some_and(|c| *c == ' ' || is_break(*c)) {
            self.write_indicator("2", false, false, false);
        }
        let chomp = match v {
            [] => Some("-"),
            [.., last] if !is_break(*last) => Some("-"),
            [_] => Some("+"),
            [.., before, _] if is_break(*before) => Some("+"),
            _ => None,
        };
        if let Some(h) = chomp {
            self.write_indicator(h, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in v {
            if is_break(c) {
                self.put_break();
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml's `is_printable` (4-byte characters, such as emoji, are not).
fn printable(c: char) -> bool {
    matches!(u32::from(c), 0x0A | 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFFFD) && c != '\u{feff}'
}

/// What `yaml_emitter_analyze_scalar` decides about a string.
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let v: Vec<char> = s.chars().collect();
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    for (i, &c) in v.iter().enumerate() {
        let followed_by_whitespace = v.get(i + 1).is_none_or(|n| *n == ' ' || *n == '\t');
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_indicators = true,
                '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if !printable(c) {
            special = true;
        }
        let last = i + 1 == v.len();
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = c == ' ' || c == '\t' || is_break(c) || c == '\0';
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// Whether go-yaml v2 reads the plain scalar `s` back as a string (`resolve.go` `resolve`
/// with no tag, and `isBase60Float`); if not, the encoder double-quotes it.
#[must_use]
pub fn reads_back_as_string(s: &str) -> bool {
    match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" | "n"
        | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" | ""
        | "~" | "null" | "Null" | "NULL" | ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF"
        | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF" | "<<" => {
            return false;
        }
        _ => {}
    }
    match s.as_bytes()[0] {
        b'.' => go_parse_float(s).is_none(),
        b'+' | b'-' | b'0'..=b'9' => {
            if is_timestamp(s) || is_base60_float(s) {
                return false;
            }
            let plain = s.replace('_', "");
            go_parse_int(&plain).is_none() && !yaml_style_float(&plain)
        }
        _ => true,
    }
}

/// `strconv.ParseInt(s, 0, 64)` or `ParseUint`: a sign (signed only), then `0x`, `0o`, `0b`,
/// a leading `0` (octal) or decimal digits.
fn go_parse_int(s: &str) -> Option<()> {
    let (signed, body) = match s.as_bytes().first()? {
        b'+' | b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let n = u128::from_str_radix(digits, radix).ok()?;
    let fits = if signed {
        n <= u128::from(i64::MAX.unsigned_abs()) + u128::from(s.starts_with('-'))
    } else {
        n <= u128::from(u64::MAX)
    };
    fits.then_some(())
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `strconv.ParseFloat` for text starting with `.` (`.5`, `.5e3`).
fn go_parse_float(s: &str) -> Option<f64> {
    yaml_style_float(s).then(|| s.parse().ok()).flatten()
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`: YAML 1.1 sexagesimal numbers
/// (`1:20`), quoted on the way out.
fn is_base60_float(s: &str) -> bool {
    let body = s.trim_start_matches(['+', '-']);
    if body.len() + 1 < s.len() {
        return false;
    }
    let (main, frac) = match body.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (body, None),
    };
    if frac.is_some_and(|f| !f.chars().all(|c| c.is_ascii_digit() || c == '_')) {
        return false;
    }
    let mut parts = main.split(':');
    let Some(head) = parts.next() else {
        return false;
    };
    if !head.starts_with(|c: char| c.is_ascii_digit())
        || !head.chars().all(|c| c.is_ascii_digit() || c == '_')
    {
        return false;
    }
    let mut any = false;
    for p in parts {
        any = true;
        let ok = match p.as_bytes() {
            [d] => d.is_ascii_digit(),
            [a, d] => (b'0'..=b'5').contains(a) && d.is_ascii_digit(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    any
}

/// `parseTimestamp`: `YYYY-M-D`, optionally with a time (`T`, `t` or a space), fraction and
/// zone, as go-yaml accepts them.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let rest = &s[5..];
    let (date, time) = match rest.find(['T', 't', ' ']) {
        Some(i) => (&rest[..i], Some((&rest[i..i + 1], &rest[i + 1..]))),
        None => (rest, None),
    };
    let small = |p: &str, max: u32| {
        (1..=2).contains(&p.len())
            && p.chars().all(|c| c.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| n <= max)
    };
    let Some((month, day)) = date.split_once('-') else {
        return false;
    };
    if !small(month, 12) || !small(day, 31) || month == "0" || day == "0" {
        return false;
    }
    let Some((sep, time)) = time else {
        return true;
    };
    // Zone: `Z` or `±hh:mm` with `T`; none with a space.
    let (clock, zone_ok) = if sep == " " {
        (time, true)
    } else if let Some(c) = time.strip_suffix('Z') {
        (c, true)
    } else if let Some(i) = time.rfind(['+', '-']) {
        let z = &time[i + 1..];
        let ok =
            z.len() == 5 && z.as_bytes()[2] == b':' && small(&z[..2], 23) && small(&z[3..], 59);
        (&time[..i], ok)
    } else {
        (time, false)
    };
    let (clock, frac) = match clock.split_once('.') {
        Some((c, f)) => (c, Some(f)),
        None => (clock, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.chars().all(|c| c.is_ascii_digit())) {
        return false;
    }
    let parts: Vec<&str> = clock.split(':').collect();
    zone_ok && parts.len() == 3 && small(parts[0], 23) && small(parts[1], 59) && small(parts[2], 59)
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` with go-yaml's names for infinities and NaN.
#[must_use]
pub fn go_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    if f == 0.0 {
        return "0".into();
    }
    // Shortest digits; `%e` form when the exponent is below -4 or at least 6 (the 'g'
    // format's choice for the shortest precision).
    let e = format!("{f:e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    format!("{f}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::map;

    #[test]
    fn keys_sort_as_go_yaml_sorts_them() {
        let mut keys = vec![
            "status",
            "apiVersion",
            "a10",
            "a9",
            "app.kubernetes.io/name",
            "app",
            "Zeta",
            "_x",
            "kind",
        ];
        keys.sort_by(|a, b| key_order(a, b));
        assert_eq!(
            keys,
            [
                "_x",
                "Zeta",
                "a9",
                "a10",
                "apiVersion",
                "app",
                "app.kubernetes.io/name",
                "kind",
                "status"
            ]
        );
    }

    #[test]
    fn strings_are_quoted_only_when_yaml_would_misread_them() {
        // Keys too: a key `n` or `yes` would read back as a boolean.
        let v = map([
            ("bool", "true".into()),
            ("yes", "yes".into()),
            ("port", "80".into()),
            ("octal", "0755".into()),
            ("empty", "".into()),
            ("star", "*".into()),
            ("colon", "a: b".into()),
            ("time", "2026-01-01T00:00:00Z".into()),
            ("base60", "1:20".into()),
            ("float", "1.5".into()),
            ("version", "1.2.3".into()),
            ("cpu", "100m".into()),
            ("image", "nginx:1.27".into()),
            ("quote", "it's".into()),
            ("lead", " x".into()),
            ("tab", "a\tb".into()),
            ("nul", Value::Null),
            ("n", Value::Int(3)),
        ]);
        assert_eq!(
            to_yaml(&v),
            "base60: \"1:20\"\nbool: \"true\"\ncolon: 'a: b'\ncpu: 100m\nempty: \"\"\nfloat: \"1.5\"\nimage: nginx:1.27\nlead: ' x'\n\"n\": 3\nnul: null\noctal: \"0755\"\nport: \"80\"\nquote: it's\nstar: '*'\ntab: \"a\\tb\"\ntime: \"2026-01-01T00:00:00Z\"\nversion: 1.2.3\n\"yes\": \"yes\"\n"
        );
    }

    #[test]
    fn sequences_sit_at_their_keys_indent() {
        let v = map([
            (
                "spec",
                map([(
                    "containers",
                    vec![map([
                        ("name", "web".into()),
                        ("ports", vec![map([("containerPort", 80.into())])].into()),
                        ("args", vec!["a".into(), "b".into()].into()),
                        ("resources", map([])),
                        ("env", Value::Seq(vec![])),
                    ])]
                    .into(),
                )]),
            ),
            ("list", vec![vec![Value::Int(1)].into(), map([])].into()),
        ]);
        assert_eq!(
            to_yaml(&v),
            "list:\n- - 1\n- {}\nspec:\n  containers:\n  - args:\n    - a\n    - b\n    env: []\n    name: web\n    ports:\n    - containerPort: 80\n    resources: {}\n"
        );
    }

    #[test]
    fn multi_line_strings_are_literal_blocks() {
        let v = map([
            ("a", "line 1\nline 2\n".into()),
            ("b", "no newline\nat end".into()),
            ("c", "two\n\n".into()),
            ("d", "x".into()),
        ]);
        assert_eq!(
            to_yaml(&v),
            "a: |\n  line 1\n  line 2\nb: |-\n  no newline\n  at end\nc: |+\n  two\n\nd: x\n"
        );
    }

    #[test]
    fn long_strings_fold_past_column_80() {
        let msg = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
        let v = map([("conditions", vec![map([("message", msg.into())])].into())]);
        assert_eq!(
            to_yaml(&v),
            "conditions:\n- message: '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are\n    available: 3 No preemption victims found for incoming pod.'\n"
        );
        let plain = "word ".repeat(20);
        let v = map([("m", plain.trim_end().into())]);
        let out = to_yaml(&v);
        assert_eq!(out.lines().count(), 2, "{out}");
        assert!(out.lines().nth(1).unwrap().starts_with("  word"), "{out}");
    }

    #[test]
    fn non_bmp_characters_are_escaped() {
        let v = map([("e", "hi 😀".into()), ("u", "café".into())]);
        assert_eq!(to_yaml(&v), "e: \"hi \\U0001F600\"\nu: café\n");
    }

    #[test]
    fn floats_print_as_go_prints_them() {
        assert_eq!(go_float(0.5), "0.5");
        assert_eq!(go_float(1.25e-7), "1.25e-07");
        assert_eq!(go_float(1.5e300), "1.5e+300");
    }
}
