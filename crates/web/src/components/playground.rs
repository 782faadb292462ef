//! The playground column: the timeline bar, the panels as tabs, and the kubectl bar. Re-runs
//! the simulation shortly after each analysis and owns the keyboard shortcuts (space,
//! arrows) that apply when focus is not in the editor or a text field.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::components::autoscaling_panel::AutoscalingPanel;
use crate::components::cluster_panel::ClusterPanel;
use crate::components::events_panel::EventsPanel;
use crate::components::kubectl_bar::KubectlBar;
use crate::components::qos_panel::QosPanel;
use crate::components::rollout_panel::RolloutPanel;
use crate::components::session_steps::SessionSteps;
use crate::components::timeline_bar::TimelineBar;
use crate::components::traffic_panel::TrafficPanel;
use crate::play::{Panel, PlayAction, PlayState};
use crate::state::{Action, State};
use kubeplay_share::{LessonRef, Shared};

/// Milliseconds after an analysis before re-simulating.
const SIMULATE_DEBOUNCE_MS: u32 = 300;

#[derive(Properties, PartialEq)]
pub struct PlaygroundProps {
    pub play: PlayState,
    /// For the share link.
    pub text: Rc<str>,
    /// The open lesson step, for the share link.
    pub lesson: Option<LessonRef>,
    pub analyzed_revision: u64,
    pub dispatcher: UseReducerDispatcher<State>,
}

/// `navigator.clipboard.writeText(text)`, best effort (the link is also shown to copy by hand).
fn copy_to_clipboard(text: &str) {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
        return;
    };
    let Ok(clipboard) = js_sys::Reflect::get(&nav, &JsValue::from_str("clipboard")) else {
        return;
    };
    if let Ok(write) = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))
        && let Ok(write) = write.dyn_into::<js_sys::Function>()
        && let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text))
        && let Ok(promise) = promise.dyn_into::<js_sys::Promise>()
    {
        // A refused permission must not surface as an unhandled rejection.
        let ignore = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
        let _ = promise.catch(&ignore);
        ignore.forget();
    }
}

/// Whether a key press belongs to what has focus rather than to the playground.
fn owned_by_focus(e: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    if el
        .closest(".editor-pane, input, textarea, select, [contenteditable]")
        .ok()
        .flatten()
        .is_some()
    {
        return true;
    }
    let tag = el.tag_name().to_ascii_lowercase();
    let role = el.get_attribute("role").unwrap_or_default();
    match e.key().as_str() {
        // Space activates buttons and links; arrows move between tabs.
        " " => tag == "button" || tag == "a" || role == "tab",
        _ => role == "tab" || role == "log",
    }
}

