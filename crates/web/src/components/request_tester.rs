//! The request tester: a request through the Ingress controller (a host and a path, over
//! http or https) or to a node's port, routed as the cluster is at the current time
//! (`sim::tls::request` and `sim::nodeport::route_node_port`, which move no round-robin):
//! the certificate presented, the rule that matched, the Service, the pod that would answer,
//! or why nothing does.

use kubeplay_core::sim::Timeline;
use kubeplay_core::sim::network::Network;
use kubeplay_core::sim::nodeport::route_node_port;
use kubeplay_core::sim::timeline::{RequestResult, Snapshot};
use kubeplay_core::sim::tls::request;
use yew::prelude::*;

use crate::play::{PlayAction, RequestQuery, RequestTarget, Shared};
use crate::state::{Action, State};

#[derive(Properties, PartialEq)]
pub struct RequestTesterProps {
    pub timeline: Shared<Timeline>,
    pub index: Option<usize>,
    pub query: RequestQuery,
    pub dispatcher: UseReducerDispatcher<State>,
}

/// The HTTP reason phrase sent with a status (0: no HTTP answer at all).
const fn phrase(status: u16) -> &'static str {
    match status {
        0 => "Connection refused",
        200 => "OK",
        308 => "Permanent Redirect",
        404 => "Not Found",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// The answer; `via_ingress` shows which Ingress rule matched (a node port has none).
fn result_view(r: &RequestResult, via_ingress: bool) -> Html {
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
    let status = if r.status == 0 {
        phrase(0).to_owned()
    } else {
        format!("{} {}", r.status, phrase(r.status))
    };
    html! {
        <div class={classes!("req-result", if ok { "req-ok" } else { "req-fail" })} data-testid="request-result"
            data-status={r.status.to_string()}>
            <p class="req-status">
                <span class="req-icon" aria-hidden="true">{if ok { "✓" } else { "✕" }}</span>
                {status}
            </p>
            <dl class="req-facts">
                if let Some(tls) = &r.tls {
                    <dt>{"Certificate"}</dt>
                    <dd data-testid="request-certificate">
                        {tls.secret.as_ref().map_or_else(|| "the controller's fake certificate".to_owned(), |s| format!("secret/{s}"))}
                        {" — "}{&tls.reason}
                    </dd>
                }
                if via_ingress {
                    <dt>{"Rule"}</dt>
                    <dd data-testid="request-rule">{rule.unwrap_or_else(|| "none matched".to_owned())}</dd>
                }
                <dt>{"Service"}</dt>
                <dd data-testid="request-service">{r.service.as_ref().map_or_else(|| "none".to_owned(), |s| format!("service/{s}"))}</dd>
                <dt>{"Pod"}</dt>
                <dd data-testid="request-pod">{r.pod.as_ref().map_or_else(|| "none would answer".to_owned(), |p| format!("pod/{p}"))}</dd>
            </dl>
            <p class="req-reason" data-testid="request-reason">{if ok { "Route: " } else { "Why: " }}{&r.reason}</p>
        </div>
    }
}

/// The request `q` asks for, answered as the cluster `snap` is.
fn answer(snap: &Snapshot, q: &RequestQuery) -> RequestResult {
    let path = q.path.trim();
    let path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    match q.target {
        RequestTarget::Http | RequestTarget::Https => {
            let host = q.host.trim();
            let host = (!host.is_empty()).then_some(host);
            request(snap, snap.t, host, &path, q.target == RequestTarget::Https)
        }
        RequestTarget::NodePort => {
            let node = q.node.trim();
            let exists = snap.nodes.iter().any(|n| n.name == node);
            match q.port.trim().parse::<i64>() {
                Ok(port) => route_node_port(snap, snap.t, (node, exists), port, &path),
                Err(_) => RequestResult {
                    reason: "type the node port to connect to (30000-32767, as `kubectl get svc` shows it)".into(),
                    ..RequestResult::sent(snap.t, format!("{node}:{}{path}", q.port.trim()), 0)
                },
            }
        }
    }
}

#[component]
pub fn RequestTester(props: &RequestTesterProps) -> Html {
    let Some(snap) = props.index.and_then(|i| props.timeline.timeline.get(i)) else {
        return html! {};
    };
    let update = |apply: fn(&mut RequestQuery, String)| {
        let d = props.dispatcher.clone();
        let query = props.query.clone();
        move |value: String| {
            let mut q = query.clone();
            apply(&mut q, value);
            d.dispatch(Action::Play(PlayAction::Request(q)));
        }
    };
    let text = |apply: fn(&mut RequestQuery, String)| {
        let update = update(apply);
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                update(input.value());
            }
        })
    };
    let choice = |apply: fn(&mut RequestQuery, String)| {
        let update = update(apply);
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                update(select.value());
            }
        })
    };
    let mut hosts: Vec<&str> = snap
        .ingresses()
        .flat_map(|i| i.rules.iter().filter_map(|r| r.host.as_deref()))
        .collect();
    hosts.dedup();
    let node_ports: Vec<i64> = snap
        .services
        .iter()
        .flat_map(|s| s.ports.iter().filter_map(|p| p.node_port))
        .collect();
    let q = &props.query;
    let result = answer(snap, q);
    let onsubmit = Callback::from(|e: SubmitEvent| e.prevent_default());
    let to_node = q.target == RequestTarget::NodePort;
    html! {
        <section class="traffic-section" aria-labelledby="traffic-request">
            <h3 class="section-title" id="traffic-request">{"Request tester"}</h3>
            <form class="req-form" onsubmit={onsubmit} role="search" aria-label="Send a request into the cluster">
                <label class="req-field">
                    <span>{"Send to"}</span>
                    <select data-testid="request-target" onchange={choice(|q, v| q.target = RequestTarget::parse(&v).unwrap_or_default())}>
                        for t in RequestTarget::ALL {
                            <option value={t.as_str()} selected={t == q.target}>{t.label()}</option>
                        }
                    </select>
                </label>
                if to_node {
                    <label class="req-field">
                        <span>{"Node"}</span>
                        <select data-testid="request-node" onchange={choice(|q, v| q.node = v)}>
                            <option value="" selected={q.node.is_empty()}>{"choose a node"}</option>
                            for n in &snap.nodes {
                                <option value={n.name.clone()} selected={n.name == q.node}>{n.name.clone()}</option>
                            }
                        </select>
                    </label>
                    <label class="req-field">
                        <span>{"Port"}</span>
                        <input type="text" inputmode="numeric" data-testid="request-port" list="node-ports" spellcheck="false" autocomplete="off"
                            placeholder={node_ports.first().map_or_else(|| "e.g. 30080".to_owned(), |p| format!("e.g. {p}"))}
                            value={q.port.clone()} oninput={text(|q, v| q.port = v)} />
                    </label>
                    <datalist id="node-ports">
                        for p in &node_ports { <option value={p.to_string()} /> }
                    </datalist>
                } else {
                    <label class="req-field">
                        <span>{"Host"}</span>
                        <input type="text" data-testid="request-host" list="ingress-hosts" spellcheck="false" autocomplete="off"
                            placeholder={hosts.first().map_or_else(|| "none".to_owned(), |h| format!("none (e.g. {h})"))}
                            value={q.host.clone()} oninput={text(|q, v| q.host = v)} />
                    </label>
                    <datalist id="ingress-hosts">
                        for h in &hosts { <option value={(*h).to_owned()} /> }
                    </datalist>
                }
                <label class="req-field req-path">
                    <span>{"Path"}</span>
                    <input type="text" data-testid="request-path" spellcheck="false" autocomplete="off"
                        value={q.path.clone()} oninput={text(|q, v| q.path = v)} />
                </label>
            </form>
            <div aria-live="polite">{result_view(&result, !to_node)}</div>
        </section>
    }
}
