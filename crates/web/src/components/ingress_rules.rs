//! The Ingress rules at the current time: host, path and pathType, and the Service port each
//! sends to; default backends last.

use kubeplay_core::sim::Timeline;
use kubeplay_core::sim::ingress::{Backend, Ingress};
use kubeplay_core::sim::network::Network;
use yew::prelude::*;

use crate::play::Shared;

#[derive(Properties, PartialEq)]
pub struct IngressRulesProps {
    pub timeline: Shared<Timeline>,
    pub index: Option<usize>,
}

/// `api:80`, or what is missing.
fn backend_text(b: Option<&Backend>) -> String {
    match b {
        Some(b) => match &b.port {
            Some(p) => format!("{}:{p}", b.service),
            None => b.service.clone(),
        },
        None => "(no Service backend)".to_owned(),
    }
}

fn rows(ing: &Ingress) -> Html {
    let paths = ing
        .rules
        .iter()
        .flat_map(|r| r.paths.iter().map(move |p| (r.host.as_deref(), p)));
    html! {
        <>
            for (i, (host, p)) in paths.enumerate() {
                <tr key={format!("{}-{i}", ing.name)} data-testid="ingress-rule">
                    <td>{&ing.name}</td>
                    <td>{host.unwrap_or("* (any host)")}</td>
                    <td>{&p.path}</td>
                    <td>{p.path_type.as_str()}</td>
                    <td>{backend_text(p.backend.as_ref())}</td>
                </tr>
            }
            if let Some(b) = &ing.default_backend {
                <tr key={format!("{}-default", ing.name)} data-testid="ingress-rule">
                    <td>{&ing.name}</td>
                    <td colspan="3">{"defaultBackend (anything no rule matches)"}</td>
                    <td>{backend_text(Some(b))}</td>
                </tr>
            }
        </>
    }
}

#[component]
pub fn IngressRules(props: &IngressRulesProps) -> Html {
    let Some(snap) = props.index.and_then(|i| props.timeline.timeline.get(i)) else {
        return html! {};
    };
    let ingresses: Vec<&Ingress> = snap.ingresses().collect();
    html! {
        <section class="traffic-section" aria-labelledby="traffic-ingress">
            <h3 class="section-title" id="traffic-ingress">{format!("Ingress rules ({} Ingress{})", ingresses.len(), if ingresses.len() == 1 { "" } else { "es" })}</h3>
            if ingresses.is_empty() {
                <p class="empty-small">{"No Ingress: requests from outside the cluster get a 404 from the Ingress controller."}</p>
            } else {
                <table class="kp-table ingress-table">
                    <thead>
                        <tr>
                            <th scope="col">{"Ingress"}</th>
                            <th scope="col">{"Host"}</th>
                            <th scope="col">{"Path"}</th>
                            <th scope="col">{"Path type"}</th>
                            <th scope="col">{"Service:port"}</th>
                        </tr>
                    </thead>
                    <tbody>
                        for ing in &ingresses { {rows(ing)} }
                    </tbody>
                </table>
            }
        </section>
    }
}
