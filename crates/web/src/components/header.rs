//! Top bar: product name, problem counts, theme toggle and Reset.

use std::rc::Rc;

use yew::prelude::*;

use crate::problem::{Problem, counts};
use crate::state::Theme;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub problems: Rc<[Problem]>,
    pub theme: Theme,
    pub on_toggle_theme: Callback<()>,
    pub on_reset: Callback<()>,
    /// Whether the lesson index is shown (the Lessons button toggles it).
    pub lessons_open: bool,
    /// False in the page's first stage, before the lessons have loaded (`crate::stage`).
    pub lessons_ready: bool,
    pub on_lessons: Callback<()>,
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let (errors, warnings, infos) = counts(&props.problems);
    let toggle = props.on_toggle_theme.reform(|_: MouseEvent| ());
    let reset = props.on_reset.reform(|_: MouseEvent| ());
    let lessons = props.on_lessons.reform(|_: MouseEvent| ());
    let (toggle_label, toggle_text) = match props.theme {
        Theme::Light => ("Switch to dark theme", "Dark"),
        Theme::Dark => ("Switch to light theme", "Light"),
    };
    html! {
        <header class="topbar">
            <h1 class="brand">{"kubeplay"}</h1>
            <p class="counts">
                <span class="count count-error">
                    <span class="count-n">{errors}</span>{if errors == 1 { " error" } else { " errors" }}
                </span>
                <span class="count count-warning">
                    <span class="count-n">{warnings}</span>{if warnings == 1 { " warning" } else { " warnings" }}
                </span>
                if infos > 0 {
                    <span class="count count-info">
                        <span class="count-n">{infos}</span>{" info"}
                    </span>
                }
            </p>
            <div class="actions">
                <button type="button" class="btn" id="lessons-toggle"
                    title={if props.lessons_ready { "Step-by-step lessons" } else { "Lessons: loading…" }}
                    disabled={!props.lessons_ready}
                    aria-expanded={if props.lessons_open { "true" } else { "false" }} onclick={lessons}>
                    {"Lessons"}
                </button>
                <button type="button" class="btn" id="theme-toggle" aria-label={toggle_label} title={toggle_label} onclick={toggle}>
                    {toggle_text}{" theme"}
                </button>
                <button type="button" class="btn" id="reset" title="Restore the starter manifest" onclick={reset}>
                    {"Reset"}
                </button>
            </div>
        </header>
    }
}
