//! The kubectl bar: a command line with history (↑/↓) and completion of verbs, resources and
//! names, above a console of kubectl-shaped output. Commands that change the cluster become
//! scenario steps at the current time (see `play::run_kubectl`).

use std::rc::Rc;

use kubeplay_core::sim::Timeline;
use yew::prelude::*;

use crate::play::{ConsoleEntry, PlayAction, Shared};
use crate::state::{Action, State};

const VERBS: &[&str] = &[
    "get",
    "describe",
    "logs",
    "top",
    "scale",
    "set image",
    "rollout status",
    "rollout history",
    "rollout undo",
    "rollout restart",
    "rollout pause",
    "rollout resume",
    "delete pod",
    "drain",
    "cordon",
    "uncordon",
    "explain",
    "auth can-i",
    "sim load",
    "sim memory-pressure",
];
const RESOURCES: &[&str] = &[
    "pods",
    "deployments",
    "replicasets",
    "services",
    "endpoints",
    "hpa",
    "events",
    "nodes",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
];

#[derive(Properties, PartialEq)]
pub struct KubectlBarProps {
    pub timeline: Shared<Timeline>,
    pub index: Option<usize>,
    pub console: Rc<[ConsoleEntry]>,
    pub history: Rc<[String]>,
    pub dispatcher: UseReducerDispatcher<State>,
}

/// Full command lines that extend what is typed by one word.
fn completions(input: &str, timeline: &Timeline, index: Option<usize>) -> Vec<String> {
    let snap = index.and_then(|i| timeline.timeline.get(i));
    let pods: Vec<&str> = snap
        .map(|s| s.pods.iter().map(|p| p.name.as_str()).collect())
        .unwrap_or_default();
    let deploys: Vec<&str> = snap
        .map(|s| s.deployments.iter().map(|d| d.name.as_str()).collect())
        .unwrap_or_default();
    let nodes: Vec<&str> = snap
        .map(|s| s.nodes.iter().map(|n| n.name.as_str()).collect())
        .unwrap_or_default();
    let trimmed = input.trim_start();
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    let ends_space = trimmed.ends_with(' ');
    // The words already complete, and the one being typed.
    let (done, _partial) = if ends_space || words.is_empty() {
        (words.as_slice(), "")
    } else {
        (&words[..words.len() - 1], words[words.len() - 1])
    };
    let prefix = if done.is_empty() {
        String::new()
    } else {
        format!("{} ", done.join(" "))
    };
    let next: Vec<String> = match done {
        [] => VERBS.iter().map(|v| (*v).to_owned()).collect(),
        ["get"] => RESOURCES.iter().map(|r| (*r).to_owned()).collect(),
        ["describe"] => ["pod", "deployment", "node", "service", "hpa"]
            .iter()
            .map(|r| (*r).to_owned())
            .collect(),
        ["describe", "pod" | "pods" | "po"]
        | ["logs"]
        | ["delete", "pod"]
        | ["get", "pods" | "pod" | "po"] => pods.iter().map(|p| (*p).to_owned()).collect(),
        ["describe", "deployment" | "deploy"] | ["get", "deployments" | "deploy"] => {
            deploys.iter().map(|d| (*d).to_owned()).collect()
        }
        ["rollout", _] | ["scale"] => deploys.iter().map(|d| format!("deploy/{d}")).collect(),
        ["scale", _] => vec!["--replicas=5".to_owned()],
        ["sim", "load"] => deploys.iter().map(|d| format!("deployment/{d}")).collect(),
        ["sim", "load", _] => vec!["--cpu=200m".to_owned()],
        ["sim", "memory-pressure"] => nodes.iter().map(|n| (*n).to_owned()).collect(),
        ["sim", "memory-pressure", _] => vec!["--usage=7Gi".to_owned()],
        ["set", "image"] => deploys.iter().map(|d| format!("deploy/{d}")).collect(),
        ["drain" | "cordon" | "uncordon"] | ["describe", "node"] => {
            nodes.iter().map(|n| (*n).to_owned()).collect()
        }
        _ => Vec::new(),
    };
    next.into_iter()
        .take(30)
        .map(|w| format!("{prefix}{w}"))
        .collect()
}