#[component]
pub fn Playground(props: &PlaygroundProps) -> Html {
    // Re-simulate after each analysis (the first one at once).
    let timer = use_mut_ref(|| None::<Timeout>);
    {
        let d = props.dispatcher.clone();
        use_effect_with(props.analyzed_revision, move |&rev| {
            let delay = if rev == 0 { 0 } else { SIMULATE_DEBOUNCE_MS };
            *timer.borrow_mut() = Some(Timeout::new(delay, move || {
                d.dispatch(Action::Play(PlayAction::Simulate));
            }));
        });
    }

    // Keyboard shortcuts.
    {
        let d = props.dispatcher.clone();
        use_effect_with((), move |()| {
            let listener = Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(
                move |e: web_sys::KeyboardEvent| {
                    if e.ctrl_key()
                        || e.meta_key()
                        || e.alt_key()
                        || e.default_prevented()
                        || owned_by_focus(&e)
                    {
                        return;
                    }
                    let action = match (e.key().as_str(), e.shift_key()) {
                        (" ", _) => PlayAction::Toggle,
                        ("ArrowRight", false) => PlayAction::StepEvent(1),
                        ("ArrowLeft", false) => PlayAction::StepEvent(-1),
                        ("ArrowRight", true) => PlayAction::Nudge(10.0),
                        ("ArrowLeft", true) => PlayAction::Nudge(-10.0),
                        _ => return,
                    };
                    e.prevent_default();
                    d.dispatch(Action::Play(action));
                },
            );
            let document = web_sys::window().and_then(|w| w.document());
            if let Some(doc) = &document {
                let _ = doc
                    .add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(doc) = document {
                    let _ = doc.remove_event_listener_with_callback(
                        "keydown",
                        listener.as_ref().unchecked_ref(),
                    );
                }
                drop(listener);
            }
        });
    }

    let play = &props.play;
    let index = play.snapshot_index();
    let tab_keys = {
        let d = props.dispatcher.clone();
        let current = play.panel;
        Callback::from(move |e: KeyboardEvent| {
            let i = Panel::ALL.iter().position(|p| *p == current).unwrap_or(0);
            let n = Panel::ALL.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (i + 1) % n,
                "ArrowLeft" => (i + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            d.dispatch(Action::Play(PlayAction::Panel(Panel::ALL[next])));
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|doc| {
                    doc.get_element_by_id(&format!("tab-{}", Panel::ALL[next].as_str()))
                })
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        })
    };

    let panel = match play.panel {
        Panel::Cluster => html! {
            <ClusterPanel timeline={play.timeline.clone()} layout={play.layout.clone()} index={index} />
        },
        Panel::Events => html! {
            <EventsPanel timeline={play.timeline.clone()} upto={play.events_upto()}
                now={play.t.floor() as i64} dispatcher={props.dispatcher.clone()} />
        },
        Panel::Rollout => html! {
            <RolloutPanel timeline={play.timeline.clone()} t={play.t} until={play.until}
                deployment={play.deployment.clone()} dispatcher={props.dispatcher.clone()} />
        },
        Panel::Autoscaling => html! {
            <AutoscalingPanel timeline={play.timeline.clone()} index={index} t={play.t} until={play.until}
                steps={Rc::<[_]>::from(play.steps.as_slice())} dispatcher={props.dispatcher.clone()} />
        },
        Panel::Qos => html! {
            <QosPanel timeline={play.timeline.clone()} index={index} t={play.t} node={play.qos_node.clone()}
                steps={Rc::<[_]>::from(play.steps.as_slice())} dispatcher={props.dispatcher.clone()} />
        },
        Panel::Traffic => html! {
            <TrafficPanel timeline={play.timeline.clone()} index={index} query={play.request.clone()}
                dispatcher={props.dispatcher.clone()} />
        },
    };
    let warnings = &play.timeline.warnings;
    let share_url = use_state(|| None::<String>);
    let share = {
        let d = props.dispatcher.clone();
        let share_url = share_url.clone();
        let (text, steps, panel, t) = (props.text.clone(), play.steps.clone(), play.panel, play.t);
        let lesson = props.lesson.clone();
        Callback::from(move |_: MouseEvent| {
            let at = lesson
                .as_ref()
                .map(|r| format!("{}, ", crate::lesson::label_of(r)))
                .unwrap_or_default();
            let url = crate::share::link(&Shared {
                text: text.to_string(),
                steps: steps.clone(),
                panel: Some(panel.as_str().to_owned()),
                t: crate::play::millis(t),
                lesson: lesson.clone(),
            });
            copy_to_clipboard(&url);
            let message = format!(
                "Link copied: it holds {at}this manifest, {} kubectl step{}, the {} panel and {} ({} characters). Nothing is uploaded.",
                steps.len(),
                if steps.len() == 1 { "" } else { "s" },
                panel.title(),
                crate::play::format_t(t),
                url.len()
            );
            share_url.set(Some(url));
            d.dispatch(Action::Play(PlayAction::ShareNotice(Some((
                false, message,
            )))));
        })
    };
    let dismiss = {
        let d = props.dispatcher.clone();
        let share_url = share_url.clone();
        Callback::from(move |_: MouseEvent| {
            share_url.set(None);
            d.dispatch(Action::Play(PlayAction::ShareNotice(None)));
        })
    };

    html! {
        <section class="playground" aria-label="Playground" data-simulated={play.simulated_revision.map(|r| r.to_string())}>
            <TimelineBar t={play.t} until={play.until} playing={play.playing} speed={play.speed}
                dispatcher={props.dispatcher.clone()} />
            if !warnings.is_empty() {
                <ul class="sim-warnings" data-testid="sim-warnings">
                    for w in warnings.iter().take(3) { <li>{w}</li> }
                </ul>
            }
            if let Some((error, message)) = &play.share_notice {
                <div class={classes!("share-notice", error.then_some("share-error"))} data-testid="share-notice"
                    role={if *error { "alert" } else { "status" }}>
                    <p>{message}</p>
                    if let Some(url) = &*share_url {
                        <input class="share-url" data-testid="share-url" readonly=true value={url.clone()} aria-label="Share link" />
                    }
                    <button type="button" class="btn" onclick={dismiss} aria-label="Dismiss the message">{"OK"}</button>
                </div>
            }
            <div class="tab-row">
            <div class="tabs" role="tablist" aria-label="Panels" onkeydown={tab_keys}>
                for p in Panel::ALL {
                    {{
                        let d = props.dispatcher.clone();
                        let selected = p == play.panel;
                        let onclick = Callback::from(move |_: MouseEvent| d.dispatch(Action::Play(PlayAction::Panel(p))));
                        html! {
                            <button type="button" role="tab" id={format!("tab-{}", p.as_str())} key={p.as_str()}
                                class="tab" aria-selected={selected.to_string()} aria-controls="panel-body"
                                tabindex={if selected { "0" } else { "-1" }} onclick={onclick}>
                                {p.title()}
                                if p == Panel::Events {
                                    <span class="panel-count">{play.events_upto()}</span>
                                }
                            </button>
                        }
                    }}
                }
            </div>
                <button type="button" class="btn share-btn" data-testid="share" onclick={share}
                    title="Copy a link to this manifest, the kubectl steps, the panel, the time and the open lesson step">{"Share link"}</button>
            </div>
            <div class="panel-body" id="panel-body" role="tabpanel" tabindex="0"
                aria-labelledby={format!("tab-{}", play.panel.as_str())} data-panel={play.panel.as_str()}>
                {panel}
            </div>
            <SessionSteps steps={Rc::<[_]>::from(play.steps.as_slice())} dispatcher={props.dispatcher.clone()} />
            <KubectlBar timeline={play.timeline.clone()} index={index}
                console={Rc::<[_]>::from(play.console.as_slice())}
                history={Rc::<[_]>::from(play.history.as_slice())}
                dispatcher={props.dispatcher.clone()} />
        </section>
    }
}
