//! The learner's session: what a page load restores (the autosaved text and kubectl steps,
//! the lesson step they were on) and views opened from share links.
//!
//! A shared view (a manifest, kubectl steps, panel, time and maybe a lesson step) is shown
//! but not saved, and records no lesson progress, until the learner changes something
//! (edits, runs or removes a kubectl step, moves to another step): then it is [`adopt`]ed
//! and becomes their session. The notice on opening says what that change would replace.
//! Until then a reload (or Leave, in a lesson) brings their own work back unchanged.

use std::rc::Rc;

use kubeplay_share::Shared;

use crate::play::{Panel, SessionStep};
use crate::state::{STARTER, State, Theme};
use crate::storage::{self, SaveStatus};

/// The state a page load starts from: the share link in the address bar if there is one,
/// else the learner's own session. A link that cannot be opened leaves their session as it
/// was and says why.
#[must_use]
pub fn initial(system_theme: Theme, chosen: Option<Theme>, save: SaveStatus) -> State {
    let own = || own_session(system_theme, chosen, save);
    let refused = |message: String| {
        let mut state = own();
        state.play.share_notice = Some((true, format!("{message} Your own work is unchanged.")));
        state
    };
    match crate::share::take_from_location() {
        Ok(None) => own(),
        Err(e) => refused(e.to_string()),
        Ok(Some(view)) => match open_view(view, system_theme, chosen, save) {
            Ok(state) => state,
            Err(missing) => refused(missing.to_string()),
        },
    }
}

fn own_text() -> String {
    storage::get(storage::TEXT_KEY).unwrap_or_else(|| STARTER.to_owned())
}

fn own_session(system_theme: Theme, chosen: Option<Theme>, save: SaveStatus) -> State {
    let mut state = State::new(own_text(), system_theme, chosen, save);
    state.play.steps = storage::get_steps(storage::STEPS_KEY);
    #[cfg(feature = "play")]
    crate::lesson::restore(&mut state);
    state
}

// The first stage stops early; the rest is unreachable there.
#[cfg_attr(not(feature = "play"), allow(unreachable_code))]
fn open_view(
    view: Shared,
    system_theme: Theme,
    chosen: Option<Theme>,
    save: SaveStatus,
) -> Result<State, kubeplay_share::MissingLesson> {
    // The page's first stage shows a shared view's text only; the whole playground (its
    // lesson step, steps, panel and time, and the notice) opens it again when it takes over,
    // because the first stage leaves the link in the address bar (`crate::stage`).
    #[cfg(not(feature = "play"))]
    {
        let mut state = State::new(view.text, system_theme, chosen, save);
        state.shared_view = true;
        return Ok(state);
    }
    let at = match &view.lesson {
        Some(r) => Some(r.locate(&crate::lesson::lessons())?),
        None => None,
    };
    let progress = crate::lesson::saved_progress();
    let own_at = crate::lesson::locate(progress.current.as_ref());
    let mut state = State::new(view.text, system_theme, chosen, save);
    state.shared_view = true;
    state.play.steps = view.steps;
    state.play.panel = view
        .panel
        .as_deref()
        .and_then(Panel::parse)
        .unwrap_or(Panel::Cluster);
    #[allow(clippy::cast_precision_loss)]
    let t = view.t as f64 / 1000.0;
    state.play.t = t.clamp(0.0, state.play.until);
    state.lesson.progress = progress;
    if let Some(at) = at {
        let own: (Rc<str>, Vec<SessionStep>) =
            (own_text().into(), storage::get_steps(storage::STEPS_KEY));
        crate::lesson::show_shared(&mut state, at, own);
    }
    crate::lesson::evaluate(&mut state);
    let notice = opened_notice(at, own_at, state.play.steps.len());
    state.play.share_notice = Some((false, notice));
    Ok(state)
}

/// What opening a link showed, and what changing it would replace of the learner's work.
fn opened_notice(
    at: Option<(usize, usize)>,
    own_at: Option<(usize, usize)>,
    steps: usize,
) -> String {
    let with_steps = match steps {
        0 => String::new(),
        1 => " and 1 kubectl step".to_owned(),
        n => format!(" and {n} kubectl steps"),
    };
    match (at, own_at) {
        (Some(at), None) => format!(
            "Opened a shared lesson step: {}, with the sender's text{with_steps}. Nothing of yours has changed: editing here, or moving to another step, puts your own manifest aside as opening any lesson does (Leave brings it back).",
            crate::lesson::label(at.0, at.1)
        ),
        (Some(at), Some(own)) => format!(
            "Opened a shared lesson step: {}, with the sender's text{with_steps}. Nothing of yours has changed: editing here, or moving to another step, replaces your saved text for {} (the steps you completed stay completed). Leave goes back to your own work.",
            crate::lesson::label(at.0, at.1),
            if own == at {
                "this step".to_owned()
            } else {
                crate::lesson::label(own.0, own.1)
            }
        ),
        (None, None) => format!(
            "Opened a shared view: a manifest{with_steps}. Editing it, or running a kubectl step, replaces your autosaved manifest; reload to go back to your own work."
        ),
        (None, Some(own)) => format!(
            "Opened a shared view: a manifest{with_steps}. Editing it, or running a kubectl step, replaces your saved text for {} and leaves that lesson (the steps you completed stay completed); reload to go back to your own work.",
            crate::lesson::label(own.0, own.1)
        ),
    }
}

/// The learner changed a shared view: it becomes their session (saved from now on).
/// The page's first stage does not know lessons, so it leaves that to the whole playground,
/// which gets the changed text when it takes over (`crate::stage`).
pub fn adopt(state: &mut State) {
    #[cfg(feature = "play")]
    if state.shared_view {
        state.shared_view = false;
        crate::lesson::adopt(state);
    }
    #[cfg(not(feature = "play"))]
    let _ = state;
}

/// Leaves a shared view for the learner's own session, as a reload would.
pub fn back_to_own(state: &mut State) {
    state.shared_view = false;
    state.play.share_notice = None;
    state.play.steps = storage::get_steps(storage::STEPS_KEY);
    state.play.steps_seq += 1;
    state.lesson = crate::lesson::LessonState::default();
    crate::lesson::load_text(state, &own_text());
    crate::lesson::restore(state);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_names_what_an_edit_would_replace() {
        let free = opened_notice(Some((0, 1)), None, 0);
        assert!(
            free.starts_with("Opened a shared lesson step: Lesson 1 · "),
            "{free}"
        );
        assert!(free.contains("step 2, with the sender's text. Nothing of yours has changed"));
        assert!(free.contains("puts your own manifest aside"));
        let other = opened_notice(Some((0, 0)), Some((2, 1)), 2);
        assert!(
            other.contains("with the sender's text and 2 kubectl steps."),
            "{other}"
        );
        assert!(other.contains("replaces your saved text for Lesson 3 · "));
        assert!(
            opened_notice(Some((0, 0)), Some((0, 0)), 0).contains("your saved text for this step")
        );
        assert!(
            opened_notice(None, None, 1)
                .starts_with("Opened a shared view: a manifest and 1 kubectl step. Editing it")
        );
        assert!(opened_notice(None, Some((1, 0)), 0).contains("and leaves that lesson"));
    }
}
