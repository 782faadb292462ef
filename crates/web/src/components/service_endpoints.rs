//! Each Service at the current time: its ports and selector, and its EndpointSlice's
//! endpoints, ready (receiving traffic) or not (not Ready yet, or terminating), as the core's
//! `sim::endpoints::endpoints_of` lists them.

use kubeplay_core::sim::Timeline;
use kubeplay_core::sim::endpoints::{Endpoint, endpoints_of};
use kubeplay_core::sim::network::{NetService, Network};
use yew::prelude::*;

use crate::play::Shared;

#[derive(Properties, PartialEq)]
pub struct ServiceEndpointsProps {
    pub timeline: Shared<Timeline>,
    pub index: Option<usize>,
}

/// `80→http/TCP`, or `80:30080→8080/TCP` with a node port, as `kubectl get svc` prints
/// ports (with the target).
fn ports_of(svc: &NetService<'_>) -> String {
    svc.ports
        .iter()
        .map(|p| {
            let name = p
                .name
                .as_deref()
                .map(|n| format!("{n} "))
                .unwrap_or_default();
            let node = p.node_port.map(|n| format!(":{n}")).unwrap_or_default();
            format!("{name}{}{node}→{}/{}", p.port, p.target, p.protocol)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn selector_of(svc: &NetService<'_>) -> String {
    svc.selector.map_or_else(
        || "no selector".to_owned(),
        |s| {
            s.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        },
    )
}

/// The endpoint's state as a word and an icon (never colour alone).
const fn state_of(e: &Endpoint) -> (&'static str, &'static str, &'static str) {
    if e.ready {
        ("ready", "✓", "ready")
    } else if e.terminating {
        ("terminating", "↓", "not ready: terminating")
    } else {
        ("starting", "…", "not ready")
    }
}

fn endpoint_item(e: &Endpoint) -> Html {
    let (class, icon, word) = state_of(e);
    html! {
        <li key={e.pod.clone()} class={classes!("endpoint", format!("ep-{class}"))}
            data-testid="endpoint" data-pod={e.pod.clone()} data-ready={e.ready.to_string()}>
            <span class="ep-icon" aria-hidden="true">{icon}</span>
            <span class="ep-pod">{&e.pod}</span>
            <span class="ep-ip">{&e.ip}</span>
            <span class="ep-state">{word}</span>
        </li>
    }
}

fn service_card(net: &impl Network, svc: &NetService<'_>) -> Html {
    let endpoints = endpoints_of(net, svc);
    let ready = endpoints.iter().filter(|e| e.ready).count();
    let summary = if svc.selector.is_none() {
        "no selector: endpoints are not managed".to_owned()
    } else {
        format!(
            "{ready} ready of {} endpoint{}",
            endpoints.len(),
            if endpoints.len() == 1 { "" } else { "s" }
        )
    };
    html! {
        <li key={format!("{}/{}", svc.namespace, svc.name)} class="svc" data-testid="service"
            data-service={svc.name.to_owned()} data-ready={ready.to_string()}>
            <div class="svc-head">
                <span class="svc-name">{format!("service/{}", svc.name)}</span>
                if svc.namespace != "default" { <span class="tag">{svc.namespace}</span> }
                <span class="svc-count" data-testid="service-summary">{summary}</span>
            </div>
            <div class="svc-meta">
                <span>{"ports "}<code>{ports_of(svc)}</code></span>
                <span>{"selector "}<code>{selector_of(svc)}</code></span>
            </div>
            if svc.selector.is_some() {
                if endpoints.is_empty() {
                    <p class="empty-small">{"No pod matches the selector (or none has an IP yet)."}</p>
                } else {
                    <ul class="endpoints" aria-label={format!("Endpoints of service {}", svc.name)}>
                        for e in &endpoints { {endpoint_item(e)} }
                    </ul>
                }
            }
        </li>
    }
}

#[component]
pub fn ServiceEndpoints(props: &ServiceEndpointsProps) -> Html {
    let Some(snap) = props.index.and_then(|i| props.timeline.timeline.get(i)) else {
        return html! {};
    };
    let services: Vec<NetService<'_>> = Network::services(snap).collect();
    html! {
        <section class="traffic-section" aria-labelledby="traffic-services">
            <h3 class="section-title" id="traffic-services">{format!("Services ({})", services.len())}</h3>
            if services.is_empty() {
                <p class="empty-small">{"No Service in the manifest."}</p>
            } else {
                <ul class="svc-list">
                    for s in &services { {service_card(snap, s)} }
                </ul>
            }
        </section>
    }
}
