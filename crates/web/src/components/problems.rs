//! The Problems panel: every diagnostic in text order; clicking one reveals it in the editor.

use std::rc::Rc;

use kubeplay_core::Severity;
use yew::prelude::*;

use crate::problem::{Problem, severity_label, summary};

#[derive(Properties, PartialEq)]
pub struct ProblemsProps {
    pub problems: Rc<[Problem]>,
    pub on_select: Callback<usize>,
}

fn icon(severity: Severity) -> Html {
    // Shapes differ by severity, so the icon reads without colour too.
    match severity {
        Severity::Error => html! {
            <svg class="sev-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                <circle cx="8" cy="8" r="7" />
                <path d="M5.2 5.2l5.6 5.6M10.8 5.2l-5.6 5.6" class="glyph" />
            </svg>
        },
        Severity::Warning => html! {
            <svg class="sev-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                <path d="M8 1.2L15.2 14.5H0.8Z" />
                <path d="M8 5.8v4.4M8 11.9v0.9" class="glyph" />
            </svg>
        },
        Severity::Info => html! {
            <svg class="sev-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                <rect x="1" y="1" width="14" height="14" rx="3" />
                <path d="M8 7v5M8 4v1" class="glyph" />
            </svg>
        },
    }
}

#[component]
pub fn Problems(props: &ProblemsProps) -> Html {
    let summary = summary(&props.problems);
    html! {
        <aside class="problems" aria-labelledby="problems-title">
            <h2 id="problems-title" class="panel-title">
                {"Problems"}
                <span class="panel-count" aria-hidden="true">{props.problems.len()}</span>
            </h2>
            <p class="visually-hidden" id="problems-live" aria-live="polite" role="status">{summary}</p>
            if props.problems.is_empty() {
                <p class="empty">{"No problems found. The cluster would accept this manifest."}</p>
            } else {
                <ol class="problem-list">
                    for (index, p) in props.problems.iter().enumerate() {
                        <li key={index}>
                            <button
                                type="button"
                                class={classes!("problem", format!("sev-{}", p.severity.as_str()))}
                                data-line={p.line.to_string()}
                                data-code={p.code}
                                title="Show in the editor"
                                onclick={props.on_select.reform(move |_: MouseEvent| index)}
                            >
                                <span class="problem-head">
                                    {icon(p.severity)}
                                    <span class="sev-text">{severity_label(p.severity)}</span>
                                    <span class="loc">{format!("{}:{}", p.line, p.column)}</span>
                                    <code class="code">{p.code}</code>
                                </span>
                                <span class="msg">{&p.message}</span>
                            </button>
                        </li>
                    }
                </ol>
            }
        </aside>
    }
}
