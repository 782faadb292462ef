//! The Rollout panel: for one Deployment, each ReplicaSet's size stepping over the run, the
//! band between minimum-available and maximum-total pods shaded, available pods drawn
//! against it, and the revision (a `rollout undo` shows as a revision change).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::rc::Rc;

use kubeplay_core::sim::Timeline;
use yew::prelude::*;

use crate::chart::{Frame, step_path};
use crate::play::{PlayAction, Shared, format_t};
use crate::state::{Action, State};

const W: f64 = 560.0;
const H: f64 = 220.0;
const PAD_L: f64 = 34.0;
const PAD_R: f64 = 10.0;
const PAD_T: f64 = 10.0;
const PAD_B: f64 = 24.0;

#[derive(Properties, PartialEq)]
pub struct RolloutPanelProps {
    pub timeline: Shared<Timeline>,
    pub t: f64,
    pub until: f64,
    pub deployment: Option<String>,
    pub dispatcher: UseReducerDispatcher<State>,
}

/// One sample per change: (t, min_available, max_total, available, revision).
#[derive(Default, PartialEq)]
struct Series {
    band: Vec<(f64, i64, i64, i64, i64)>,
    /// ReplicaSet name → samples of (t, replicas, revision). The revision is sampled too:
    /// `rollout undo` reuses the old ReplicaSet and gives it the next revision number.
    sets: BTreeMap<String, Vec<(f64, i64, i64)>>,
    ymax: i64,
}

fn series(timeline: &Timeline, name: &str) -> Series {
    let mut s = Series::default();
    for snap in &timeline.timeline {
        let Some(d) = snap.deployments.iter().find(|d| d.name == name) else {
            continue;
        };
        let sample = (
            snap.t,
            d.min_available,
            d.max_total,
            d.available_replicas,
            d.revision,
        );
        if s.band
            .last()
            .is_none_or(|l| (l.1, l.2, l.3, l.4) != (sample.1, sample.2, sample.3, sample.4))
        {
            s.band.push(sample);
        }
        s.ymax = s.ymax.max(d.max_total).max(d.replicas);
        for rs in snap
            .replica_sets
            .iter()
            .filter(|r| r.deployment.as_deref() == Some(name))
        {
            let samples = s.sets.entry(rs.name.clone()).or_default();
            if samples
                .last()
                .is_none_or(|l| (l.1, l.2) != (rs.replicas, rs.revision))
            {
                samples.push((snap.t, rs.replicas, rs.revision));
            }
        }
    }
    s.ymax = s.ymax.max(1);
    s
}

/// Replica counts as chart values.
#[allow(clippy::cast_precision_loss)]
fn pods(points: impl Iterator<Item = (f64, i64)>) -> impl Iterator<Item = (f64, Option<f64>)> {
    points.map(|(t, v)| (t, Some(v as f64)))
}

