//! The request tester: a host and a path, routed through the Ingress controller as the
//! cluster is at the current time (`sim::ingress::route`, which moves no round-robin): the
//! rule that matched, the Service, the pod that would answer, or why nothing does.

use kubeplay_core::sim::Timeline;
use kubeplay_core::sim::ingress::route;
use kubeplay_core::sim::network::Network;
use kubeplay_core::sim::timeline::RequestResult;
use yew::prelude::*;

use crate::play::{PlayAction, RequestQuery, Shared};
use crate::state::{Action, State};

#[derive(Properties, PartialEq)]
pub struct RequestTesterProps {
    pub timeline: Shared<Timeline>,
    pub index: Option<usize>,
    pub query: RequestQuery,
    pub dispatcher: UseReducerDispatcher<State>,
}

/// The HTTP reason phrase the Ingress controller sends with a status.
const fn phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        404 => "Not Found",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

fn result_view(r: &RequestResult) -> Html {
    let ok = r.status == 200;
    let rule = r.rule.as_ref().map(|m| {
        let host = m.host.as_deref().unwrap_or("any host");
        match &m.path {
            Some((path, kind)) => format!(
                "ingress/{} · {host} · {path} ({kind})",
                r.ingress.as_deref().unwrap_or("")
            ),
            None => format!(
                "ingress/{} · defaultBackend",
                r.ingress.as_deref().unwrap_or("")
            ),
        }
    });
    html! {
        <div class={classes!("req-result", if ok { "req-ok" } else { "req-fail" })} data-testid="request-result"
            data-status={r.status.to_string()}>
            <p class="req-status">
                <span class="req-icon" aria-hidden="true">{if ok { "✓" } else { "✕" }}</span>
                {format!("{} {}", r.status, phrase(r.status))}
            </p>
            <dl class="req-facts">
                <dt>{"Rule"}</dt>
                <dd data-testid="request-rule">{rule.unwrap_or_else(|| "none matched".to_owned())}</dd>
                <dt>{"Service"}</dt>
                <dd data-testid="request-service">{r.service.as_ref().map_or_else(|| "none".to_owned(), |s| format!("service/{s}"))}</dd>
                <dt>{"Pod"}</dt>
                <dd data-testid="request-pod">{r.pod.as_ref().map_or_else(|| "none would answer".to_owned(), |p| format!("pod/{p}"))}</dd>
            </dl>
            <p class="req-reason" data-testid="request-reason">{if ok { "Route: " } else { "Why: " }}{&r.reason}</p>
        </div>
    }
}

#[component]
pub fn RequestTester(props: &RequestTesterProps) -> Html {
    let Some(snap) = props.index.and_then(|i| props.timeline.timeline.get(i)) else {
        return html! {};
    };
    let set = |host: bool| {
        let d = props.dispatcher.clone();
        let query = props.query.clone();
        Callback::from(move |e: InputEvent| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let mut q = query.clone();
            if host {
                q.host = input.value();
            } else {
                q.path = input.value();
            }
            d.dispatch(Action::Play(PlayAction::Request(q)));
        })
    };
    let mut hosts: Vec<&str> = snap
        .ingresses()
        .flat_map(|i| i.rules.iter().filter_map(|r| r.host.as_deref()))
        .collect();
    hosts.dedup();
    let host = props.query.host.trim();
    let path = props.query.path.trim();
    let path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    let result = route(snap, snap.t, (!host.is_empty()).then_some(host), &path);
    let onsubmit = Callback::from(|e: SubmitEvent| e.prevent_default());
    html! {
        <section class="traffic-section" aria-labelledby="traffic-request">
            <h3 class="section-title" id="traffic-request">{"Request tester"}</h3>
            <form class="req-form" onsubmit={onsubmit} role="search" aria-label="Route a request through the Ingress">
                <label class="req-field">
                    <span>{"Host"}</span>
                    <input type="text" data-testid="request-host" list="ingress-hosts" spellcheck="false" autocomplete="off"
                        placeholder={hosts.first().map_or_else(|| "none".to_owned(), |h| format!("none (e.g. {h})"))}
                        value={props.query.host.clone()} oninput={set(true)} />
                </label>
                <label class="req-field req-path">
                    <span>{"Path"}</span>
                    <input type="text" data-testid="request-path" spellcheck="false" autocomplete="off"
                        value={props.query.path.clone()} oninput={set(false)} />
                </label>
                <datalist id="ingress-hosts">
                    for h in &hosts { <option value={(*h).to_owned()} /> }
                </datalist>
            </form>
            <div aria-live="polite">{result_view(&result)}</div>
        </section>
    }
}
