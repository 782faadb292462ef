//! The QoS panel: pods grouped Guaranteed / Burstable / BestEffort with their requests,
//! limits, memory in use at the current time and their state (an OOM kill reads
//! `OOMKilled`, exit 137); for one node, a memory-pressure control (other processes' memory
//! from the current time on: a `sim memory-pressure` step), its `memory.available` against
//! the kubelet's 100Mi threshold, and the order the kubelet would evict its pods in. All of
//! it from `kubeplay_core::sim::memory` on the snapshot shown.

use std::rc::Rc;

use kubeplay_core::kubectl::pod_status;
use kubeplay_core::sim::eviction::wanted;
use kubeplay_core::sim::memory::{
    NodeMemory, eviction_order, human_bytes, node_memory_at, pod_memory_at,
};
use kubeplay_core::sim::timeline::{NodeView, PodView};
use kubeplay_core::sim::{Action as SimAction, Snapshot, Timeline};
use yew::prelude::*;

use crate::components::cluster_panel::pod_state;
use crate::play::{PlayAction, SessionStep, Shared, format_t, step_value_at};
use crate::state::{Action, State};

const MI: i64 = 1024 * 1024;
/// Rows shown per QoS class (the rest are counted), so a big cluster stays cheap to draw.
const ROWS_MAX: usize = 60;
const CLASSES: [(&str, &str); 3] = [
    (
        "Guaranteed",
        "every container sets CPU and memory limits equal to its requests: evicted last, never above its request",
    ),
    (
        "Burstable",
        "some requests or limits, not all equal: may use more than it requests, and is then evicted before pods within theirs",
    ),
    (
        "BestEffort",
        "no requests or limits at all: any memory it uses is above its request of 0, so it goes first under pressure",
    ),
];

#[derive(Properties, PartialEq)]
pub struct QosPanelProps {
    pub timeline: Shared<Timeline>,
    /// Index of the snapshot at the current time.
    pub index: Option<usize>,
    pub t: f64,
    /// The node the pressure control and eviction order are for (`None`: the first).
    pub node: Option<String>,
    /// The session's steps: the control shows the pressure in effect at `t`.
    pub steps: Rc<[SessionStep]>,
    pub dispatcher: UseReducerDispatcher<State>,
}

/// A sum over containers, or `None` when one of them has no value (no pod-level limit).
fn all_of(values: impl Iterator<Item = Option<i64>>) -> Option<i64> {
    values.sum()
}

fn millicores(m: i64) -> String {
    format!("{m}m")
}

/// `request / limit` of one resource.
fn req_lim(request: i64, limit: Option<i64>, fmt: fn(i64) -> String) -> String {
    let request = if request > 0 {
        fmt(request)
    } else {
        "–".into()
    };
    format!("{request} / {}", limit.map_or_else(|| "–".into(), fmt))
}

/// The pod's state as `kubectl get pods` shows it, with the last termination when it
/// explains a restart (`CrashLoopBackOff · last OOMKilled, exit 137`); and the exit code.
fn state_of(p: &PodView) -> (String, Option<i32>) {
    let status = pod_status(p);
    if status == "Evicted" {
        // The pod's reason wins, as in `kubectl get pods`; its containers were stopped.
        let code = p.containers.iter().find_map(|c| c.exit_code);
        return (status, code);
    }
    for c in &p.containers {
        if let (Some(reason), Some(code)) = (&c.reason, c.exit_code) {
            return (format!("{reason}, exit {code}"), Some(code));
        }
        if let (Some(reason), Some(code)) = (&c.last_reason, c.last_exit_code) {
            return (format!("{status} · last {reason}, exit {code}"), Some(code));
        }
    }
    (status, None)
}

