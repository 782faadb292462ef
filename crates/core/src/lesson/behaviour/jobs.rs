//! Goals about Jobs and CronJobs: how a Job ends, and when a CronJob creates its Jobs.

use super::{at, snap_ms};
use crate::lesson::evaluate::{Outcome, plural};
use crate::sim::Sim;
use crate::sim::app::Millis;

pub(super) fn job_ends(
    sim: &Sim,
    job: &str,
    failed: bool,
    reason: Option<&str>,
    pods: Option<i64>,
    by: Millis,
) -> Outcome {
    let (want, other) = if failed {
        ("Failed", "Complete")
    } else {
        ("Complete", "Failed")
    };
    let mut last = None;
    for s in sim
        .timeline
        .timeline
        .iter()
        .take_while(|s| snap_ms(s) <= by)
    {
        let Some(j) = s.jobs.iter().find(|j| j.name == job) else {
            continue;
        };
        last = Some((s, j));
        let ended = |kind: &str| {
            j.conditions
                .iter()
                .find(|c| c.kind == kind && c.status == "True")
        };
        let counted = if failed { j.failed } else { j.succeeded };
        let tally = format!(
            "{} succeeded, {} failed",
            plural(j.succeeded as usize, "pod", "pods"),
            j.failed
        );
        if let Some(c) = ended(want) {
            if let Some(r) = reason
                && c.reason != r
            {
                return Err(format!(
                    "at t={} Job `{job}` became {want} with reason {}; the goal needs {r}",
                    at(snap_ms(s)),
                    c.reason
                ));
            }
            if let Some(n) = pods
                && counted != n
            {
                return Err(format!(
                    "at t={} Job `{job}` became {want} ({}) with {tally}; the goal needs {n} {}",
                    at(snap_ms(s)),
                    c.reason,
                    if failed { "failed" } else { "succeeded" }
                ));
            }
            return Ok(format!(
                "at t={} Job `{job}` became {want} ({}) with {tally}",
                at(snap_ms(s)),
                c.reason
            ));
        }
        if let Some(c) = ended(other) {
            return Err(format!(
                "at t={} Job `{job}` became {other} ({}) with {tally}; the goal needs it {want}",
                at(snap_ms(s)),
                c.reason
            ));
        }
    }
    Err(match last {
        None => format!("there was no Job `{job}` by t={}", at(by)),
        Some((_, j)) => format!(
            "by t={} Job `{job}` was still running: {} active, {} succeeded, {} failed",
            at(by),
            j.active,
            j.succeeded,
            j.failed
        ),
    })
}

pub(super) fn cron_runs(sim: &Sim, cron_job: &str, want: &[Millis]) -> Outcome {
    let owner = format!("CronJob/{cron_job}");
    let mut seen: Vec<(String, Millis)> = Vec::new();
    for s in &sim.timeline.timeline {
        for j in s.jobs.iter().filter(|j| j.owner.as_deref() == Some(&owner)) {
            if !seen.iter().any(|(n, _)| *n == j.name) {
                seen.push((j.name.clone(), snap_ms(s)));
            }
        }
    }
    let times: Vec<Millis> = seen.iter().map(|(_, t)| *t).collect();
    let said = if seen.is_empty() {
        format!("CronJob `{cron_job}` created no Job")
    } else {
        format!(
            "CronJob `{cron_job}` created {}",
            seen.iter()
                .map(|(n, t)| format!("{n} at t={}", at(*t)))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    // Simulated time 0 is 2026-01-01T00:00:00Z, so t=2h is 02:00 UTC.
    if times == want {
        Ok(said)
    } else {
        Err(format!(
            "{said} (t=0 is midnight UTC); the goal needs {}",
            want.iter()
                .map(|t| format!("t={}", at(*t)))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}
