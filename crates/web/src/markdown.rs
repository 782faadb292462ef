//! A tiny Markdown renderer for the lessons' prose, producing Yew nodes (never HTML
//! strings): headings, paragraphs, `-`/`*` and numbered lists, fenced code, and inline
//! `code`, **bold** and *emphasis*. Anything else, raw HTML included, is shown as text.

use yew::prelude::*;

enum Block {
    Heading(usize, String),
    Para(String),
    List(bool, Vec<String>),
    Code(String),
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    let t = line.trim_start();
    if let Some(rest) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        return t[digits..].strip_prefix(". ").map(|rest| (true, rest));
    }
    None
}

fn blocks(src: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines = src.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t.starts_with("```") {
            let mut code = Vec::new();
            for l in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    break;
                }
                code.push(l);
            }
            out.push(Block::Code(code.join("\n")));
            continue;
        }
        let hashes = t.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
            out.push(Block::Heading(hashes, t[hashes..].trim().to_owned()));
            continue;
        }
        if let Some((ordered, first)) = list_item(line) {
            let mut items = vec![first.trim().to_owned()];
            while let Some(next) = lines.peek() {
                let nt = next.trim();
                if nt.is_empty() || nt.starts_with("```") {
                    break;
                }
                if let Some((_, rest)) = list_item(next) {
                    items.push(rest.trim().to_owned());
                } else if let Some(last) = items.last_mut() {
                    last.push(' ');
                    last.push_str(nt);
                }
                lines.next();
            }
            out.push(Block::List(ordered, items));
            continue;
        }
        let mut para = t.to_owned();
        while let Some(next) = lines.peek() {
            let nt = next.trim();
            if nt.is_empty() || nt.starts_with("```") || list_item(next).is_some() {
                break;
            }
            if nt.starts_with('#') {
                break;
            }
            para.push(' ');
            para.push_str(nt);
            lines.next();
        }
        out.push(Block::Para(para));
    }
    out
}

/// Inline markup: `code`, **bold**, *emphasis* (unclosed markers stay as text).
pub fn inline(s: &str) -> Html {
    let mut nodes: Vec<Html> = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let (marker, tag) = if rest.starts_with('`') {
            ("`", "code")
        } else if rest.starts_with("**") {
            ("**", "strong")
        } else if rest.starts_with('*') {
            ("*", "em")
        } else {
            text.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        let after = &rest[marker.len()..];
        match after.find(marker) {
            Some(end) if end > 0 => {
                if !text.is_empty() {
                    nodes.push(html! { {std::mem::take(&mut text)} });
                }
                let inner = &after[..end];
                nodes.push(match tag {
                    "code" => html! { <code>{inner.to_owned()}</code> },
                    "strong" => html! { <strong>{inline(inner)}</strong> },
                    _ => html! { <em>{inline(inner)}</em> },
                });
                rest = &after[end + marker.len()..];
            }
            _ => {
                text.push_str(marker);
                rest = after;
            }
        }
    }
    if !text.is_empty() {
        nodes.push(html! { {text} });
    }
    nodes.into_iter().collect::<Html>()
}

/// Renders lesson prose as Yew nodes.
pub fn render(src: &str) -> Html {
    blocks(src)
        .into_iter()
        .map(|b| match b {
            // The card's own title is h2; prose headings sit below it.
            Block::Heading(level, t) => {
                if level <= 1 {
                    html! { <h3>{inline(&t)}</h3> }
                } else {
                    html! { <h4>{inline(&t)}</h4> }
                }
            }
            Block::Para(t) => html! { <p>{inline(&t)}</p> },
            Block::List(true, items) => {
                html! { <ol>{for items.iter().map(|i| html! { <li>{inline(i)}</li> })}</ol> }
            }
            Block::List(false, items) => {
                html! { <ul>{for items.iter().map(|i| html! { <li>{inline(i)}</li> })}</ul> }
            }
            Block::Code(code) => html! { <pre class="md-code"><code>{code}</code></pre> },
        })
        .collect::<Html>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<String> {
        blocks(src)
            .into_iter()
            .map(|b| match b {
                Block::Heading(n, t) => format!("h{n} {t}"),
                Block::Para(t) => format!("p {t}"),
                Block::List(o, items) => {
                    format!("{} {}", if o { "ol" } else { "ul" }, items.join("|"))
                }
                Block::Code(c) => format!("code {c}"),
            })
            .collect()
    }

    #[test]
    fn blocks_of_the_subset() {
        let src = "# Title\n\nOne\ntwo.\n\n- a\n  more\n- b\n\n1. x\n2. y\n\n```yaml\nk: <b>\n```\n<script>x</script>\n";
        assert_eq!(
            kinds(src),
            vec![
                "h1 Title",
                "p One two.",
                "ul a more|b",
                "ol x|y",
                "code k: <b>",
                "p <script>x</script>",
            ]
        );
    }

    #[test]
    fn every_lesson_renders() {
        for lesson in crate::lesson::lessons().iter() {
            for step in &lesson.steps {
                assert!(!blocks(&step.prose).is_empty(), "{}", lesson.id);
            }
        }
    }
}
