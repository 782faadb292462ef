//! The Cluster panel: nodes with requested vs allocatable CPU and memory, the pods the
//! scheduler placed on each (in slots they keep for life), and a Pending lane with the
//! scheduler's reason. Each pod reads without colour: an icon, its QoS letter and restarts.

use kubeplay_core::kubectl::pod_status;
use kubeplay_core::sim::timeline::{NodeView, PodView};
use kubeplay_core::sim::{Snapshot, Timeline};
use yew::prelude::*;

use crate::play::{Layout, Shared};

#[derive(Properties, PartialEq)]
pub struct ClusterPanelProps {
    pub timeline: Shared<Timeline>,
    pub layout: Shared<Layout>,
    /// Index of the snapshot at the current time.
    pub index: Option<usize>,
}

/// What a pod is doing, as a word, an icon and a class.
#[must_use]
pub fn pod_state(p: &PodView) -> (&'static str, &'static str) {
    let status = pod_status(p);
    if p.terminating {
        return ("terminating", "↓");
    }
    if p.node.is_none() {
        return ("pending", "○");
    }
    match status.as_str() {
        "Succeeded" | "Completed" => ("done", "✔"),
        s if s.contains("CrashLoop")
            || s.contains("OOM")
            || s.contains("Error")
            || s == "Failed"
            || s == "Evicted" =>
        {
            ("crash", "✕")
        }
        s if s.contains("ImagePull") || s.contains("ErrImage") => ("crash", "✕"),
        _ if p.ready => ("ready", "✓"),
        _ => ("starting", "…"),
    }
}

fn qos_letter(qos: &str) -> &'static str {
    match qos {
        "Guaranteed" => "G",
        "Burstable" => "B",
        _ => "BE",
    }
}

fn mib(bytes: i64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let m = bytes as f64 / (1024.0 * 1024.0);
    if m >= 1024.0 {
        format!("{:.1}Gi", m / 1024.0)
    } else {
        format!("{m:.0}Mi")
    }
}

fn bar(label: &str, used: i64, total: i64, text: String) -> Html {
    #[allow(clippy::cast_precision_loss)]
    let pct = if total > 0 {
        (used as f64 / total as f64 * 100.0).clamp(0.0, 100.0)
    } else {
        0.0
    };
    let over = used > total;
    html! {
        <div class="res">
            <span class="res-label">{label}</span>
            <span class={classes!("res-bar", over.then_some("over"))} role="meter" aria-label={format!("{label} requested")}
                aria-valuemin="0" aria-valuemax="100" aria-valuenow={format!("{pct:.0}")} aria-valuetext={text.clone()}>
                <span class="res-fill" style={format!("width:{pct:.1}%")} />
            </span>
            <span class="res-text">{text}</span>
        </div>
    }
}

fn pod_chip(p: &PodView, slot: usize, cols: usize) -> Html {
    let (state, icon) = pod_state(p);
    let status = pod_status(p);
    let qos = qos_letter(p.qos);
    let title = format!(
        "{}: {status}{}, QoS {}, {} restart{}{}",
        p.name,
        if p.ready { " (ready)" } else { "" },
        p.qos,
        p.restarts,
        if p.restarts == 1 { "" } else { "s" },
        p.node
            .as_ref()
            .map(|n| format!(", on {n}"))
            .unwrap_or_default()
    );
    let style = format!(
        "grid-column:{};grid-row:{}",
        slot % cols + 1,
        slot / cols + 1
    );
    html! {
        <li key={p.name.clone()} class={classes!("pod", format!("pod-{state}"))} style={style}
            title={title.clone()} aria-label={title} data-testid="pod" data-pod={p.name.clone()}
            data-status={status} data-ready={p.ready.to_string()} data-restarts={p.restarts.to_string()}>
            <span class="pod-icon" aria-hidden="true">{icon}</span>
            <span class="pod-qos" aria-hidden="true">{qos}</span>
            if p.restarts > 0 {
                <span class="pod-restarts" aria-hidden="true">{format!("↻{}", p.restarts)}</span>
            }
        </li>
    }
}