#[component]
pub fn RolloutPanel(props: &RolloutPanelProps) -> Html {
    let names: Vec<String> = {
        let mut v: Vec<String> = Vec::new();
        for snap in &props.timeline.timeline {
            for d in &snap.deployments {
                if !v.contains(&d.name) {
                    v.push(d.name.clone());
                }
            }
        }
        v
    };
    let name = props.deployment.clone().unwrap_or_default();
    let data = use_memo((props.timeline.clone(), name.clone()), |(tl, n)| {
        Rc::new(series(tl, n))
    });
    if names.is_empty() {
        return html! {
            <div class="rollout" data-testid="rollout-panel">
                <p class="empty">{"No Deployment in the manifest: add one to watch its rollouts."}</p>
            </div>
        };
    }
    let select = {
        let d = props.dispatcher.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            d.dispatch(Action::Play(PlayAction::SelectDeployment(s.value())));
        })
    };
    let sc = Frame {
        left: PAD_L,
        right: W - PAD_R,
        top: PAD_T,
        bottom: H - PAD_B,
        until: props.until.max(1.0),
        #[allow(clippy::cast_precision_loss)]
        ymax: data.ymax as f64,
    };
    let end = props.until;
    // Band polygon: max_total along the top, min_available back along the bottom.
    let band = {
        let top = step_path(&sc, pods(data.band.iter().map(|b| (b.0, b.2))), end);
        let mut bottom: Vec<(f64, i64)> = Vec::new();
        for (i, b) in data.band.iter().enumerate() {
            let next_t = data.band.get(i + 1).map_or(end, |n| n.0);
            bottom.push((b.0, b.1));
            bottom.push((next_t, b.1));
        }
        let mut d = top;
        for (t, v) in bottom.iter().rev() {
            #[allow(clippy::cast_precision_loss)]
            let _ = write!(d, "L{:.1},{:.1}", sc.x(*t), sc.y(*v as f64));
        }
        d.push('Z');
        d
    };
    let available = step_path(&sc, pods(data.band.iter().map(|b| (b.0, b.3))), end);
    let now = data.band.iter().rev().find(|b| b.0 <= props.t);
    let revision_now = now.map_or(0, |b| b.4);
    let cursor = sc.x(props.t);
    // Revision changes, marked on the chart.
    let mut changes: Vec<(f64, i64)> = Vec::new();
    for b in &data.band {
        if changes.last().is_none_or(|c| c.1 != b.4) {
            changes.push((b.0, b.4));
        }
    }
    // (value, y) of each grid line.
    let ticks: Vec<(i64, f64)> = {
        let step = (data.ymax / 4).max(1);
        #[allow(clippy::cast_precision_loss)]
        (0..=data.ymax)
            .step_by(usize::try_from(step).unwrap_or(1))
            .map(|v| (v, sc.y(v as f64)))
            .collect()
    };
    // Each ReplicaSet as it is at the cursor: (name, revision, pods); the one carrying the
    // Deployment's current revision is the current one (solid line).
    let sizes_now: Vec<(String, i64, i64)> = data
        .sets
        .iter()
        .filter_map(|(n, pts)| {
            let p = pts.iter().rev().find(|p| p.0 <= props.t)?;
            Some((n.clone(), p.2, p.1))
        })
        .collect();
    let current = |n: &String| {
        sizes_now
            .iter()
            .any(|(m, rev, _)| m == n && *rev == revision_now)
    };
    let summary = now.map_or_else(
        || "not created yet".to_owned(),
        |b| format!("revision {}, {} available (band {}–{})", b.4, b.3, b.1, b.2),
    );

    html! {
        <div class="rollout" data-testid="rollout-panel">
            <div class="rollout-head">
                <label>{"Deployment "}
                    <select data-testid="rollout-deployment" onchange={select}>
                        for n in &names {
                            <option value={n.clone()} selected={*n == name}>{n}</option>
                        }
                    </select>
                </label>
                <span class="rollout-summary" data-testid="rollout-summary" data-revision={revision_now.to_string()}
                    data-available={now.map(|b| b.3.to_string())} data-min={now.map(|b| b.1.to_string())}
                    data-max={now.map(|b| b.2.to_string())}>
                    {format!("{} at {}: {summary}", name, format_t(props.t))}
                </span>
            </div>
            <svg class="rollout-chart" viewBox={format!("0 0 {W} {H}")} role="img"
                aria-label={format!("ReplicaSet sizes of {name} over time; {summary}")}>
                for (v, y) in ticks {
                    <g key={v}>
                        <line class="grid" x1={PAD_L.to_string()} x2={(W - PAD_R).to_string()} y1={y.to_string()} y2={y.to_string()} />
                        <text class="axis" x={(PAD_L - 6.0).to_string()} y={(y + 4.0).to_string()} text-anchor="end">{v}</text>
                    </g>
                }
                <path class="band" d={band} />
                for (i, (n, pts)) in data.sets.iter().enumerate() {
                    <path key={n.clone()} class={classes!("rs-line", if current(n) { "rs-new" } else { "rs-old" }, format!("rs-{}", i % 4))}
                        data-rs={n.clone()} d={step_path(&sc, pods(pts.iter().map(|p| (p.0, p.1))), end)} />
                }
                <path class="avail-line" d={available} />
                for (t, rev) in changes.iter() {
                    <g key={format!("rev-{t}")}>
                        <line class="rev-mark" x1={sc.x(*t).to_string()} x2={sc.x(*t).to_string()} y1={PAD_T.to_string()} y2={(H - PAD_B).to_string()} />
                        <text class="rev-label" x={(sc.x(*t) + 3.0).to_string()} y={(PAD_T + 9.0).to_string()}>{format!("rev {rev}")}</text>
                    </g>
                }
                <line class="cursor" x1={cursor.to_string()} x2={cursor.to_string()} y1={PAD_T.to_string()} y2={(H - PAD_B).to_string()} />
                <text class="axis" x={PAD_L.to_string()} y={(H - 6.0).to_string()}>{"0s"}</text>
                <text class="axis" x={(W - PAD_R).to_string()} y={(H - 6.0).to_string()} text-anchor="end">{format_t(end).trim_start_matches("t=").to_owned()}</text>
            </svg>
            <ul class="rollout-legend">
                <li><span class="sw sw-band" />{"band: min available … max total (maxUnavailable / maxSurge)"}</li>
                <li><span class="sw sw-avail" />{"available pods"}</li>
                <li><span class="sw sw-new" />{"current ReplicaSet at the cursor (solid)"}</li>
                <li><span class="sw sw-old" />{"other ReplicaSets (dashed)"}</li>
            </ul>
            <table class="rs-table" data-testid="rs-table">
                <thead><tr><th>{"ReplicaSet"}</th><th>{"revision"}</th><th>{"pods now"}</th></tr></thead>
                <tbody>
                    for (n, rev, v) in sizes_now {
                        <tr key={n.clone()} data-rs={n.clone()} data-revision={rev.to_string()} data-pods={v.to_string()}
                            class={classes!((rev == revision_now).then_some("rs-current"))}>
                            <td>{n}</td><td>{rev}</td><td>{v}</td>
                        </tr>
                    }
                </tbody>
            </table>
        </div>
    }
}
