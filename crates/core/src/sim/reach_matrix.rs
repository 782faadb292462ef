//! "Who can reach whom" for the playground's Traffic panel: NetworkPolicy answers (`netpol`)
//! for every pair of running pods, or, when there are many, of workloads (the pods of one
//! Deployment, StatefulSet, DaemonSet or Job), plus a row for the Ingress controller.
//!
//! A workload cell asks once per distinct pod shape (labels and containers) on each side,
//! so pods of two revisions during a rollout can make a cell `Some` (some pairs allowed).
//! `ipBlock` peers are matched against the IP of the first pod of each shape.

use super::netpol::{controller_may_reach, live_pods, matrix_port, reach};
use super::network::{NetPod, Network};

/// Above this many running pods, rows and columns are workloads.
pub const GROUP_ABOVE: usize = 8;

/// A row (and column) of the matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReachGroup {
    /// The pod's name, or the workload's name.
    pub name: String,
    pub namespace: String,
    pub pods: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Denied,
    /// Some pairs of pods allowed, others denied.
    Some,
}

impl Verdict {
    /// What the matrix cell says.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Allowed => "allowed",
            Self::Denied => "denied",
            Self::Some => "some",
        }
    }

    fn of(allowed: usize, total: usize) -> Self {
        if allowed == total {
            Self::Allowed
        } else if allowed == 0 {
            Self::Denied
        } else {
            Self::Some
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub verdict: Verdict,
    /// The port asked about (the destination's first container port).
    pub port: i64,
    /// Why: the first denial when any pair is denied, else the first allowance.
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReachMatrix {
    /// Rows are workloads rather than pods.
    pub grouped: bool,
    pub groups: Vec<ReachGroup>,
    /// `cells[i][j]`: may group `i` open connections to group `j`.
    pub cells: Vec<Vec<Cell>>,
    /// May the Ingress controller open connections to each group.
    pub from_controller: Vec<Cell>,
    /// Whether any NetworkPolicy exists (without one every cell is allowed).
    pub any_policy: bool,
}

/// The workload a pod belongs to: its Deployment (the ReplicaSet's name less the
/// `-<pod-template-hash>` suffix), its other controller, or itself.
fn workload<'a>(pod: &NetPod<'a>) -> &'a str {
    let Some(owner) = pod.owner else {
        return pod.name;
    };
    pod.labels
        .get("pod-template-hash")
        .and_then(|h| owner.strip_suffix(h.as_str())?.strip_suffix('-'))
        .unwrap_or(owner)
}

struct Group<'a> {
    info: ReachGroup,
    /// One pod per distinct shape (labels and template).
    shapes: Vec<NetPod<'a>>,
}

fn groups<'a>(pods: &[NetPod<'a>], grouped: bool) -> Vec<Group<'a>> {
    let mut out: Vec<Group<'a>> = Vec::new();
    for p in pods {
        let name = if grouped { workload(p) } else { p.name };
        let at = out
            .iter()
            .position(|g| g.info.namespace == p.namespace && g.info.name == name);
        let g = match at {
            Some(i) => &mut out[i],
            None => {
                out.push(Group {
                    info: ReachGroup {
                        name: name.to_owned(),
                        namespace: p.namespace.to_owned(),
                        pods: Vec::new(),
                    },
                    shapes: Vec::new(),
                });
                let last = out.len() - 1;
                &mut out[last]
            }
        };
        g.info.pods.push(p.name.to_owned());
        if !g
            .shapes
            .iter()
            .any(|s| s.labels == p.labels && std::ptr::eq(s.template, p.template))
        {
            g.shapes.push(*p);
        }
    }
    out.sort_by(|a, b| (&a.info.namespace, &a.info.name).cmp(&(&b.info.namespace, &b.info.name)));
    out
}

/// Folds the answers for every pair into one cell.
fn cell(answers: impl Iterator<Item = (bool, String)>, port: i64) -> Cell {
    let (mut allowed, mut total) = (0, 0);
    let (mut first_yes, mut first_no) = (None, None);
    for (ok, why) in answers {
        total += 1;
        if ok {
            allowed += 1;
            first_yes.get_or_insert(why);
        } else {
            first_no.get_or_insert(why);
        }
    }
    Cell {
        verdict: Verdict::of(allowed, total),
        port,
        reason: first_no.or(first_yes).unwrap_or_default(),
    }
}

/// Who may reach whom in `net`, pod by pod up to [`GROUP_ABOVE`] running pods, else
/// workload by workload.
#[must_use]
pub fn reach_matrix(net: &impl Network) -> ReachMatrix {
    let pods = live_pods(net);
    let grouped = pods.len() > GROUP_ABOVE;
    let groups = groups(&pods, grouped);
    let port_of = |g: &Group<'_>| g.shapes.first().map_or(80, |p| matrix_port(p, None));
    let cells = groups
        .iter()
        .map(|a| {
            groups
                .iter()
                .map(|b| {
                    let answers = a.shapes.iter().flat_map(|x| {
                        b.shapes.iter().map(move |y| {
                            let r = reach(net, x, y, matrix_port(y, None), "TCP");
                            (r.allowed, r.reason)
                        })
                    });
                    cell(answers, port_of(b))
                })
                .collect()
        })
        .collect();
    let from_controller = groups
        .iter()
        .map(|b| {
            let answers =
                b.shapes.iter().map(
                    |y| match controller_may_reach(net, y, matrix_port(y, None)) {
                        Ok(why) => (true, format!("allowed: {why}")),
                        Err(why) => (false, format!("denied: {why}")),
                    },
                );
            cell(answers, port_of(b))
        })
        .collect();
    ReachMatrix {
        grouped,
        groups: groups.into_iter().map(|g| g.info).collect(),
        cells,
        from_controller,
        any_policy: net.policies().next().is_some(),
    }
}
