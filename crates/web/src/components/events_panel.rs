//! The Events panel: `kubectl get events` rows up to the current time. Clicking one scrubs
//! to its time and selects the manifest line that caused it.

use kubeplay_core::kubectl::human_duration;
use kubeplay_core::sim::Timeline;
use yew::prelude::*;

use crate::play::{PlayAction, Shared};
use crate::state::{Action, State};

/// Rows shown at most (the newest).
const SHOWN: usize = 200;

#[derive(Properties, PartialEq)]
pub struct EventsPanelProps {
    pub timeline: Shared<Timeline>,
    /// Events at or before the current time.
    pub upto: usize,
    /// The current time in whole seconds (ages only change once a second).
    pub now: i64,
    pub dispatcher: UseReducerDispatcher<State>,
}

#[component]
pub fn EventsPanel(props: &EventsPanelProps) -> Html {
    let events = &props.timeline.events[..props.upto.min(props.timeline.events.len())];
    let start = events.len().saturating_sub(SHOWN);
    #[allow(clippy::cast_precision_loss)]
    let now = props.now as f64;
    html! {
        <div class="events" data-testid="events-panel">
            if events.is_empty() {
                <p class="empty">{"No events yet. Press play or scrub forward."}</p>
            } else {
                <div class="events-table">
                    // Column titles for the eye; each row is a button whose text says it all.
                    <div class="ev-row ev-head" aria-hidden="true">
                        <span>{"LAST SEEN"}</span>
                        <span>{"TYPE"}</span>
                        <span>{"REASON"}</span>
                        <span>{"OBJECT"}</span>
                        <span>{"MESSAGE"}</span>
                    </div>
                    if start > 0 {
                        <p class="empty-small">{format!("{start} older events not shown")}</p>
                    }
                    <ol class="ev-list" aria-label={format!("Events ({})", events.len())}>
                    for (i, e) in events.iter().enumerate().skip(start) {
                        {{
                            let d = props.dispatcher.clone();
                            let onclick = Callback::from(move |_: MouseEvent| d.dispatch(Action::Play(PlayAction::Event(i))));
                            let title = match e.line {
                                Some(l) => format!("Go to {} and line {l}", crate::play::format_t(e.t)),
                                None => format!("Go to {}", crate::play::format_t(e.t)),
                            };
                            html! {
                                <li key={i}>
                                <button type="button" title={title}
                                    class={classes!("ev-row", (e.kind == "Warning").then_some("ev-warning"))}
                                    data-testid="event-row" data-reason={e.reason} data-object={e.object.clone()}
                                    data-line={e.line.map(|l| l.to_string())} onclick={onclick}>
                                    <span class="ev-age">{human_duration((now - e.t).max(0.0))}</span>
                                    <span class="ev-type">{if e.kind == "Warning" { "⚠ Warning" } else { "Normal" }}</span>
                                    <span class="ev-reason">{e.reason}</span>
                                    <span class="ev-object">{&e.object}</span>
                                    <span class="ev-msg">{&e.message}</span>
                                </button>
                                </li>
                            }
                        }}
                    }
                    </ol>
                </div>
            }
        </div>
    }
}
