//! The Traffic panel: at the current time, each Service with its endpoints (ready or not),
//! the Ingress rules, a request tester that routes a host and path as the Ingress controller
//! would, and NetworkPolicy's "who can reach whom". Everything is answered by the core
//! (`sim::endpoints`, `sim::ingress::route`, `sim::reach_matrix`) from the snapshot shown.

use kubeplay_core::sim::Timeline;
use yew::prelude::*;

use crate::components::ingress_rules::IngressRules;
use crate::components::reach_table::ReachTable;
use crate::components::request_tester::RequestTester;
use crate::components::service_endpoints::ServiceEndpoints;
use crate::play::{RequestQuery, Shared};
use crate::state::State;

#[derive(Properties, PartialEq)]
pub struct TrafficPanelProps {
    pub timeline: Shared<Timeline>,
    /// Index of the snapshot at the current time.
    pub index: Option<usize>,
    /// What the request tester asks.
    pub query: RequestQuery,
    pub dispatcher: UseReducerDispatcher<State>,
}

#[component]
pub fn TrafficPanel(props: &TrafficPanelProps) -> Html {
    let has_snapshot = props
        .index
        .and_then(|i| props.timeline.timeline.get(i))
        .is_some();
    html! {
        <div class="traffic" data-testid="traffic-panel">
            if has_snapshot {
                <ServiceEndpoints timeline={props.timeline.clone()} index={props.index} />
                <IngressRules timeline={props.timeline.clone()} index={props.index} />
                <RequestTester timeline={props.timeline.clone()} index={props.index}
                    query={props.query.clone()} dispatcher={props.dispatcher.clone()} />
                <ReachTable timeline={props.timeline.clone()} index={props.index} />
            } else {
                <p class="empty">{"Nothing simulated yet: Services, Ingresses and NetworkPolicies appear when the manifest applies."}</p>
            }
        </div>
    }
}
