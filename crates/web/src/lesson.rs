//! Lessons in the page: which step is open, the learner's progress (saved in localStorage
//! under `kubeplay.lessons`), hints, the solution and the goal results of the current text.
//!
//! Opening a step puts the learner's free-play text and kubectl steps aside
//! (`kubeplay.lessons.free`, `kubeplay.lessons.free.steps`) and loads the step's starter
//! into the editor with no kubectl steps; leaving the lessons restores them.
//!
//! A share link can open a step with the sender's text (`crate::session`): shown, not saved,
//! and no progress recorded until the learner changes something ([`adopt`]).

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use kubeplay_core::lesson::{Lesson, LessonStep, StepResult, builtin, evaluate_session, run_step};

use crate::play::SessionStep;
use crate::state::State;
use crate::storage;

pub const PROGRESS_KEY: &str = "kubeplay.lessons";
pub const FREE_KEY: &str = "kubeplay.lessons.free";
pub const FREE_STEPS_KEY: &str = "kubeplay.lessons.free.steps";

thread_local! {
    static LESSONS: Rc<[Lesson]> = builtin().unwrap_or_default().into();
}

/// The compiled-in lessons, parsed once.
#[must_use]
pub fn lessons() -> Rc<[Lesson]> {
    LESSONS.with(Rc::clone)
}

/// Steps done per lesson, and where the learner is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Lesson id and step index of the open step.
    pub current: Option<(String, usize)>,
    /// Lesson id → indices of the steps whose goals all passed once.
    pub done: BTreeMap<String, BTreeSet<usize>>,
}

impl Progress {
    /// `kubeplay-lessons 1`, then `current ID STEP` and `done ID 0,1,2` lines (steps from 0).
    #[must_use]
    pub fn parse(s: &str) -> Self {
        let mut p = Self::default();
        let mut lines = s.lines();
        if lines.next() != Some("kubeplay-lessons 1") {
            return p;
        }
        for line in lines {
            let mut words = line.split(' ');
            match (words.next(), words.next(), words.next()) {
                (Some("current"), Some(id), Some(step)) => {
                    if let Ok(n) = step.parse() {
                        p.current = Some((id.to_owned(), n));
                    }
                }
                (Some("done"), Some(id), Some(steps)) => {
                    let set: BTreeSet<usize> =
                        steps.split(',').filter_map(|n| n.parse().ok()).collect();
                    if !set.is_empty() {
                        p.done.insert(id.to_owned(), set);
                    }
                }
                _ => {}
            }
        }
        p
    }

    #[must_use]
    pub fn serialize(&self) -> String {
        let mut out = String::from("kubeplay-lessons 1\n");
        if let Some((id, step)) = &self.current {
            out.push_str(&format!("current {id} {step}\n"));
        }
        for (id, steps) in &self.done {
            let list: Vec<String> = steps.iter().map(ToString::to_string).collect();
            out.push_str(&format!("done {id} {}\n", list.join(",")));
        }
        out
    }

    #[must_use]
    pub fn is_done(&self, id: &str, step: usize) -> bool {
        self.done.get(id).is_some_and(|s| s.contains(&step))
    }

