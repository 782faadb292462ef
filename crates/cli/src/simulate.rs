//! `kubeplay simulate SCENARIO [--format text|json]`: runs a scenario through the core
//! simulator and prints its timeline, as `kubectl get pods -w` plus events (text), or the
//! `Timeline` JSON of docs/cli.md.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;
use std::rc::Rc;

use kubeplay_core::sim::{Action, PodView, Timeline, parse_scenario, simulate};

use crate::style::sanitize;

/// Reads and parses the scenario and every file its `apply` steps name; the error is the
/// positioned message (`scenario.yaml:LINE: message`).
pub fn run(path: &Path) -> Result<Timeline, String> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
    let scenario =
        parse_scenario(&text).map_err(|e| format!("{shown}:{}: {}", e.line, e.message))?;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for step in &scenario.steps {
        if let Action::Apply {
            path: Some(p),
            inline: None,
        } = &step.action
            && !files.contains_key(p)
        {
            let content = std::fs::read_to_string(dir.join(p))
                .map_err(|e| format!("{shown}:{}: cannot read {p}: {e}", step.line))?;
            files.insert(p.clone(), content);
        }
    }
    Ok(simulate(&scenario, &|p| {
        files
            .get(p)
            .cloned()
            .ok_or_else(|| format!("{p} was not read"))
    }))
}

pub fn json(out: &mut dyn Write, timeline: &Timeline) -> io::Result<()> {
    serde_json::to_writer(&mut *out, timeline).map_err(io::Error::other)?;
    writeln!(out)
}

fn seconds(t: f64) -> String {
    if t.fract() == 0.0 {
        format!("{t:.0}s")
    } else {
        format!("{t:.1}s")
    }
}

/// What `kubectl get pods` prints in STATUS.
fn status(p: &PodView) -> String {
    if p.terminating {
        return "Terminating".into();
    }
    p.reason.clone().unwrap_or_else(|| p.phase.to_owned())
}

fn pod_line(t: f64, p: &PodView) -> String {
    let ready = p.containers.iter().filter(|c| c.ready).count();
    format!(
        "{:>7}  pod  {:<40} {}/{}  {:<26} {:<8} {}",
        seconds(t),
        sanitize(&p.name),
        ready,
        p.containers.len(),
        sanitize(&status(p)),
        p.restarts,
        p.node.as_deref().unwrap_or("<none>")
    )
}

/// The text timeline: every change of a pod's row (as `kubectl get pods -w` shows it),
/// events (as `kubectl get events -w`) and routed requests, in time order.
pub fn text(out: &mut dyn Write, timeline: &Timeline) -> io::Result<()> {
    // (t, rank at equal t, sequence, line): events, then pod rows, then requests.
    let mut lines: Vec<(f64, u8, usize, String)> = Vec::new();
    for (i, e) in timeline.events.iter().enumerate() {
        lines.push((
            e.t,
            0,
            i,
            format!(
                "{:>7}  {:<7}  {:<18} {:<40} {}",
                seconds(e.t),
                e.kind,
                e.reason,
                sanitize(&e.object),
                sanitize(&e.message)
            ),
        ));
    }
    let mut shown: BTreeMap<&str, (Rc<PodView>, String)> = BTreeMap::new();
    let mut seq = 0;
    for snap in &timeline.timeline {
        let mut present: Vec<&str> = Vec::with_capacity(snap.pods.len());
        for p in &snap.pods {
            present.push(&p.name);
            let row = pod_line(snap.t, p);
            let key = row.get(9..).unwrap_or_default().to_owned();
            if shown
                .get(p.name.as_str())
                .is_none_or(|(_, last)| *last != key)
            {
                lines.push((snap.t, 1, seq, row));
                seq += 1;
                shown.insert(&p.name, (Rc::clone(p), key));
            }
        }
        let gone: Vec<&str> = shown
            .keys()
            .copied()
            .filter(|n| !present.contains(n))
            .collect();
        for name in gone {
            lines.push((
                snap.t,
                1,
                seq,
                format!(
                    "{:>7}  pod  {:<40} deleted",
                    seconds(snap.t),
                    sanitize(name)
                ),
            ));
            seq += 1;
            shown.remove(name);
        }
    }
    for (i, r) in timeline.requests.iter().enumerate() {
        lines.push((
            r.t,
            2,
            i,
            format!(
                "{:>7}  request  {} → {}  {}",
                seconds(r.t),
                sanitize(&r.request),
                r.status,
                sanitize(&r.reason)
            ),
        ));
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    writeln!(
        out,
        "{:>7}  {:<7}  {:<18} {:<40} MESSAGE",
        "TIME", "TYPE", "REASON", "OBJECT"
    )?;
    for (_, _, _, line) in &lines {
        writeln!(out, "{line}")?;
    }
    if let Some(last) = timeline.timeline.last() {
        writeln!(out)?;
        writeln!(out, "Final state (last change at {}):", seconds(last.t))?;
        for d in &last.deployments {
            writeln!(
                out,
                "  deployment/{}  {}/{} ready, {} up-to-date, {} available (revision {})",
                sanitize(&d.name),
                d.ready_replicas,
                d.replicas,
                d.updated_replicas,
                d.available_replicas,
                d.revision
            )?;
        }
        for s in &last.services {
            writeln!(
                out,
                "  service/{}  endpoints: {}",
                sanitize(&s.name),
                if s.endpoints.is_empty() {
                    "<none>".to_owned()
                } else {
                    sanitize(&s.endpoints.join(", "))
                }
            )?;
        }
    }
    for w in &timeline.warnings {
        writeln!(out, "warning: {}", sanitize(w))?;
    }
    Ok(())
}