fn pod_row(p: &PodView, t: f64) -> Html {
    let specs = &p.template.0.containers;
    let used = pod_memory_at(p, t);
    let memory_limit = all_of(specs.iter().map(|c| c.memory_limit));
    let cpu_limit = all_of(specs.iter().map(|c| c.cpu_limit_milli));
    // What the app asks for beyond a limit: the reason of an OOM kill.
    let over: Option<i64> = specs
        .iter()
        .map(|c| (wanted(c, &p.template.0.app), c.memory_limit))
        .find(|(w, l)| l.is_some_and(|l| *w > l))
        .map(|(w, _)| w);
    let (state, exit) = state_of(p);
    let (class, icon) = pod_state(p);
    html! {
        <tr key={p.name.clone()} data-testid="qos-pod" data-pod={p.name.clone()} data-qos={p.qos}
            data-status={state.clone()} data-exit={exit.map(|c| c.to_string())}>
            <td>{&p.name}</td>
            <td>{p.node.clone().unwrap_or_else(|| "–".into())}</td>
            <td>{req_lim(p.cpu_request_milli, cpu_limit, millicores)}</td>
            <td>{req_lim(p.memory_request, memory_limit, human_bytes)}</td>
            <td data-testid="qos-memory" data-bytes={used.to_string()}>
                {human_bytes(used)}
                if let Some(w) = over {
                    <span class="qos-over">{format!(" (asks {})", human_bytes(w))}</span>
                }
            </td>
            <td class={classes!("qos-state", format!("pod-{class}"))}><span aria-hidden="true">{icon}{" "}</span>{state}</td>
        </tr>
    }
}

fn group(class: &str, why: &str, pods: &[&Rc<PodView>], t: f64) -> Html {
    let shown = pods.len().min(ROWS_MAX);
    html! {
        <section class="qos-group" key={class.to_owned()} data-testid="qos-group" data-qos={class.to_owned()}
            aria-labelledby={format!("qos-{class}")}>
            <h3 id={format!("qos-{class}")}>{format!("{class} ({})", pods.len())}</h3>
            <p class="qos-why">{why}</p>
            if pods.is_empty() {
                <p class="empty">{"none"}</p>
            } else {
                <table class="qos-table">
                    <thead><tr>
                        <th scope="col">{"pod"}</th><th scope="col">{"node"}</th>
                        <th scope="col">{"CPU request / limit"}</th><th scope="col">{"memory request / limit"}</th>
                        <th scope="col">{"memory now"}</th><th scope="col">{"state"}</th>
                    </tr></thead>
                    <tbody>
                        for p in pods.iter().take(shown) { {pod_row(p, t)} }
                    </tbody>
                </table>
                if pods.len() > shown {
                    <p class="empty">{format!("and {} more", pods.len() - shown)}</p>
                }
            }
        </section>
    }
}

fn node_line(node: &NodeView, m: &NodeMemory) -> Html {
    let low = m.available < m.threshold;
    #[allow(clippy::cast_precision_loss)]
    let pct = (m.used as f64 / m.capacity.max(1) as f64 * 100.0).clamp(0.0, 100.0);
    #[allow(clippy::cast_precision_loss)]
    let threshold_pct = 100.0 - m.threshold as f64 / m.capacity.max(1) as f64 * 100.0;
    let text = format!(
        "{}: {} of {} in use; memory.available {} (eviction threshold {}){}",
        node.name,
        human_bytes(m.used),
        human_bytes(m.capacity),
        human_bytes(m.available),
        human_bytes(m.threshold),
        match (node.memory_pressure, low) {
            (true, true) => {
                ": MemoryPressure, the kubelet evicts one pod per check and checks again once it is gone"
            }
            (true, false) => {
                ": MemoryPressure until 5 min after the last shortage; pods that do not tolerate its taint are not scheduled here"
            }
            (false, true) =>
                ": below the threshold, the kubelet's next check (every 10 s) evicts a pod",
            (false, false) => "",
        }
    );
    html! {
        <div class="node-memory" data-testid="node-memory" data-available={m.available.to_string()}
            data-pressure={node.memory_pressure.to_string()}>
            <span class={classes!("res-bar", "mem-bar", low.then_some("over"))} role="meter" aria-label={format!("memory in use on {}", node.name)}
                aria-valuemin="0" aria-valuemax="100" aria-valuenow={format!("{pct:.0}")} aria-valuetext={text.clone()}>
                <span class="res-fill" style={format!("width:{pct:.1}%")} />
                <span class="mem-threshold" style={format!("left:{threshold_pct:.1}%")} />
            </span>
            <p class="node-memory-text">{text}</p>
        </div>
    }
}

