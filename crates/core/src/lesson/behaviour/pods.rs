//! Goals about pods over the run: how many run at once, how long deleted ones keep running,
//! the order a StatefulSet starts them, and the identity they run as.

use super::{at, snap_ms};
use crate::lesson::evaluate::{Outcome, over, plural, pods_of, split_ref};
use crate::lesson::goal::{Bound, When};
use crate::sim::app::Millis;
use crate::sim::{PodView, Sim, Snapshot};

/// `running`: pods of `workload` in phase Running, over the goal's window; with `always`
/// the busiest instant.
pub(super) fn running(sim: &Sim, workload: &str, bound: &Bound, when: When) -> Outcome {
    let tl = &sim.timeline;
    let count = |s: &Snapshot| {
        pods_of(s, workload)
            .iter()
            .filter(|p| p.phase == "Running")
            .count()
    };
    if when != When::Always {
        return over(tl, when, &|s| {
            let n = count(s);
            let what = format!(
                "{} of {workload} {} running",
                plural(n, "pod", "pods"),
                if n == 1 { "was" } else { "were" }
            );
            if bound.holds(n as i64) {
                Ok(what)
            } else {
                Err(format!("{what}; the goal needs {}", bound.describe()))
            }
        });
    }
    // The busiest instant says more than the last one.
    let Some(s) = tl.timeline.iter().max_by_key(|s| count(s)) else {
        return Err("the simulation produced nothing".into());
    };
    let said = format!(
        "at most {} of {workload} ran at once (t={})",
        plural(count(s), "pod", "pods"),
        at(snap_ms(s))
    );
    match tl.timeline.iter().find(|s| !bound.holds(count(s) as i64)) {
        None => Ok(said),
        Some(s) => Err(format!(
            "at t={} {} of {workload} were running; the goal needs {} at all times",
            at(snap_ms(s)),
            plural(count(s), "pod", "pods"),
            bound.describe()
        )),
    }
}

/// The first running, non-terminating pod of `workload` at the end of the run.
pub(super) fn last_running<'s>(sim: &'s Sim, workload: &str) -> Result<&'s PodView, String> {
    let last = sim
        .timeline
        .timeline
        .last()
        .ok_or_else(|| "the simulation produced nothing".to_owned())?;
    pods_of(last, workload)
        .into_iter()
        .find(|p| !p.terminating && p.phase == "Running")
        .ok_or_else(|| format!("{workload} has no running pod at the end"))
}

pub(super) fn keeps_serving(sim: &Sim, workload: &str, at_least: Millis) -> Outcome {
    let snaps = &sim.timeline.timeline;
    // Per pod (namespace, name, deletion start): when its containers stopped.
    let mut deleted: Vec<(String, Millis, Option<Millis>)> = Vec::new();
    let running = |p: &PodView| p.containers.iter().any(|c| c.state == "running");
    for (i, s) in snaps.iter().enumerate() {
        for p in pods_of(s, workload).into_iter().filter(|p| p.terminating) {
            let was = i
                .checked_sub(1)
                .and_then(|j| snaps.get(j))
                .and_then(|prev| prev.pods.iter().find(|q| q.name == p.name))
                .is_some_and(|q| q.terminating);
            if !was && running(p) {
                let stop = snaps[i..]
                    .iter()
                    .find(|later| {
                        later
                            .pods
                            .iter()
                            .find(|q| q.name == p.name && q.namespace == p.namespace)
                            .is_none_or(|q| !running(q))
                    })
                    .map(snap_ms);
                deleted.push((p.name.clone(), snap_ms(s), stop));
            }
        }
    }
    if deleted.is_empty() {
        return Err(format!(
            "no running pod of {workload} was deleted during the run"
        ));
    }
    let end = snaps.last().map_or(0, snap_ms);
    for (name, from, stop) in &deleted {
        let served = stop.unwrap_or(end) - from;
        if served < at_least {
            return Err(format!(
                "pod {name} was deleted at t={} and its containers stopped at t={}, after {}; the goal needs {}",
                at(*from),
                at(from + served),
                at(served),
                at(at_least)
            ));
        }
    }
    let shortest = deleted
        .iter()
        .map(|(_, from, stop)| stop.unwrap_or(end) - from)
        .min()
        .unwrap_or(0);
    Ok(format!(
        "{} of {workload} deleted; each kept running for at least {} (shortest {})",
        plural(deleted.len(), "pod", "pods"),
        at(at_least),
        at(shortest)
    ))
}

pub(super) fn starts_in_order(sim: &Sim, workload: &str, pods: &[String]) -> Outcome {
    let snaps = &sim.timeline.timeline;
    let first = |name: &str, pred: &dyn Fn(&PodView) -> bool| {
        snaps.iter().find_map(|s| {
            pods_of(s, workload)
                .into_iter()
                .find(|p| p.name == name && pred(p))
                .map(|_| snap_ms(s))
        })
    };
    let mut said = Vec::new();
    let mut previous_ready: Option<(&str, Millis)> = None;
    for name in pods {
        let Some(created) = first(name, &|_| true) else {
            return Err(format!("pod {name} of {workload} was never created"));
        };
        if let Some((prev, ready)) = previous_ready
            && created < ready
        {
            return Err(format!(
                "pod {name} was created at t={}, before {prev} was Ready (t={})",
                at(created),
                at(ready)
            ));
        }
        let Some(ready) = first(name, &|p| p.ready) else {
            return Err(format!(
                "pod {name} (created at t={}) never became Ready",
                at(created)
            ));
        };
        said.push(format!(
            "{name} created t={}, Ready t={}",
            at(created),
            at(ready)
        ));
        previous_ready = Some((name, ready));
    }
    Ok(said.join("; "))
}

/// The identity `can-i` asks as: a workload (`deployment/config-watcher`,
/// `statefulset/db`, `job/x`, `daemonset/x`, `pod/x`) stands for the ServiceAccount its
/// running pods run as (`system:serviceaccount:NS:NAME`); anything else is used as written.
///
/// # Errors
/// The workload has no running pod at the end, so it runs as nobody.
pub(in crate::lesson) fn identity(sim: &Sim, who: &str) -> Result<String, String> {
    let is_workload = split_ref(who).0.is_some_and(|k| {
        matches!(
            k.as_str(),
            "deployment" | "deploy" | "statefulset" | "sts" | "daemonset" | "job" | "pod" | "po"
        )
    });
    if !is_workload {
        return Ok(who.to_owned());
    }
    let pod = last_running(sim, who).map_err(|e| {
        let refused = sim
            .timeline
            .events
            .iter()
            .rev()
            .find(|e| e.reason == "FailedCreate")
            .map(|e| format!(" ({})", e.message))
            .unwrap_or_default();
        format!("{e}, so nothing runs as it{refused}")
    })?;
    Ok(format!(
        "system:serviceaccount:{}:{}",
        pod.namespace, pod.template.0.service_account
    ))
}
