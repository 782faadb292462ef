//! `# kubeplay: ignore[code, ...]` comments: a learner or a team silences a diagnostic where
//! they decided it does not apply, next to the line it is about.
//!
//! - A comment at the end of a line silences those codes on that line.
//! - A comment on a line of its own silences them on the next line with content; when that
//!   line starts an object (its first key), it silences them for the whole object.
//! - `ignore` without a list, or `ignore[*]`, silences every code.

use crate::diagnostic::Diagnostic;
use crate::model::Object;

const MARKER: &str = "kubeplay: ignore";

/// Which codes a directive names (`None` = all).
type Codes = Option<Vec<String>>;

struct Directive {
    /// 1-based lines it covers (inclusive).
    from: u32,
    to: u32,
    codes: Codes,
}

fn parse_codes(after: &str) -> Codes {
    let rest = after.trim_start();
    let list = rest.strip_prefix('[')?;
    let list = list.split(']').next().unwrap_or("");
    let codes: Vec<String> = list
        .split(',')
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() || codes.iter().any(|c| c == "*") {
        None
    } else {
        Some(codes)
    }
}

/// The `#` that starts a comment on this line, outside quotes.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') if prev.is_whitespace() || i == 0 => return Some(i),
            _ => {}
        }
        prev = c;
    }
    None
}

fn directives(text: &str, objects: &[Object]) -> Vec<Directive> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(hash) = comment_start(line) else {
            continue;
        };
        let comment = &line[hash + 1..];
        let Some(at) = comment.find(MARKER) else {
            continue;
        };
        let codes = parse_codes(&comment[at + MARKER.len()..]);
        let own_line = line[..hash].trim().is_empty();
        let here = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if !own_line {
            out.push(Directive {
                from: here,
                to: here,
                codes,
            });
            continue;
        }
        // The next line with content (not blank, not a comment, not a document marker).
        let next = lines
            .iter()
            .enumerate()
            .skip(i + 1)
            .find(|(_, l)| {
                let t = l.trim();
                !t.is_empty() && !t.starts_with('#') && t != "---"
            })
            .map(|(j, _)| u32::try_from(j + 1).unwrap_or(u32::MAX));
        let Some(next) = next else { continue };
        match objects.iter().find(|o| o.span.start.line == next) {
            Some(o) => out.push(Directive {
                from: next,
                to: o.span.end.line,
                codes,
            }),
            None => out.push(Directive {
                from: next,
                to: next,
                codes,
            }),
        }
    }
    out
}

/// Removes the diagnostics silenced by `# kubeplay: ignore` comments.
pub fn apply(text: &str, objects: &[Object], diagnostics: &mut Vec<Diagnostic>) {
    if !text.contains(MARKER) {
        return;
    }
    let ds = directives(text, objects);
    diagnostics.retain(|d| {
        let line = d.span.start.line;
        !ds.iter().any(|dir| {
            line >= dir.from
                && line <= dir.to
                && dir
                    .codes
                    .as_ref()
                    .is_none_or(|codes| codes.iter().any(|c| c == d.code))
        })
    });
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_of;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n";

    #[test]
    fn trailing_comment_silences_that_line() {
        let text = POD.replace(
            "image: nginx\n",
            "image: nginx  # kubeplay: ignore[image-latest-tag]\n",
        );
        assert!(!codes_of(&text).contains(&"image-latest-tag"));
        // Other codes on other lines stay.
        assert!(codes_of(&text).contains(&"missing-requests"));
    }

    #[test]
    fn own_line_comment_silences_the_next_line() {
        let text = POD.replace(
            "      image: nginx\n",
            "      # kubeplay: ignore[image-latest-tag]\n      image: nginx\n",
        );
        assert!(!codes_of(&text).contains(&"image-latest-tag"));
    }

    #[test]
    fn comment_before_an_object_silences_it_whole() {
        let text = format!("# kubeplay: ignore[missing-requests, image-latest-tag]\n{POD}");
        let codes = codes_of(&text);
        assert!(
            !codes.contains(&"image-latest-tag") && !codes.contains(&"missing-requests"),
            "{codes:?}"
        );
        let all = format!("# kubeplay: ignore\n{POD}");
        assert!(codes_of(&all).is_empty(), "{:?}", codes_of(&all));
    }

    #[test]
    fn a_hash_inside_quotes_is_not_a_comment() {
        let text = POD.replace("image: nginx\n", "image: \"nginx # kubeplay: ignore\"\n");
        // The quoted text is the image itself; nothing on its line is silenced.
        assert_eq!(
            crate::testing::lines_of(&text, "image-digest-not-pinned"),
            vec![8]
        );
    }
}
