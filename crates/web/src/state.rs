//! The whole app state and every way it changes. Components render from it; side effects
//! (timers, storage, the editor widget) live in `components::app` and `components::code_editor`.

use std::rc::Rc;

use yew::Reducible;

use crate::problem::{Problem, problems_of};
use crate::storage::SaveStatus;

/// The manifest a new visitor sees: realistic, with a couple of problems to explore.
pub const STARTER: &str = include_str!("starter.yaml");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "light" => Some(Self::Light),
            "dark" => Some(Self::Dark),
            _ => None,
        }
    }

    #[must_use]
    pub const fn other(self) -> Self {
        match self {
            Self::Light => Self::Dark,
            Self::Dark => Self::Light,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditorKind {
    Loading,
    CodeMirror,
    Textarea,
}

/// A request to the editor to select a range; `seq` makes repeated clicks distinct.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reveal {
    pub seq: u32,
    pub from: usize,
    pub to: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// What the editor holds now.
    pub text: Rc<str>,
    /// Bumped on every edit; the debounced analysis and autosave key on it.
    pub revision: u64,
    /// Problems of `text` as of `analyzed_revision`.
    pub problems: Rc<[Problem]>,
    pub analyzed_revision: u64,
    /// The theme the OS asks for, and the learner's explicit choice (which wins).
    pub system_theme: Theme,
    pub chosen_theme: Option<Theme>,
    pub save: SaveStatus,
    pub editor: EditorKind,
    pub reveal: Option<Reveal>,
    /// Bumped by Reset so the editor replaces its text.
    pub reset_seq: u32,
    /// The playground: simulated timeline, time, panels, kubectl console (`crate::play`).
    pub play: crate::play::PlayState,
    /// The open lesson step, progress, hints and goal results (`crate::lesson`).
    pub lesson: crate::lesson::LessonState,
    /// The view came from a share link and the learner has not changed it yet: nothing is
    /// autosaved and no lesson progress is recorded (`crate::session`).
    pub shared_view: bool,
}

impl State {
    #[must_use]
    pub fn new(
        text: String,
        system_theme: Theme,
        chosen_theme: Option<Theme>,
        save: SaveStatus,
    ) -> Self {
        let problems: Rc<[Problem]> = problems_of(&text).into();
        Self {
            text: text.into(),
            revision: 0,
            problems,
            analyzed_revision: 0,
            system_theme,
            chosen_theme,
            save,
            editor: EditorKind::Loading,
            reveal: None,
            reset_seq: 0,
            play: crate::play::PlayState::default(),
            lesson: crate::lesson::LessonState::default(),
            shared_view: false,
        }
    }

    #[must_use]
    pub fn theme(&self) -> Theme {
        self.chosen_theme.unwrap_or(self.system_theme)
    }
}

pub enum Action {
    /// The learner changed the text.
    Edited(String),
    /// Typing settled: analyse the current text.
    Analyze,
    /// Result of the autosave that follows an analysis.
    Saved(SaveStatus),
    EditorReady(EditorKind),
    SystemTheme(Theme),
    ToggleTheme,
    /// Select the range of the problem at this index.
    Reveal(usize),
    /// Back to the starter manifest without kubectl steps (after the learner confirmed).
    Reset,
    /// Timeline, panels and the kubectl bar (`crate::play::reduce`).
    Play(crate::play::PlayAction),
    /// The lesson card and index (`crate::lesson::reduce`).
    Lesson(crate::lesson::LessonAction),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edited(text) => {
                if *text == *self.text {
                    return self;
                }
                crate::session::adopt(&mut next);
                next.text = text.into();
                next.revision += 1;
            }
            Action::Analyze => {
                if self.analyzed_revision == self.revision {
                    return self;
                }
                next.problems = problems_of(&self.text).into();
                next.analyzed_revision = self.revision;
                #[cfg(feature = "play")]
                crate::lesson::evaluate(&mut next);
            }
            Action::Saved(status) => {
                if status == self.save {
                    return self;
                }
                next.save = status;
            }
            Action::EditorReady(kind) => next.editor = kind,
            Action::SystemTheme(theme) => next.system_theme = theme,
            Action::ToggleTheme => next.chosen_theme = Some(self.theme().other()),
            Action::Reveal(index) => {
                let Some(p) = self.problems.get(index) else {
                    return self;
                };
                let seq = self.reveal.map_or(0, |r| r.seq.wrapping_add(1));
                next.reveal = Some(Reveal {
                    seq,
                    from: p.from,
                    to: p.to,
                });
            }
            Action::Reset => {
                crate::session::adopt(&mut next);
                if !next.play.steps.is_empty() {
                    next.play.steps.clear();
                    next.play.steps_seq += 1;
                }
                next.text = STARTER.into();
                next.revision += 1;
                next.reset_seq = self.reset_seq.wrapping_add(1);
            }
            #[cfg(feature = "play")]
            Action::Play(action) => crate::play::reduce(&mut next, action),
            #[cfg(feature = "play")]
            Action::Lesson(action) => crate::lesson::reduce(&mut next, action),
            // The page's first stage has no playground or lessons to act on (`crate::stage`).
            #[cfg(not(feature = "play"))]
            Action::Play(_) | Action::Lesson(_) => return self,
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> Rc<State> {
        Rc::new(State::new(
            STARTER.to_owned(),
            Theme::Light,
            None,
            SaveStatus::Saved,
        ))
    }

    #[test]
    fn starter_has_problems_to_explore() {
        let s = state();
        assert!(!s.problems.is_empty());
    }

    #[test]
    fn edit_then_analyze_updates_problems() {
        let s = state().reduce(Action::Edited("kind: Nope\n".to_owned()));
        assert_eq!(s.revision, 1);
        assert_eq!(s.analyzed_revision, 0);
        let s = s.reduce(Action::Analyze);
        assert_eq!(s.analyzed_revision, 1);
        assert!(s.problems.iter().any(|p| p.line == 1));
    }

    #[test]
    fn explicit_theme_wins_over_system() {
        let s = state().reduce(Action::ToggleTheme);
        assert_eq!(s.theme(), Theme::Dark);
        let s = s.reduce(Action::SystemTheme(Theme::Dark));
        assert_eq!(s.theme(), Theme::Dark);
        assert_eq!(s.reduce(Action::ToggleTheme).theme(), Theme::Light);
    }

    #[test]
    fn reveal_out_of_range_is_ignored() {
        let s = state();
        let same = Rc::clone(&s).reduce(Action::Reveal(10_000));
        assert!(Rc::ptr_eq(&s, &same));
    }

    #[test]
    fn kubectl_steps_are_session_changes_the_autosave_sees() {
        use crate::play::PlayAction;
        let s = state()
            .reduce(Action::Play(PlayAction::Kubectl(
                "scale deploy/web --replicas=5".into(),
            )))
            .reduce(Action::Play(PlayAction::Kubectl("get pods".into())))
            .reduce(Action::Play(PlayAction::Kubectl(
                "rollout undo deploy/web".into(),
            )));
        let commands: Vec<&str> = s.play.steps.iter().map(|x| x.command.as_str()).collect();
        assert_eq!(
            commands,
            ["scale deploy/web --replicas=5", "rollout undo deploy/web"]
        );
        assert_eq!(s.play.steps_seq, 2);
        let s = s.reduce(Action::Play(PlayAction::RemoveStep(0)));
        assert_eq!(s.play.steps[0].command, "rollout undo deploy/web");
        assert_eq!(s.play.steps_seq, 3);
        let s = s.reduce(Action::Play(PlayAction::RemoveStep(7)));
        assert_eq!(s.play.steps_seq, 3);
        let s = s.reduce(Action::Reset);
        assert!(s.play.steps.is_empty());
        assert_eq!(s.play.steps_seq, 4);
    }

    #[test]
    fn reset_restores_the_starter() {
        let s = state()
            .reduce(Action::Edited(String::new()))
            .reduce(Action::Reset);
        assert_eq!(&*s.text, STARTER);
        assert_eq!(s.reset_seq, 1);
    }
}
