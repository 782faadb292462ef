//! The lesson index: every compiled-in lesson with per-step progress; a step opens with
//! its starter, "Resume" reopens where the learner left off.

use yew::prelude::*;

use crate::lesson::{LessonAction, LessonState, lessons};
use crate::state::{Action, State};

#[derive(Properties, PartialEq)]
pub struct LessonIndexProps {
    pub lesson: LessonState,
    pub dispatcher: UseReducerDispatcher<State>,
}

#[component]
pub fn LessonIndex(props: &LessonIndexProps) -> Html {
    let all = lessons();
    let progress = &props.lesson.progress;
    let open = |l: usize, s: usize| {
        let d = props.dispatcher.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Lesson(LessonAction::Open(l, s))))
    };
    let close = {
        let d = props.dispatcher.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Lesson(LessonAction::ToggleIndex)))
    };
    let leave = {
        let d = props.dispatcher.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Lesson(LessonAction::Leave)))
    };
    html! {
        <aside class="lesson-card lesson-index" aria-label="Lessons">
            <div class="lesson-head">
                <h2 class="lesson-title">{"Lessons"}</h2>
                <button type="button" class="btn btn-small" id="lesson-index-close" onclick={close}>
                    {"Close"}
                </button>
            </div>
            <div class="lesson-body">
                if props.lesson.open.is_some() {
                    <p><button type="button" class="btn" onclick={leave}>{"Leave lessons (back to your manifest)"}</button></p>
                } else {
                    <p class="muted small">{"Opening a step puts your own manifest and kubectl steps aside; leaving the lesson brings them back."}</p>
                }
                <ol class="lesson-list">
                    {for all.iter().enumerate().map(|(l, lesson)| {
                        let done = progress.done_count(&lesson.id);
                        let n = lesson.steps.len();
                        // Resume: the step the learner is on, else the first step not done.
                        let resume = match &progress.current {
                            Some((id, s)) if *id == lesson.id => *s,
                            _ => (0..n).find(|&s| !progress.is_done(&lesson.id, s)).unwrap_or(0),
                        };
                        let label = if done == 0 { "Start" } else if done == n { "Review" } else { "Resume" };
                        html! {
                            <li class="lesson-entry">
                                <div class="lesson-entry-head">
                                    <span class="lesson-entry-title">{&lesson.title}</span>
                                    <span class="lesson-entry-count">{format!("{done}/{n}")}</span>
                                    <button type="button" class="btn btn-small"
                                        aria-label={format!("{label} lesson {}: {}", l + 1, lesson.title)}
                                        onclick={open(l, resume)}>{label}</button>
                                </div>
                                <p class="muted small">{&lesson.summary}</p>
                                <ol class="lesson-steps">
                                    {for lesson.steps.iter().enumerate().map(|(s, step)| {
                                        let ok = progress.is_done(&lesson.id, s);
                                        html! {
                                            <li>
                                                <button type="button" class={if ok { "step-link step-done" } else { "step-link" }}
                                                    aria-label={format!("Lesson {} step {}: {}{}", l + 1, s + 1, step.title, if ok { " (done)" } else { "" })}
                                                    onclick={open(l, s)}>
                                                    <span aria-hidden="true">{if ok { "✓ " } else { "○ " }}</span>{&step.title}
                                                </button>
                                            </li>
                                        }
                                    })}
                                </ol>
                            </li>
                        }
                    })}
                </ol>
            </div>
        </aside>
    }
}