    #[must_use]
    pub fn done_count(&self, id: &str) -> usize {
        self.done.get(id).map_or(0, BTreeSet::len)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LessonState {
    /// Lesson index and step index.
    pub open: Option<(usize, usize)>,
    pub index_open: bool,
    pub collapsed: bool,
    /// How many hints are shown.
    pub hints: usize,
    pub solution: bool,
    pub result: Option<Rc<StepResult>>,
    pub progress: Progress,
    /// The learner's free-play text and kubectl steps, put aside while a lesson is open.
    pub free_text: Option<Rc<str>>,
    pub free_steps: Option<Vec<SessionStep>>,
}

pub enum LessonAction {
    ToggleIndex,
    /// Lesson index, step index.
    Open(usize, usize),
    Next,
    Previous,
    /// Back to free play with the text put aside.
    Leave,
    Hint,
    ToggleSolution,
    /// Replace the editor text with the solution (undoable in the editor).
    UseSolution,
    /// Back to the step's starter.
    ResetStep,
    ToggleCollapsed,
}

/// The open step.
#[must_use]
pub fn current_step(lesson: &LessonState) -> Option<(Rc<[Lesson]>, usize, usize)> {
    let (l, s) = lesson.open?;
    let all = lessons();
    all.get(l)?.steps.get(s)?;
    Some((all, l, s))
}

/// The open step as a share link names it.
#[must_use]
pub fn open_ref(lesson: &LessonState) -> Option<kubeplay_share::LessonRef> {
    let (all, l, s) = current_step(lesson)?;
    Some(kubeplay_share::LessonRef {
        id: all[l].id.clone(),
        step: s,
    })
}

fn save_progress(p: &Progress) {
    storage::set(PROGRESS_KEY, &p.serialize());
}

/// The progress saved in this browser.
#[must_use]
pub fn saved_progress() -> Progress {
    storage::get(PROGRESS_KEY)
        .map(|s| Progress::parse(&s))
        .unwrap_or_default()
}

/// Where a saved `current` step is among the compiled-in lessons.
#[must_use]
pub fn locate(current: Option<&(String, usize)>) -> Option<(usize, usize)> {
    let (id, step) = current?;
    let all = lessons();
    let l = all.iter().position(|x| &x.id == id)?;
    (*step < all[l].steps.len()).then_some((l, *step))
}

/// `Lesson 4 · Rolling updates · step 2`, as the card's crumb names a step.
#[must_use]
pub fn label(l: usize, s: usize) -> String {
    let all = lessons();
    all.get(l).map_or_else(String::new, |lesson| {
        format!("Lesson {} · {} · step {}", l + 1, lesson.title, s + 1)
    })
}

/// [`label`] of a step named in a share link.
#[must_use]
pub fn label_of(r: &kubeplay_share::LessonRef) -> String {
    r.locate(&lessons())
        .map_or_else(|_| r.id.clone(), |(l, s)| label(l, s))
}

/// Puts `text` into the editor (the editor replaces its content as one undoable change).
/// Analysed at once, so the problems and the goals agree from the first frame.
pub fn load_text(state: &mut State, text: &str) {
    state.text = text.into();
    state.revision += 1;
    state.reset_seq = state.reset_seq.wrapping_add(1);
    state.problems = crate::problem::problems_of(text).into();
    state.analyzed_revision = state.revision;
}

/// Evaluates the current text against the open step's goals; records a passed step.
pub fn evaluate(state: &mut State) {
    let Some((all, l, s)) = current_step(&state.lesson) else {
        state.lesson.result = None;
        return;
    };
    let lesson = &all[l];
    let step: &LessonStep = &lesson.steps[s];
    let analysis = kubeplay_core::analyze(&state.text);
    let sim = step
        .goals
        .iter()
        .any(|g| g.goal.needs_time())
        .then(|| run_step(step, &state.text));
    // `ran` goals look at what the learner asked the kubectl bar (answered commands only).
    let commands: Vec<String> = state
        .play
        .console
        .iter()
        .filter(|e| !e.error)
        .map(|e| e.command.clone())
        .collect();
    let result = evaluate_session(step, &analysis, sim.as_ref(), &commands);
    // A shared view is the sender's work: it counts once the learner makes it theirs.
    if result.passed && !state.shared_view && !state.lesson.progress.is_done(&lesson.id, s) {
        state
            .lesson
            .progress
            .done
            .entry(lesson.id.clone())
            .or_default()
            .insert(s);
        save_progress(&state.lesson.progress);
    }
    state.lesson.result = Some(Rc::new(result));
}

/// What the playground simulates while a step with a scenario is open: the step's nodes
/// and scenario steps (a rollout, load, a drain) around the learner's text applied at 0 and
/// the kubectl steps of the session, so that pressing play shows what the goals check.
#[must_use]
pub fn play_scenario(state: &State) -> Option<kubeplay_core::sim::Scenario> {
    let (all, l, s) = current_step(&state.lesson)?;
    let step = &all[l].steps[s];
    let lesson_scenario = step.scenario.as_ref()?;
    let mut scenario = crate::play::scenario_of(&state.text, &state.play.steps, state.play.until);
    scenario.nodes.clone_from(&lesson_scenario.nodes);
    scenario.steps.extend(lesson_scenario.steps.iter().cloned());
    // Steps run in time order; at equal times the learner's apply comes first.
    scenario.steps.sort_by_key(|st| st.at);
    scenario.until = scenario.until.max(lesson_scenario.until);
    Some(scenario)
}

/// On page load: reopen the step the learner was on (its text and kubectl steps are the
/// autosaved ones).
pub fn restore(state: &mut State) {
    let progress = saved_progress();
    if let Some(at) = locate(progress.current.as_ref()) {
        state.lesson.open = Some(at);
        state.lesson.free_text = storage::get(FREE_KEY).map(Into::into);
        state.lesson.free_steps = Some(storage::get_steps(FREE_STEPS_KEY));
    }
    state.lesson.progress = progress;
    evaluate(state);
}

/// A share link's lesson step, shown over the learner's own work: `state.text` is the
/// sender's, the learner's own progress is `state.lesson.progress` and stays as saved.
/// `own` is the learner's autosaved text and steps, which are their free-play work unless
/// they are in a lesson themselves.
pub fn show_shared(state: &mut State, at: (usize, usize), own: (Rc<str>, Vec<SessionStep>)) {
    state.lesson.open = Some(at);
    if state.lesson.progress.current.is_some() {
        state.lesson.free_text = storage::get(FREE_KEY).map(Into::into);
        state.lesson.free_steps = Some(storage::get_steps(FREE_STEPS_KEY));
    } else {
        state.lesson.free_text = Some(own.0);
        state.lesson.free_steps = Some(own.1);
    }
}

/// The learner changed a shared view: from now on it is their session. A shared lesson
/// step becomes their current step (their free-play work put aside, as opening a step
/// does); a shared free-play view ends the lesson they were in.
pub fn adopt(state: &mut State) {
    let all = lessons();
    let lesson = &mut state.lesson;
    match lesson.open {
        Some((l, s)) => {
            if lesson.progress.current.is_none() {
                if let Some(text) = &lesson.free_text {
                    storage::set(FREE_KEY, text);
                }
                storage::set_steps(FREE_STEPS_KEY, lesson.free_steps.as_deref().unwrap_or(&[]));
            }
            if let Some(x) = all.get(l) {
                lesson.progress.current = Some((x.id.clone(), s));
            }
        }
        None => lesson.progress.current = None,
    }
    save_progress(&lesson.progress);
}

fn open(state: &mut State, l: usize, s: usize) {
    let all = lessons();
    let Some(step) = all.get(l).and_then(|x| x.steps.get(s)) else {
        return;
    };
    if state.lesson.open.is_none() {
        storage::set(FREE_KEY, &state.text);
        storage::set_steps(FREE_STEPS_KEY, &state.play.steps);
        state.lesson.free_text = Some(state.text.clone());
        state.lesson.free_steps = Some(state.play.steps.clone());
    }
    // A step starts from its starter, without the kubectl steps of what came before.
    if !state.play.steps.is_empty() {
        state.play.steps.clear();
        state.play.steps_seq += 1;
    }
    let lesson = &mut state.lesson;
    lesson.open = Some((l, s));
    lesson.index_open = false;
    lesson.collapsed = false;
    lesson.hints = 0;
    lesson.solution = false;
    lesson.progress.current = Some((all[l].id.clone(), s));
    save_progress(&lesson.progress);
    load_text(state, &step.starter);
    evaluate(state);
}

pub fn reduce(state: &mut State, action: LessonAction) {
    match action {
        LessonAction::ToggleIndex => {
            state.lesson.index_open = !state.lesson.index_open;
            state.lesson.collapsed = false;
        }
        LessonAction::Open(l, s) => {
            crate::session::adopt(state);
            open(state, l, s);
        }
        LessonAction::Next | LessonAction::Previous => {
            crate::session::adopt(state);
            let Some((all, l, s)) = current_step(&state.lesson) else {
                return;
            };
            let forward = matches!(action, LessonAction::Next);
            let target = if forward {
                if s + 1 < all[l].steps.len() {
                    Some((l, s + 1))
                } else {
                    (l + 1 < all.len()).then_some((l + 1, 0))
                }
            } else if s > 0 {
                Some((l, s - 1))
            } else {
                l.checked_sub(1).map(|p| (p, all[p].steps.len() - 1))
            };
            if let Some((l, s)) = target {
                open(state, l, s);
            }
        }
        LessonAction::Leave => {
            if state.lesson.open.is_none() {
                state.lesson.index_open = false;
                return;
            }
            if state.shared_view {
                crate::session::back_to_own(state);
                return;
            }
            let free_steps = state
                .lesson
                .free_steps
                .take()
                .unwrap_or_else(|| storage::get_steps(FREE_STEPS_KEY));
            if free_steps != state.play.steps {
                state.play.steps = free_steps;
                state.play.steps_seq += 1;
            }
            let free = state
                .lesson
                .free_text
                .take()
                .or_else(|| storage::get(FREE_KEY).map(Into::into))
                .unwrap_or_else(|| crate::state::STARTER.into());
            state.lesson.open = None;
            state.lesson.index_open = false;
            state.lesson.result = None;
            state.lesson.progress.current = None;
            save_progress(&state.lesson.progress);
            load_text(state, &free);
        }
        LessonAction::Hint => {
            if let Some((all, l, s)) = current_step(&state.lesson) {
                let n = all[l].steps[s].hints.len();
                state.lesson.hints = (state.lesson.hints + 1).min(n);
            }
        }
        LessonAction::ToggleSolution => state.lesson.solution = !state.lesson.solution,
        LessonAction::UseSolution | LessonAction::ResetStep => {
            crate::session::adopt(state);
            if let Some((all, l, s)) = current_step(&state.lesson) {
                let step = &all[l].steps[s];
                let text = if matches!(action, LessonAction::UseSolution) {
                    &step.solution
                } else {
                    state.lesson.hints = 0;
                    state.lesson.solution = false;
                    &step.starter
                };
                load_text(state, text);
                evaluate(state);
            }
        }
        LessonAction::ToggleCollapsed => state.lesson.collapsed = !state.lesson.collapsed,
    }
    // A step's text replaced the editor's (open, next, reset, solution, leave): simulate it
    // now, so the cluster never shows the previous text's pods beside the new step's goals.
    if state.analyzed_revision == state.revision
        && state.play.simulated_revision != Some(state.revision)
    {
        crate::play::resimulate(state);
    }
}

/// How a line of the solution compares with the learner's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffLine<'a> {
    Same(&'a str),
    /// Only in the learner's text.
    Removed(&'a str),
    /// Only in the solution.
    Added(&'a str),
}

/// A line diff (longest common subsequence) from the learner's text to the solution.
/// Texts above 2,000 lines are not compared line by line: everything is removed/added.
#[must_use]
pub fn line_diff<'a>(learner: &'a str, solution: &'a str) -> Vec<DiffLine<'a>> {
    let a: Vec<&str> = learner.lines().collect();
    let b: Vec<&str> = solution.lines().collect();
    if a.len() > 2000 || b.len() > 2000 {
        return a
            .iter()
            .map(|l| DiffLine::Removed(l))
            .chain(b.iter().map(|l| DiffLine::Added(l)))
            .collect();
    }
    // lcs[i][j]: length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(DiffLine::Same(a[i]));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            out.push(DiffLine::Removed(a[i]));
            i += 1;
        } else {
            out.push(DiffLine::Added(b[j]));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|l| DiffLine::Removed(l)));
    out.extend(b[j..].iter().map(|l| DiffLine::Added(l)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_the_changed_line() {
        let d = line_diff("a\nb\nc\n", "a\nB\nc\nd\n");
        assert_eq!(
            d,
            vec![
                DiffLine::Same("a"),
                DiffLine::Removed("b"),
                DiffLine::Added("B"),
                DiffLine::Same("c"),
                DiffLine::Added("d"),
            ]
        );
    }

    #[test]
    fn progress_round_trips() {
        let mut p = Progress {
            current: Some(("01-first-pod".into(), 1)),
            ..Progress::default()
        };
        p.done.entry("01-first-pod".into()).or_default().insert(0);
        p.done
            .entry("03-deployments".into())
            .or_default()
            .extend([0, 2]);
        assert_eq!(Progress::parse(&p.serialize()), p);
        assert_eq!(Progress::parse("garbage"), Progress::default());
    }

    #[test]
    fn twenty_lessons_parse() {
        assert!(lessons().len() >= 20);
    }
}
