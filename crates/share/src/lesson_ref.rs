//! Which lesson step a share link opens, and finding it among the lessons this page has.

use std::fmt;

use kubeplay_core::lesson::Lesson;

/// A lesson step named in a link: the lesson's id (its folder, `01-first-pod`) and the
/// step's index from 0 (the link writes it from 1, as the lesson card shows it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonRef {
    pub id: String,
    pub step: usize,
}

/// A link to a lesson or step this page does not have (renamed, removed, or from a newer
/// kubeplay).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MissingLesson {
    Lesson {
        id: String,
    },
    Step {
        title: String,
        step: usize,
        steps: usize,
    },
}

impl fmt::Display for MissingLesson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Lesson { id } => write!(
                f,
                "This share link opens the lesson \u{201c}{id}\u{201d}, which this page does not have (it may come from a newer kubeplay)."
            ),
            Self::Step { title, step, steps } => write!(
                f,
                "This share link opens step {} of the lesson \u{201c}{title}\u{201d}, which has {steps} step{}.",
                step + 1,
                if *steps == 1 { "" } else { "s" }
            ),
        }
    }
}

impl std::error::Error for MissingLesson {}

impl LessonRef {
    /// The lesson's and the step's indices in `lessons`.
    ///
    /// # Errors
    /// [`MissingLesson`] when there is no such lesson or step.
    pub fn locate(&self, lessons: &[Lesson]) -> Result<(usize, usize), MissingLesson> {
        let l = lessons
            .iter()
            .position(|x| x.id == self.id)
            .ok_or_else(|| MissingLesson::Lesson {
                id: self.id.clone(),
            })?;
        let lesson = &lessons[l];
        if self.step >= lesson.steps.len() {
            return Err(MissingLesson::Step {
                title: lesson.title.clone(),
                step: self.step,
                steps: lesson.steps.len(),
            });
        }
        Ok((l, self.step))
    }

    /// Lesson ids are folder names: ASCII letters, digits, `-`, `_` and `.`.
    pub(crate) fn valid_id(id: &str) -> bool {
        !id.is_empty()
            && id.len() <= 100
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lessons() -> Vec<Lesson> {
        kubeplay_core::lesson::builtin().expect("the built-in lessons load")
    }

    #[test]
    fn finds_a_builtin_step() {
        let all = lessons();
        let r = LessonRef {
            id: "01-first-pod".into(),
            step: 1,
        };
        assert_eq!(r.locate(&all), Ok((0, 1)));
    }

    #[test]
    fn a_missing_lesson_or_step_is_named() {
        let all = lessons();
        let gone = LessonRef {
            id: "99-time-travel".into(),
            step: 0,
        };
        let err = gone.locate(&all).unwrap_err();
        assert_eq!(
            err.to_string(),
            "This share link opens the lesson \u{201c}99-time-travel\u{201d}, which this page does not have (it may come from a newer kubeplay)."
        );
        let n = all[0].steps.len();
        let past = LessonRef {
            id: all[0].id.clone(),
            step: n,
        };
        assert_eq!(
            past.locate(&all).unwrap_err().to_string(),
            format!(
                "This share link opens step {} of the lesson \u{201c}{}\u{201d}, which has {n} steps.",
                n + 1,
                all[0].title
            )
        );
    }
}