/// `$ kubectl ` before a kubectl command; kubeplay's own `sim` steps (from the panels'
/// controls) are not kubectl's.
fn console_prompt(command: &str) -> &'static str {
    if command.starts_with("sim ") {
        "$ "
    } else {
        "$ kubectl "
    }
}

#[component]
pub fn KubectlBar(props: &KubectlBarProps) -> Html {
    let value = use_state(String::new);
    // Position in the history while browsing it with ↑/↓ (None: editing a new line).
    let pos = use_state(|| None::<usize>);
    let console_ref = use_node_ref();

    {
        let console_ref = console_ref.clone();
        use_effect_with(props.console.len(), move |_| {
            if let Some(el) = console_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let oninput = {
        let value = value.clone();
        let pos = pos.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            value.set(input.value());
            pos.set(None);
        })
    };
    let onsubmit = {
        let value = value.clone();
        let pos = pos.clone();
        let d = props.dispatcher.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !value.trim().is_empty() {
                d.dispatch(Action::Play(PlayAction::Kubectl((*value).clone())));
            }
            value.set(String::new());
            pos.set(None);
        })
    };
    let onkeydown = {
        let value = value.clone();
        let pos = pos.clone();
        let history = props.history.clone();
        Callback::from(move |e: KeyboardEvent| {
            if history.is_empty() {
                return;
            }
            let last = history.len() - 1;
            match e.key().as_str() {
                "ArrowUp" => {
                    e.prevent_default();
                    let p = pos.map_or(last, |p| p.saturating_sub(1));
                    pos.set(Some(p));
                    value.set(history[p].clone());
                }
                "ArrowDown" => {
                    e.prevent_default();
                    match *pos {
                        Some(p) if p < last => {
                            pos.set(Some(p + 1));
                            value.set(history[p + 1].clone());
                        }
                        Some(_) => {
                            pos.set(None);
                            value.set(String::new());
                        }
                        None => {}
                    }
                }
                _ => {}
            }
        })
    };
    let clear = {
        let d = props.dispatcher.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Play(PlayAction::ClearConsole)))
    };
    let options = completions(&value, &props.timeline, props.index);

    html! {
        <section class="kubectl" aria-label="kubectl" data-testid="kubectl-bar">
            <div class="console" ref={console_ref} data-testid="console" role="log" aria-live="polite" aria-label="kubectl output" tabindex="0">
                if props.console.is_empty() {
                    <p class="console-hint">{"Try: get pods · describe pod NAME · logs NAME · get events · scale deploy/web --replicas=5 · rollout undo deploy/web"}</p>
                }
                for (i, entry) in props.console.iter().enumerate() {
                    <div key={i} class={classes!("console-entry", entry.error.then_some("console-error"))} data-testid="console-entry">
                        <div class="console-cmd">{console_prompt(&entry.command)}{&entry.command}</div>
                        <pre class="console-out">{&entry.output}</pre>
                    </div>
                }
            </div>
            <form class="kubectl-form" onsubmit={onsubmit}>
                <label for="kubectl-input" class="prompt">{"kubectl"}</label>
                <input id="kubectl-input" data-testid="kubectl-input" type="text" list="kubectl-completions"
                    autocomplete="off" autocapitalize="off" spellcheck="false"
                    placeholder="get pods" value={(*value).clone()} oninput={oninput} onkeydown={onkeydown} />
                <datalist id="kubectl-completions">
                    for o in options {
                        <option value={o.clone()} />
                    }
                </datalist>
                <button type="submit" class="btn">{"Run"}</button>
                <button type="button" class="btn" onclick={clear} aria-label="Clear the kubectl output">{"Clear"}</button>
            </form>
        </section>
    }
}