fn node_box(n: &NodeView, pods: &[&PodView], layout: &Layout, cols: usize) -> Html {
    let ready = pods.iter().filter(|p| p.ready).count();
    html! {
        <section class={classes!("node", n.unschedulable.then_some("cordoned"), n.memory_pressure.then_some("pressure"))}
            aria-label={format!("Node {}", n.name)} data-testid="node" data-node={n.name.clone()}>
            <header class="node-head">
                <span class="node-name">{&n.name}</span>
                if n.unschedulable { <span class="tag">{"cordoned"}</span> }
                if n.memory_pressure { <span class="tag tag-warn">{"MemoryPressure"}</span> }
                <span class="node-count">{format!("{ready}/{} ready", pods.len())}</span>
            </header>
            {bar("CPU", n.cpu_requested, n.cpu_milli, format!("{}m / {}m", n.cpu_requested, n.cpu_milli))}
            {bar("Mem", n.memory_requested, n.memory, format!("{} / {}", mib(n.memory_requested), mib(n.memory)))}
            <ul class="pods" style={format!("grid-template-columns:repeat({cols}, auto)")}>
                for p in pods {
                    {pod_chip(p, layout.slots.get(&p.name).copied().unwrap_or(0), cols)}
                }
            </ul>
        </section>
    }
}

fn legend() -> Html {
    html! {
        <p class="legend" aria-label="Legend">
            <span class="pod pod-ready"><span class="pod-icon">{"✓"}</span></span>{"ready"}
            <span class="pod pod-starting"><span class="pod-icon">{"…"}</span></span>{"starting"}
            <span class="pod pod-crash"><span class="pod-icon">{"✕"}</span></span>{"failing"}
            <span class="pod pod-pending"><span class="pod-icon">{"○"}</span></span>{"pending"}
            <span class="pod pod-terminating"><span class="pod-icon">{"↓"}</span></span>{"terminating"}
            <span class="legend-note">{"G/B/BE = QoS, ↻ = restarts"}</span>
        </p>
    }
}

fn render(snap: &Snapshot, layout: &Layout) -> Html {
    let most = snap
        .nodes
        .iter()
        .map(|n| {
            snap.pods
                .iter()
                .filter(|p| p.node.as_deref() == Some(n.name.as_str()))
                .count()
        })
        .max()
        .unwrap_or(0);
    // Wide grids for many pods, so 500 pods still fit.
    let cols = if most > 60 {
        14
    } else if most > 24 {
        10
    } else {
        6
    };
    let compact = most > 24;
    let pending: Vec<&PodView> = snap
        .pods
        .iter()
        .filter(|p| p.node.is_none())
        .map(AsRef::as_ref)
        .collect();
    html! {
        <>
            {legend()}
            <div class={classes!("nodes", compact.then_some("compact"))}>
                for n in &snap.nodes {
                    {{
                        let pods: Vec<&PodView> = snap.pods.iter()
                            .filter(|p| p.node.as_deref() == Some(n.name.as_str()))
                            .map(AsRef::as_ref).collect();
                        node_box(n, &pods, layout, cols)
                    }}
                }
            </div>
            <section class="pending-lane" aria-label="Pending pods" data-testid="pending-lane">
                <h3 class="lane-title">{format!("Pending ({})", pending.len())}</h3>
                if pending.is_empty() {
                    <p class="empty-small">{"Every pod is scheduled."}</p>
                } else {
                    <ul class="pending-list">
                        for p in pending.iter().take(50) {
                            <li key={p.name.clone()} class="pending-row" data-testid="pending-pod" data-pod={p.name.clone()}>
                                <span class="pod pod-pending" aria-hidden="true"><span class="pod-icon">{"○"}</span>
                                    <span class="pod-qos">{qos_letter(p.qos)}</span></span>
                                <span class="pending-name">{&p.name}</span>
                                <span class="pending-reason">{p.reason.clone().unwrap_or_else(|| "waiting for the scheduler".into())}</span>
                            </li>
                        }
                        if pending.len() > 50 {
                            <li class="pending-row">{format!("… and {} more", pending.len() - 50)}</li>
                        }
                    </ul>
                }
            </section>
        </>
    }
}

#[component]
pub fn ClusterPanel(props: &ClusterPanelProps) -> Html {
    let snap = props.index.and_then(|i| props.timeline.timeline.get(i));
    html! {
        <div class="cluster" data-testid="cluster-panel">
            if let Some(snap) = snap {
                {render(snap, &props.layout)}
            } else {
                <p class="empty">{"Nothing simulated yet: the cluster starts when the manifest applies."}</p>
            }
        </div>
    }
}
