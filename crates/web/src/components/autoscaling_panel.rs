//! The Autoscaling panel: for each HorizontalPodAutoscaler, a load slider (the CPU each pod
//! of its target asks for, from the current time on: a `sim load` step, as the kubectl bar
//! would add it), the HPA's state at the current time, and its chart over the run with a
//! text alternative. Series come from `kubeplay_core::sim::hpa_series`, computed once per
//! simulation.

use std::rc::Rc;

use kubeplay_core::sim::hpa_series::{HpaSeries, describe_rescales, hpa_series};
use kubeplay_core::sim::timeline::clock;
use kubeplay_core::sim::{Action as SimAction, Timeline};
use yew::prelude::*;

use crate::components::hpa_chart::HpaChart;
use crate::play::{PlayAction, SessionStep, Shared, format_t, millis, step_value_at};
use crate::state::{Action, State};

#[derive(Properties, PartialEq)]
pub struct AutoscalingPanelProps {
    pub timeline: Shared<Timeline>,
    /// Index of the snapshot at the current time.
    pub index: Option<usize>,
    pub t: f64,
    pub until: f64,
    /// The session's steps: the load slider shows the load in effect at `t`.
    pub steps: Rc<[SessionStep]>,
    pub dispatcher: UseReducerDispatcher<State>,
}

/// Every HPA of the run, in the order they first appear.
fn all_series(timeline: &Timeline, until_ms: i64) -> Vec<Shared<HpaSeries>> {
    let mut names: Vec<&str> = Vec::new();
    for snap in &timeline.timeline {
        for h in &snap.hpas {
            if !names.contains(&h.name.as_str()) {
                names.push(&h.name);
            }
        }
    }
    names
        .into_iter()
        .filter_map(|n| hpa_series(timeline, n, until_ms))
        .map(|s| Shared(Rc::new(s)))
        .collect()
}

/// The text alternative of a chart: the rescales and the held scale-downs.
fn summary_of(s: &HpaSeries) -> String {
    let mut text = format!("hpa/{}: {}", s.name, describe_rescales(&s.rescales));
    for (from, to) in &s.stabilized {
        text.push_str(&format!(
            "; scale-down held by the {} s stabilization window from {} to {}",
            s.window_seconds,
            clock(*from),
            clock(*to)
        ));
    }
    text
}

#[component]
pub fn AutoscalingPanel(props: &AutoscalingPanelProps) -> Html {
    let until_ms = millis(props.until);
    let series = use_memo((props.timeline.clone(), until_ms), |(tl, until)| {
        all_series(tl, *until)
    });
    if series.is_empty() {
        return html! {
            <div class="autoscaling" data-testid="autoscaling-panel">
                <p class="empty">{"No HorizontalPodAutoscaler in the manifest: add one (autoscaling/v2, a CPU target and a Deployment with CPU requests) to watch it scale under load."}</p>
            </div>
        };
    }
    let snap = props.index.and_then(|i| props.timeline.timeline.get(i));
    html! {
        <div class="autoscaling" data-testid="autoscaling-panel">
            for s in series.iter() {
                {hpa_card(props, s, snap.and_then(|snap| snap.hpas.iter().find(|h| h.name == s.name)))}
            }
        </div>
    }
}

fn hpa_card(
    props: &AutoscalingPanelProps,
    s: &Shared<HpaSeries>,
    now: Option<&kubeplay_core::sim::timeline::HpaView>,
) -> Html {
    let name = s.name.clone();
    let target = s
        .reference
        .split_once('/')
        .map_or(s.reference.as_str(), |(_, n)| n)
        .to_owned();
    let request = s.request_milli.unwrap_or(100).max(1);
    let load = step_value_at(&props.steps, props.t, |a| match a {
        SimAction::Load {
            deployment,
            cpu_milli,
        } if *deployment == target => Some(*cpu_milli),
        _ => None,
    })
    .or_else(|| now.and_then(|h| h.cpu.as_ref()).map(|c| c.demand_milli))
    .unwrap_or(request);
    let max = (request * 4).max(200).max(load);
    let step = (request / 20).max(1);
    let load_text = format!(
        "{load}m per pod, {}% of the {request}m request",
        load * 100 / request
    );
    let on_load = {
        let d = props.dispatcher.clone();
        let deployment = target.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(cpu_milli) = input.value().parse::<i64>() {
                d.dispatch(Action::Play(PlayAction::Load {
                    deployment: deployment.clone(),
                    cpu_milli,
                }));
            }
        })
    };
    let id = format!("load-{name}");
    let status = now.map_or_else(
        || format!("At {}: not created yet.", format_t(props.t)),
        |h| {
            let util = h.current_utilization.map_or_else(
                || "no metric yet".to_owned(),
                |u| format!("utilization {u}%"),
            );
            format!(
                "At {}: {} replicas, desired {}; {util}{}.",
                format_t(props.t),
                h.current_replicas,
                h.desired_replicas,
                s.target
                    .map(|t| format!(" (target {t}%)"))
                    .unwrap_or_default()
            )
        },
    );
    let summary = summary_of(s);
    html! {
        <section class="hpa-card" key={name.clone()} data-testid="hpa" data-hpa={name.clone()}
            aria-labelledby={format!("hpa-title-{name}")}>
            <h3 class="hpa-title" id={format!("hpa-title-{name}")}>
                {format!("hpa/{name}")}
                <span class="hpa-spec">{format!(" → {} · min {} · max {}{}", s.reference, s.min_replicas, s.max_replicas,
                    s.target.map(|t| format!(" · target {t}% CPU")).unwrap_or_default())}</span>
            </h3>
            <div class="hpa-load">
                <label for={id.clone()}>{format!("Load: CPU each pod of {target} asks for, from {} on", format_t(props.t))}</label>
                <input type="range" id={id.clone()} data-testid="load-slider" min="0" max={max.to_string()}
                    step={step.to_string()} value={load.to_string()} aria-valuetext={load_text.clone()}
                    onchange={on_load} />
                <output for={id} data-testid="load-value" data-milli={load.to_string()}>{load_text}</output>
            </div>
            <p class="hpa-now" data-testid="hpa-now" data-current={now.map(|h| h.current_replicas.to_string())}
                data-desired={now.map(|h| h.desired_replicas.to_string())}
                data-utilization={now.and_then(|h| h.current_utilization).map(|u| u.to_string())}>{status}</p>
            <HpaChart series={s.clone()} t={props.t} until={props.until} summary={AttrValue::from(summary.clone())} />
            <ul class="rollout-legend hpa-legend">
                <li><span class="sw sw-load" />{"load (asked for)"}</li>
                <li><span class="sw sw-util" />{"utilization (measured, capped by limits)"}</li>
                <li><span class="sw sw-target" />{"target"}</li>
                <li><span class="sw sw-current" />{"current replicas"}</li>
                <li><span class="sw sw-desired" />{"desired replicas"}</li>
                <li><span class="sw sw-stab" />{format!("scale-down held by the {} s stabilization window", s.window_seconds)}</li>
            </ul>
            <p class="hpa-summary" data-testid="hpa-summary">{summary}</p>
        </section>
    }
}
