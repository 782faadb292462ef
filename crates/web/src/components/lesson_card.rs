//! The lesson card left of the editor: the step's prose, its goals with live ticks, hints
//! one at a time, the solution, previous/next, and after success why it worked.

use std::rc::Rc;

use yew::prelude::*;

use crate::lesson::{DiffLine, LessonAction, LessonState, current_step, line_diff};
use crate::markdown;
use crate::state::{Action, State};

#[derive(Properties, PartialEq)]
pub struct LessonCardProps {
    pub lesson: LessonState,
    /// The learner's text, for the diff against the solution.
    pub text: Rc<str>,
    pub dispatcher: UseReducerDispatcher<State>,
}

#[component]
pub fn LessonCard(props: &LessonCardProps) -> Html {
    // Folding or unfolding the card replaces its toggle button: keep the keyboard focus on it.
    let toggle = use_node_ref();
    // Opening a step from the index removes the button that had the focus: move it to the
    // step's title so keyboard users continue from the card (not from the top of the page).
    let title = use_node_ref();
    {
        let title = title.clone();
        use_effect_with(props.lesson.open, move |_| {
            let doc = web_sys::window().and_then(|w| w.document());
            let lost = doc.as_ref().is_none_or(|d| {
                d.active_element()
                    .is_none_or(|e| d.body().is_some_and(|b| e == *b.as_ref()))
            });
            if lost && let Some(h) = title.cast::<web_sys::HtmlElement>() {
                let _ = h.focus();
            }
        });
    }
    let last_collapsed = use_mut_ref(|| props.lesson.collapsed);
    {
        let toggle = toggle.clone();
        use_effect_with(props.lesson.collapsed, move |&collapsed| {
            if *last_collapsed.borrow() != collapsed {
                *last_collapsed.borrow_mut() = collapsed;
                if let Some(b) = toggle.cast::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                }
            }
        });
    }
    let Some((all, l, s)) = current_step(&props.lesson) else {
        return html! {};
    };
    let lesson = &all[l];
    let step = &lesson.steps[s];
    let d = props.dispatcher.clone();
    let act = move |a: fn() -> LessonAction| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Lesson(a())))
    };
    let st = &props.lesson;
    let total = step.goals.len();

    if st.collapsed {
        return html! {
            <aside class="lesson-card collapsed" aria-label="Lesson">
                <button type="button" class="btn lesson-expand" ref={toggle.clone()} aria-expanded="false"
                    aria-label="Show the lesson" title="Show the lesson"
                    onclick={act(|| LessonAction::ToggleCollapsed)}>{"»"}</button>
            </aside>
        };
    }

    let (passed, goals) = match &st.result {
        Some(r) => (
            r.passed,
            html! {
                <ul class="lesson-goals">
                    {for r.goals.iter().map(|g| {
                        let (class, mark, word) = if g.passed {
                            ("goal goal-pass", "✓", "passed")
                        } else {
                            ("goal goal-fail", "✗", "not yet")
                        };
                        html! {
                            <li class={class}>
                                <span class="goal-mark" aria-hidden="true">{mark}</span>
                                <span class="goal-text">
                                    <span class="goal-name">{markdown::inline(&g.text)}</span>
                                    <span class="visually-hidden">{format!(" ({word})")}</span>
                                    <span class="goal-detail">{markdown::inline(&g.detail)}</span>
                                </span>
                            </li>
                        }
                    })}
                </ul>
            },
        ),
        None => (false, html! { <p class="muted">{"Checking…"}</p> }),
    };
    let done = st
        .result
        .as_ref()
        .map_or(0, |r| r.goals.iter().filter(|g| g.passed).count());
    let more_hints = st.hints < step.hints.len();
    let last = l + 1 == all.len() && s + 1 == lesson.steps.len();
    let first = l == 0 && s == 0;

    html! {
        <aside class="lesson-card" aria-label="Lesson">
            <div class="lesson-head">
                <p class="lesson-crumb">
                    {format!("Lesson {} · {} · step {} of {}", l + 1, lesson.title, s + 1, lesson.steps.len())}
                </p>
                <button type="button" class="btn btn-small" ref={toggle} aria-expanded="true"
                    aria-label="Hide the lesson" title="Hide the lesson"
                    onclick={act(|| LessonAction::ToggleCollapsed)}>{"«"}</button>
            </div>
            <div class="lesson-body">
                <h2 class="lesson-title" tabindex="-1" ref={title}>{&step.title}</h2>
                <div class="lesson-prose">{markdown::render(&step.prose)}</div>
                <section class="lesson-section" aria-label="Goals">
                    <h3 class="lesson-sub">{format!("Goals ({done} of {total} met)")}</h3>
                    <div aria-live="polite">{goals}</div>
                </section>
                if passed {
                    <section class="lesson-why" aria-label="Why it worked">
                        <h3 class="lesson-sub">{"Step complete — why it worked"}</h3>
                        <p>{markdown::inline(&step.why)}</p>
                    </section>
                }
                if st.hints > 0 {
                    <ol class="lesson-hints" aria-label="Hints">
                        {for step.hints.iter().take(st.hints).map(|h| html! { <li>{markdown::inline(h)}</li> })}
                    </ol>
                }
                if st.solution {
                    <section class="lesson-solution" aria-label="Solution">
                        <p class="muted small">{"The solution, compared with your text: "}
                            <span class="diff-key diff-add">{"+ added"}</span>{" "}
                            <span class="diff-key diff-del">{"− yours, removed"}</span></p>
                        <pre class="md-code diff"><code>
                            {for line_diff(&props.text, &step.solution).into_iter().map(|l| match l {
                                DiffLine::Same(t) => html! { <span class="diff-line">{format!("  {t}")}</span> },
                                DiffLine::Added(t) => html! { <ins class="diff-line diff-add">{format!("+ {t}")}</ins> },
                                DiffLine::Removed(t) => html! { <del class="diff-line diff-del">{format!("− {t}")}</del> },
                            })}
                        </code></pre>
                        <button type="button" class="btn" id="lesson-use-solution"
                            onclick={act(|| LessonAction::UseSolution)}>
                            {"Use this solution"}
                        </button>
                        <p class="muted small">{"Replaces the editor text; undo with Ctrl+Z."}</p>
                    </section>
                }
            </div>
            <div class="lesson-actions">
                <button type="button" class="btn" id="lesson-hint" disabled={!more_hints}
                    onclick={act(|| LessonAction::Hint)}>
                    {if step.hints.is_empty() { "No hints".to_owned() }
                     else if more_hints { format!("Hint ({} of {})", st.hints + 1, step.hints.len()) }
                     else { "All hints shown".to_owned() }}
                </button>
                <button type="button" class="btn" id="lesson-solution" aria-expanded={if st.solution { "true" } else { "false" }}
                    onclick={act(|| LessonAction::ToggleSolution)}>
                    {if st.solution { "Hide solution" } else { "Show solution" }}
                </button>
                <button type="button" class="btn" id="lesson-reset-step" title="Back to this step's starter manifest"
                    onclick={act(|| LessonAction::ResetStep)}>{"Reset step"}</button>
            </div>
            <nav class="lesson-nav" aria-label="Lesson steps">
                <button type="button" class="btn" id="lesson-prev" disabled={first}
                    onclick={act(|| LessonAction::Previous)}>{"← Previous"}</button>
                <button type="button" class="btn" id="lesson-leave" title="Back to your own manifest"
                    onclick={act(|| LessonAction::Leave)}>{"Leave"}</button>
                <button type="button" class={if passed { "btn btn-primary" } else { "btn" }} id="lesson-next" disabled={last}
                    onclick={act(|| LessonAction::Next)}>{"Next →"}</button>
            </nav>
        </aside>
    }
}