fn eviction_list(snap: &Snapshot, node: &str, t: f64) -> Html {
    let order = eviction_order(snap, node, t);
    let evicted: Vec<&Rc<PodView>> = snap
        .pods
        .iter()
        .filter(|p| p.node.as_deref() == Some(node) && p.reason.as_deref() == Some("Evicted"))
        .collect();
    html! {
        <section class="eviction" aria-labelledby="eviction-title">
            <h3 id="eviction-title">{format!("Eviction order on {node} under memory pressure")}</h3>
            <p class="qos-why">{"The kubelet checks memory every 10 s and evicts one pod per check, ranked by: memory use above the request first, then lower priority, then how far above the request (pkg/kubelet/eviction rankMemoryPressure). After an eviction it checks again as soon as the pod is gone."}</p>
            if order.is_empty() {
                <p class="empty">{"No running pod on this node."}</p>
            } else {
                <ol class="eviction-order" data-testid="eviction-order">
                    for r in order.iter().take(ROWS_MAX) {
                        <li key={r.pod.name.clone()} data-pod={r.pod.name.clone()} data-qos={r.pod.qos}
                            data-exceeds={r.exceeds.to_string()} data-critical={r.critical.to_string()}>
                            <strong>{&r.pod.name}</strong>
                            {format!(" ({}): uses {}, requests {}{}{}", r.pod.qos, human_bytes(r.usage), human_bytes(r.request),
                                if r.exceeds { format!(", {} above its request", human_bytes(r.usage - r.request)) } else { String::new() },
                                if r.critical { "; critical, never evicted by the kubelet" } else { "" })}
                        </li>
                    }
                </ol>
            }
            if !evicted.is_empty() {
                <p class="evicted" data-testid="evicted">{format!("Evicted so far: {}", evicted.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", "))}</p>
            }
        </section>
    }
}

#[component]
pub fn QosPanel(props: &QosPanelProps) -> Html {
    let Some(snap) = props.index.and_then(|i| props.timeline.timeline.get(i)) else {
        return html! {
            <div class="qos" data-testid="qos-panel">
                <p class="empty">{"Nothing simulated yet: pods appear here by QoS class when the manifest applies."}</p>
            </div>
        };
    };
    let node = props
        .node
        .as_deref()
        .and_then(|n| snap.nodes.iter().find(|x| x.name == n))
        .or_else(|| snap.nodes.first());
    let select = {
        let d = props.dispatcher.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            d.dispatch(Action::Play(PlayAction::QosNode(s.value())));
        })
    };
    let pressure = node.map(|n| {
        let other = step_value_at(&props.steps, props.t, |a| match a {
            SimAction::MemoryPressure { node, bytes } if *node == n.name => Some(*bytes),
            _ => None,
        })
        .unwrap_or(n.memory_other);
        let on_change = {
            let d = props.dispatcher.clone();
            let node = n.name.clone();
            Callback::from(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                if let Ok(mi) = input.value().parse::<i64>() {
                    d.dispatch(Action::Play(PlayAction::MemoryPressure {
                        node: node.clone(),
                        bytes: mi * MI,
                    }));
                }
            })
        };
        let memory = node_memory_at(snap, n, props.t);
        html! {
            <>
                <div class="qos-pressure">
                    <label for="pressure">{format!("Memory pressure: what other processes use on {}, from {} on", n.name, format_t(props.t))}</label>
                    <input type="range" id="pressure" data-testid="pressure-slider" min="0" max={(n.memory / MI).to_string()}
                        step="64" value={(other / MI).to_string()} aria-valuetext={human_bytes(other)} onchange={on_change} />
                    <output for="pressure" data-testid="pressure-value">{human_bytes(other)}</output>
                </div>
                {node_line(n, &memory)}
                {eviction_list(snap, &n.name, props.t)}
            </>
        }
    });
    html! {
        <div class="qos" data-testid="qos-panel">
            <div class="qos-head">
                <label>{"Node "}
                    <select data-testid="qos-node" onchange={select}>
                        for n in &snap.nodes {
                            <option value={n.name.clone()} selected={node.is_some_and(|x| x.name == n.name)}>{&n.name}</option>
                        }
                    </select>
                </label>
            </div>
            {pressure.unwrap_or_default()}
            for (class, why) in CLASSES {
                {{
                    let pods: Vec<&Rc<PodView>> = snap.pods.iter().filter(|p| p.qos == class).collect();
                    group(class, why, &pods, props.t)
                }}
            }
        </div>
    }
}
