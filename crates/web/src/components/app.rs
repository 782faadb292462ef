//! The root: owns the state, the debounced analysis + autosave, and the theme.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::components::code_editor::CodeEditor;
use crate::components::header::Header;
use crate::components::lesson_card::LessonCard;
use crate::components::lesson_index::LessonIndex;
use crate::components::notices::Notices;
use crate::components::playground::Playground;
use crate::components::problems::Problems;
use crate::state::{Action, State, Theme};
use crate::storage::{self, SaveStatus};

/// Milliseconds after the last keystroke before analysing and saving.
const DEBOUNCE_MS: u32 = 120;
const DARK_QUERY: &str = "(prefers-color-scheme: dark)";

fn system_theme() -> Theme {
    let dark = web_sys::window()
        .and_then(|w| w.match_media(DARK_QUERY).ok().flatten())
        .is_some_and(|m| m.matches());
    if dark { Theme::Dark } else { Theme::Light }
}

fn initial_state() -> State {
    let save = if storage::available() {
        SaveStatus::Saved
    } else {
        SaveStatus::Unavailable
    };
    let chosen = storage::get(storage::THEME_KEY).and_then(|s| Theme::parse(&s));
    let state = crate::session::initial(system_theme(), chosen, save);
    // The page's first stage handed over its editor: what the learner typed there is an
    // edit of the session just restored. Not over their own work when this stage refused the
    // share link the first stage showed (its notice says their work is unchanged).
    let refused = matches!(state.play.share_notice, Some((true, _)));
    match crate::stage::handed_over_text() {
        Some(text) if !refused => Rc::unwrap_or_clone(Rc::new(state).reduce(Action::Edited(text))),
        _ => state,
    }
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);

    // Typing settled: analyse, then autosave the session (text and kubectl steps). A new or
    // removed kubectl step is saved at once. Nothing is saved before the first change: the
    // session is already stored, or it is a shared view (`crate::session`). The page's first
    // stage leaves a shared view unsaved even after a change (`crate::stage`).
    let timer = use_mut_ref(|| None::<Timeout>);
    {
        let dispatcher = state.dispatcher();
        let (text, steps) = (state.text.clone(), state.play.steps.clone());
        let shared = state.shared_view;
        use_effect_with(state.revision, move |&revision| {
            if revision > 0 {
                let save = !shared;
                *timer.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                    dispatcher.dispatch(Action::Analyze);
                    if save {
                        dispatcher.dispatch(Action::Saved(storage::save_session(&text, &steps)));
                    }
                }));
            }
        });
    }
    {
        let dispatcher = state.dispatcher();
        let (text, steps) = (state.text.clone(), state.play.steps.clone());
        use_effect_with(state.play.steps_seq, move |&seq| {
            if seq > 0 {
                dispatcher.dispatch(Action::Saved(storage::save_session(&text, &steps)));
            }
        });
    }

    // Closing the tab inside the debounce window must not lose the last keystrokes.
    let latest = use_mut_ref(|| (false, state.text.clone(), Vec::new()));
    *latest.borrow_mut() = (
        (state.revision > 0 || state.play.steps_seq > 0) && !state.shared_view,
        state.text.clone(),
        state.play.steps.clone(),
    );
    use_effect_with((), move |()| {
        let listener = Closure::<dyn FnMut()>::new(move || {
            let (changed, text, steps) = &*latest.borrow();
            if *changed {
                let _ = storage::save_session(text, steps);
            }
        });
        let window = web_sys::window();
        if let Some(w) = &window {
            w.set_onpagehide(Some(listener.as_ref().unchecked_ref()));
        }
        move || {
            if let Some(w) = window {
                w.set_onpagehide(None);
            }
            drop(listener);
        }
    });

    // Follow the OS theme until the learner picks one.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |()| {
            let query = web_sys::window().and_then(|w| w.match_media(DARK_QUERY).ok().flatten());
            let listener = Closure::<dyn FnMut(web_sys::MediaQueryListEvent)>::new(
                move |e: web_sys::MediaQueryListEvent| {
                    let theme = if e.matches() {
                        Theme::Dark
                    } else {
                        Theme::Light
                    };
                    dispatcher.dispatch(Action::SystemTheme(theme));
                },
            );
            if let Some(q) = &query {
                q.set_onchange(Some(listener.as_ref().unchecked_ref()));
            }
            move || {
                if let Some(q) = query {
                    q.set_onchange(None);
                }
                drop(listener);
            }
        });
    }

    let theme = state.theme();
    use_effect_with(theme, |theme| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-theme", theme.as_str());
        }
    });
    use_effect_with(state.chosen_theme, |chosen| {
        if let Some(theme) = chosen {
            storage::set(storage::THEME_KEY, theme.as_str());
        }
    });

    let on_toggle_theme = {
        let dispatcher = state.dispatcher();
        Callback::from(move |()| dispatcher.dispatch(Action::ToggleTheme))
    };
    let on_reset = {
        let dispatcher = state.dispatcher();
        Callback::from(move |()| {
            let confirmed = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(
                        "Replace your manifest with the starter example and remove your kubectl steps? Your changes will be lost.",
                    )
                    .ok()
                })
                .unwrap_or(false);
            if confirmed {
                dispatcher.dispatch(Action::Reset);
            }
        })
    };
    let on_lessons = {
        let dispatcher = state.dispatcher();
        Callback::from(move |()| {
            dispatcher.dispatch(Action::Lesson(crate::lesson::LessonAction::ToggleIndex));
        })
    };
    let lesson_col = if !cfg!(feature = "play") {
        Html::default()
    } else if state.lesson.index_open {
        html! { <LessonIndex lesson={state.lesson.clone()} dispatcher={state.dispatcher()} /> }
    } else if state.lesson.open.is_some() {
        html! { <LessonCard lesson={state.lesson.clone()} text={state.text.clone()} dispatcher={state.dispatcher()} /> }
    } else {
        Html::default()
    };
    let workspace_class = match (
        state.lesson.index_open,
        state.lesson.open.is_some(),
        state.lesson.collapsed,
    ) {
        (true, _, _) => "workspace with-lesson",
        (false, true, true) => "workspace with-lesson lesson-collapsed",
        (false, true, false) => "workspace with-lesson",
        (false, false, _) => "workspace",
    };
    let on_select = {
        let dispatcher = state.dispatcher();
        Callback::from(move |index: usize| dispatcher.dispatch(Action::Reveal(index)))
    };

    html! {
        <div class="app">
            <Header
                problems={state.problems.clone()}
                theme={theme}
                on_toggle_theme={on_toggle_theme}
                on_reset={on_reset}
                lessons_open={state.lesson.index_open}
                lessons_ready={cfg!(feature = "play")}
                on_lessons={on_lessons}
            />
            <Notices save={state.save} editor={state.editor} />
            <main class={workspace_class}>
                {lesson_col}
                <div class="left-col">
                    <CodeEditor
                        text={state.text.clone()}
                        problems={state.problems.clone()}
                        analyzed_revision={state.analyzed_revision}
                        dark={theme == Theme::Dark}
                        reveal={state.reveal}
                        reset_seq={state.reset_seq}
                        dispatcher={state.dispatcher()}
                    />
                    <Problems problems={state.problems.clone()} on_select={on_select} />
                </div>
                {playground(&state)}
            </main>
        </div>
    }
}

/// The playground column; in the page's first stage, the notice that it is on its way.
#[cfg(feature = "play")]
fn playground(state: &UseReducerHandle<State>) -> Html {
    html! {
        <Playground
            play={state.play.clone()}
            text={state.text.clone()}
            lesson={crate::lesson::open_ref(&state.lesson)}
            analyzed_revision={state.analyzed_revision}
            dispatcher={state.dispatcher()}
        />
    }
}

#[cfg(not(feature = "play"))]
fn playground(_: &UseReducerHandle<State>) -> Html {
    html! { <crate::components::stage_loading::StageLoading /> }
}
