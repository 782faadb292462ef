//! One HPA's chart: the load its pods ask for and the utilisation it measured, as % of the
//! CPU request, against the target line; current and desired replicas below; the stretches
//! where the scale-down stabilisation window held the replicas shaded across both. Drawn
//! from `kubeplay_core::sim::hpa_series`; only the cursor moves while playing.

use std::rc::Rc;

use kubeplay_core::sim::hpa_series::HpaSeries;
use yew::prelude::*;

use crate::chart::{Frame, step_path};
use crate::play::{Shared, format_t};

const W: f64 = 560.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 550.0;
/// The % plot and the replicas plot, top to bottom.
const CPU_TOP: f64 = 12.0;
const CPU_BOTTOM: f64 = 140.0;
const PODS_TOP: f64 = 170.0;
const PODS_BOTTOM: f64 = 270.0;
const H: f64 = 292.0;

#[derive(Properties, PartialEq)]
pub struct HpaChartProps {
    pub series: Shared<HpaSeries>,
    pub t: f64,
    pub until: f64,
    /// The chart's text alternative (what the rescales were).
    pub summary: AttrValue,
}

/// Everything but the cursor, computed once per simulation.
#[derive(PartialEq)]
struct Drawing {
    load: String,
    utilization: String,
    current: String,
    desired: String,
    /// (x, width) of each held scale-down.
    stabilized: Vec<(f64, f64)>,
    /// (label, y) of the grid lines of each plot.
    cpu_ticks: Vec<(i64, f64)>,
    pod_ticks: Vec<(i64, f64)>,
    target_y: Option<f64>,
    max_y: f64,
    until: f64,
}

fn frames(s: &HpaSeries, until: f64) -> (Frame, Frame) {
    let percent = ((s.percent_max + 49) / 50 * 50).max(100);
    let frame = |top, bottom, ymax: i64| Frame {
        left: LEFT,
        right: RIGHT,
        top,
        bottom,
        until,
        #[allow(clippy::cast_precision_loss)]
        ymax: ymax as f64,
    };
    (
        frame(CPU_TOP, CPU_BOTTOM, percent),
        frame(PODS_TOP, PODS_BOTTOM, s.replicas_max.max(1)),
    )
}

/// Grid values 0, step, 2×step … up to `ymax` (about four lines).
#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
fn ticks(frame: &Frame, unit: i64) -> Vec<(i64, f64)> {
    let ymax = frame.ymax as i64;
    let step = ((ymax / 4 + unit - 1) / unit * unit).max(1);
    (0..=ymax)
        .step_by(usize::try_from(step).unwrap_or(1))
        .map(|v| (v, frame.y(v as f64)))
        .collect()
}

#[allow(clippy::cast_precision_loss)]
fn draw(s: &HpaSeries, until: f64) -> Drawing {
    let (cpu, pods) = frames(s, until);
    let secs = |ms: i64| ms as f64 / 1000.0;
    let line =
        |frame: &Frame,
         value: &dyn Fn(&kubeplay_core::sim::hpa_series::HpaPoint) -> Option<i64>| {
            step_path(
                frame,
                s.points
                    .iter()
                    .map(|p| (secs(p.t_ms), value(p).map(|v| v as f64))),
                until,
            )
        };
    Drawing {
        load: line(&cpu, &|p| p.load),
        utilization: line(&cpu, &|p| p.utilization),
        current: line(&pods, &|p| Some(p.current)),
        desired: line(&pods, &|p| Some(p.desired)),
        stabilized: s
            .stabilized
            .iter()
            .map(|&(from, to)| {
                let x = cpu.x(secs(from));
                (x, (cpu.x(secs(to)) - x).max(1.0))
            })
            .collect(),
        cpu_ticks: ticks(&cpu, 50),
        pod_ticks: ticks(&pods, 1),
        target_y: s.target.map(|t| cpu.y(t as f64)),
        max_y: pods.y(s.max_replicas as f64),
        until,
    }
}

fn grid(ticks: &[(i64, f64)], suffix: &str) -> Html {
    html! {
        <>
            for (v, y) in ticks.iter().copied() {
                <g key={v}>
                    <line class="grid" x1={LEFT.to_string()} x2={RIGHT.to_string()} y1={y.to_string()} y2={y.to_string()} />
                    <text class="axis" x={(LEFT - 5.0).to_string()} y={(y + 3.5).to_string()} text-anchor="end">{format!("{v}{suffix}")}</text>
                </g>
            }
        </>
    }
}

#[component]
pub fn HpaChart(props: &HpaChartProps) -> Html {
    let until = props.until.max(1.0);
    let d = use_memo((props.series.clone(), until.to_bits()), |(s, _)| {
        Rc::new(draw(s, until))
    });
    let (cpu, _) = frames(&props.series, d.until);
    let cursor = cpu.x(props.t);
    let s = &props.series;
    html! {
        <svg class="hpa-chart" viewBox={format!("0 0 {W} {H}")} role="img" aria-label={props.summary.clone()}
            data-testid="hpa-chart">
            for (i, (x, w)) in d.stabilized.iter().copied().enumerate() {
                <rect key={i} class="stab" data-testid="stabilized" x={x.to_string()} y={CPU_TOP.to_string()}
                    width={w.to_string()} height={(PODS_BOTTOM - CPU_TOP).to_string()} />
            }
            {grid(&d.cpu_ticks, "%")}
            {grid(&d.pod_ticks, "")}
            <text class="axis plot-title" x={LEFT.to_string()} y={(CPU_TOP - 2.0).to_string()}>{"CPU, % of request"}</text>
            <text class="axis plot-title" x={LEFT.to_string()} y={(PODS_TOP - 4.0).to_string()}>{"replicas"}</text>
            if let (Some(y), Some(target)) = (d.target_y, s.target) {
                <line class="target-line" x1={LEFT.to_string()} x2={RIGHT.to_string()} y1={y.to_string()} y2={y.to_string()} />
                <text class="target-label" x={(RIGHT - 2.0).to_string()} y={(y - 3.0).to_string()} text-anchor="end">{format!("target {target}%")}</text>
            }
            <line class="max-line" x1={LEFT.to_string()} x2={RIGHT.to_string()} y1={d.max_y.to_string()} y2={d.max_y.to_string()} />
            <text class="target-label" x={(RIGHT - 2.0).to_string()} y={(d.max_y - 3.0).to_string()} text-anchor="end">{format!("max {}", s.max_replicas)}</text>
            // The load is dashed over the utilisation: where they agree, both show.
            <path class="util-line" d={d.utilization.clone()} />
            <path class="load-line" d={d.load.clone()} />
            <path class="desired-line" d={d.desired.clone()} />
            <path class="current-line" d={d.current.clone()} />
            <line class="cursor" x1={cursor.to_string()} x2={cursor.to_string()} y1={CPU_TOP.to_string()} y2={PODS_BOTTOM.to_string()} />
            <text class="axis" x={LEFT.to_string()} y={(H - 6.0).to_string()}>{"0s"}</text>
            <text class="axis" x={RIGHT.to_string()} y={(H - 6.0).to_string()} text-anchor="end">{format_t(d.until).trim_start_matches("t=").to_owned()}</text>
        </svg>
    }
}
