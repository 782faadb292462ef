//! The text inside a link: a header of `key value` lines, then a `manifest` line, then the
//! manifest verbatim.
//!
//! ```text
//! kubeplay-share 1
//! t 90500
//! panel rollout
//! lesson 04-rolling-updates 2
//! step 30000 scale deploy/web --replicas=5
//! manifest
//! apiVersion: apps/v1
//! ```
//!
//! Keys this page does not know are skipped, so a later revision of v1 can add some.

use kubeplay_core::sim::app::Millis;

use crate::error::DecodeError;
use crate::lesson_ref::LessonRef;
use crate::link::VERSION;
use crate::steps::{self, MAX_STEPS, SessionStep};

/// A view of the playground, as a link carries it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shared {
    pub text: String,
    /// In time order.
    pub steps: Vec<SessionStep>,
    /// The open panel's name (`cluster`, `events`, `rollout`); the page falls back to its
    /// default for a name it does not know.
    pub panel: Option<String>,
    /// The time shown, milliseconds from the start.
    pub t: Millis,
    /// The lesson step that was open, if any.
    pub lesson: Option<LessonRef>,
}

fn header() -> String {
    format!("kubeplay-share {VERSION}")
}

pub(crate) fn write_payload(view: &Shared) -> String {
    let mut out = header();
    out.push('\n');
    out.push_str(&format!("t {}\n", view.t.max(0)));
    if let Some(panel) = view.panel.as_deref().filter(|p| valid_panel(p)) {
        out.push_str(&format!("panel {panel}\n"));
    }
    if let Some(lesson) = view.lesson.as_ref().filter(|l| LessonRef::valid_id(&l.id)) {
        out.push_str(&format!("lesson {} {}\n", lesson.id, lesson.step + 1));
    }
    for s in view.steps.iter().take(MAX_STEPS) {
        steps::write_line(&mut out, s);
    }
    out.push_str("manifest\n");
    out.push_str(&view.text);
    out
}

/// Panel names are short lowercase words; anything else is ignored.
fn valid_panel(p: &str) -> bool {
    !p.is_empty() && p.len() <= 32 && p.bytes().all(|b| b.is_ascii_lowercase())
}

pub(crate) fn parse_payload(data: &str) -> Result<Shared, DecodeError> {
    let (head, text) = data
        .split_once("\nmanifest\n")
        .or_else(|| data.strip_suffix("\nmanifest").map(|h| (h, "")))
        .ok_or(DecodeError::Malformed {
            what: "it holds no manifest",
        })?;
    let mut lines = head.lines();
    if lines.next() != Some(header().as_str()) {
        return Err(DecodeError::Malformed {
            what: "it does not hold a kubeplay view",
        });
    }
    let mut view = Shared {
        text: text.to_owned(),
        ..Shared::default()
    };
    for line in lines {
        let (key, value) = line.split_once(' ').unwrap_or((line, ""));
        match key {
            "t" => {
                view.t = steps::read_millis(value).ok_or(DecodeError::Malformed {
                    what: "its time is not a number",
                })?;
            }
            "panel" => view.panel = valid_panel(value).then(|| value.to_owned()),
            "lesson" => view.lesson = Some(read_lesson(value)?),
            "step" => {
                if view.steps.len() == MAX_STEPS {
                    return Err(DecodeError::TooManySteps { limit: MAX_STEPS });
                }
                view.steps.push(steps::read_value(value)?);
            }
            // Keys from a later revision of v1.
            _ => {}
        }
    }
    view.steps.sort_by_key(|s| s.step.at);
    Ok(view)
}

/// `<lesson id> <step from 1>`.
fn read_lesson(value: &str) -> Result<LessonRef, DecodeError> {
    const BAD: DecodeError = DecodeError::Malformed {
        what: "the lesson step it names is not readable",
    };
    let (id, step) = value.split_once(' ').ok_or(BAD)?;
    let step = step.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
    match step {
        Some(step) if LessonRef::valid_id(id) => Ok(LessonRef {
            id: id.to_owned(),
            step,
        }),
        _ => Err(BAD),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_is_readable_text() {
        let view = Shared {
            text: "kind: Pod\n".into(),
            steps: vec![SessionStep::parse(30_000, "scale deploy/web --replicas=5").unwrap()],
            panel: Some("rollout".into()),
            t: 90_500,
            lesson: Some(LessonRef {
                id: "04-rolling-updates".into(),
                step: 1,
            }),
        };
        assert_eq!(
            write_payload(&view),
            "kubeplay-share 1\nt 90500\npanel rollout\nlesson 04-rolling-updates 2\nstep 30000 scale deploy/web --replicas=5\nmanifest\nkind: Pod\n"
        );
        assert_eq!(parse_payload(&write_payload(&view)), Ok(view));
    }

    #[test]
    fn unknown_keys_and_panels_are_skipped() {
        let view =
            parse_payload("kubeplay-share 1\nt 0\npanel <img>\ntheme dark\nfuture\nmanifest\nx")
                .unwrap();
        assert_eq!(view.panel, None);
        assert_eq!(view.text, "x");
    }

    #[test]
    fn structural_damage_is_named() {
        for (payload, what) in [
            ("kubeplay-share 1\nt 0\n", "it holds no manifest"),
            (
                "kubeplay-share 2\nmanifest\n",
                "it does not hold a kubeplay view",
            ),
            (
                "kubeplay-share 1\nt -5\nmanifest\n",
                "its time is not a number",
            ),
            (
                "kubeplay-share 1\nlesson 01-first-pod 0\nmanifest\n",
                "the lesson step it names is not readable",
            ),
            (
                "kubeplay-share 1\nlesson ../x 1\nmanifest\n",
                "the lesson step it names is not readable",
            ),
            (
                "kubeplay-share 1\nstep 10 \nmanifest\n",
                "a kubectl step has no command",
            ),
        ] {
            assert_eq!(
                parse_payload(payload),
                Err(DecodeError::Malformed { what }),
                "{payload:?}"
            );
        }
        assert!(matches!(
            parse_payload("kubeplay-share 1\nstep 10 describe pod web\nmanifest\n"),
            Err(DecodeError::BadStep { .. })
        ));
    }

    #[test]
    fn too_many_steps_are_refused() {
        let mut payload = String::from("kubeplay-share 1\n");
        for i in 0..=MAX_STEPS {
            payload.push_str(&format!("step {i} scale deploy/web --replicas=2\n"));
        }
        payload.push_str("manifest\n");
        assert_eq!(
            parse_payload(&payload),
            Err(DecodeError::TooManySteps { limit: MAX_STEPS })
        );
    }
}
