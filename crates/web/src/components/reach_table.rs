//! NetworkPolicy's "who can reach whom" at the current time, as a table: rows open
//! connections, columns receive them (on the column's first container port); each cell reads
//! "allowed", "denied" or "some" with an icon, never colour alone. Pods, or workloads when
//! there are many (`sim::reach_matrix`). Choosing a cell shows the policies that decided it.

use kubeplay_core::sim::Timeline;
use kubeplay_core::sim::reach_matrix::{Cell, ReachGroup, ReachMatrix, Verdict, reach_matrix};
use yew::prelude::*;

use crate::play::Shared;

#[derive(Properties, PartialEq)]
pub struct ReachTableProps {
    pub timeline: Shared<Timeline>,
    pub index: Option<usize>,
}

/// The row name of the Ingress controller.
const CONTROLLER: &str = "Ingress controller";

const fn icon(v: Verdict) -> &'static str {
    match v {
        Verdict::Allowed => "✓",
        Verdict::Denied => "✕",
        Verdict::Some => "◐",
    }
}

fn label(g: &ReachGroup, grouped: bool) -> String {
    let ns = if g.namespace == "default" {
        String::new()
    } else {
        format!("{}/", g.namespace)
    };
    if grouped {
        format!(
            "{ns}{} ({} pod{})",
            g.name,
            g.pods.len(),
            if g.pods.len() == 1 { "" } else { "s" }
        )
    } else {
        format!("{ns}{}", g.name)
    }
}

/// A column title short enough for a narrow column: a ReplicaSet's pod
/// `api-6d44774cfb-48qvr` reads `api-…48qvr` (the full name stays for screen readers and in
/// the tooltip).
fn short(label: &str) -> String {
    let mut parts = label.rsplitn(3, '-');
    let (Some(suffix), Some(hash), Some(prefix)) = (parts.next(), parts.next(), parts.next())
    else {
        return label.to_owned();
    };
    let alnum = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    };
    if suffix.len() == 5 && (6..=10).contains(&hash.len()) && alnum(suffix) && alnum(hash) {
        format!("{prefix}-…{suffix}")
    } else {
        label.to_owned()
    }
}

/// A chosen cell: (from, to) labels.
type Chosen = Option<(String, String)>;

fn cell_button(c: &Cell, from: &str, to: &str, chosen: &UseStateHandle<Chosen>) -> Html {
    let pressed = chosen.as_ref().is_some_and(|(f, t)| f == from && t == to);
    let onclick = {
        let chosen = chosen.clone();
        let key = (from.to_owned(), to.to_owned());
        Callback::from(move |_: MouseEvent| {
            chosen.set(if pressed { None } else { Some(key.clone()) });
        })
    };
    html! {
        <td data-testid="reach-cell" data-from={from.to_owned()} data-to={to.to_owned()}
            data-verdict={c.verdict.as_str()}>
            <button type="button" class={classes!("reach-cell", format!("reach-{}", c.verdict.as_str()))}
                aria-pressed={pressed.to_string()}
                aria-label={format!("{from} to {to} on port {}: {}", c.port, c.verdict.as_str())}
                onclick={onclick}>
                <span aria-hidden="true">{icon(c.verdict)}</span>{" "}{c.verdict.as_str()}
            </button>
        </td>
    }
}

fn table(m: &ReachMatrix, chosen: &UseStateHandle<Chosen>) -> Html {
    let labels: Vec<String> = m.groups.iter().map(|g| label(g, m.grouped)).collect();
    html! {
        <div class="reach-scroll" tabindex="0" role="region" aria-label="Reachability table, scrollable">
            <table class="kp-table reach-table" data-testid="reach-table" data-grouped={m.grouped.to_string()}>
                <caption class="reach-caption">
                    {if m.grouped { "Rows open connections to columns (workloads; on the column's first container port)" }
                     else { "Rows open connections to columns (pods; on the column's first container port)" }}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{"from \\ to"}</th>
                        for l in &labels {
                            <th scope="col" key={l.clone()} title={l.clone()}>
                                <span aria-hidden="true">{short(l)}</span>
                                <span class="visually-hidden">{l}</span>
                            </th>
                        }
                    </tr>
                </thead>
                <tbody>
                    <tr key="controller" class="reach-controller">
                        <th scope="row">{CONTROLLER}</th>
                        for (c, to) in m.from_controller.iter().zip(&labels) { {cell_button(c, CONTROLLER, to, chosen)} }
                    </tr>
                    for (row, from) in m.cells.iter().zip(&labels) {
                        <tr key={from.clone()}>
                            <th scope="row">{from}</th>
                            for (c, to) in row.iter().zip(&labels) { {cell_button(c, from, to, chosen)} }
                        </tr>
                    }
                </tbody>
            </table>
        </div>
    }
}

/// The reason of the chosen cell, if it is still in the table.
fn why(m: &ReachMatrix, chosen: &Chosen) -> Option<(String, String, Cell)> {
    let (from, to) = chosen.as_ref()?;
    let labels: Vec<String> = m.groups.iter().map(|g| label(g, m.grouped)).collect();
    let j = labels.iter().position(|l| l == to)?;
    let cell = if from == CONTROLLER {
        m.from_controller.get(j)?
    } else {
        m.cells
            .get(labels.iter().position(|l| l == from)?)?
            .get(j)?
    };
    Some((from.clone(), to.clone(), cell.clone()))
}

#[cfg(test)]
mod tests {
    use super::short;

    #[test]
    fn replica_set_pod_names_shorten_in_column_titles() {
        assert_eq!(short("api-6d44774cfb-48qvr"), "api-…48qvr");
        assert_eq!(short("shop-api-6d44774cfb-48qvr"), "shop-api-…48qvr");
        assert_eq!(short("web-0"), "web-0");
        assert_eq!(short("frontend (2 pods)"), "frontend (2 pods)");
        assert_eq!(short("db"), "db");
    }
}

#[component]
pub fn ReachTable(props: &ReachTableProps) -> Html {
    let chosen = use_state(|| None::<(String, String)>);
    let Some(snap) = props.index.and_then(|i| props.timeline.timeline.get(i)) else {
        return html! {};
    };
    let m = reach_matrix(snap);
    html! {
        <section class="traffic-section" aria-labelledby="traffic-reach">
            <h3 class="section-title" id="traffic-reach">{"Who can reach whom (NetworkPolicy)"}</h3>
            if !m.any_policy {
                <p class="empty-small" data-testid="reach-open">{"No NetworkPolicy: every pod accepts connections from everywhere."}</p>
            }
            if m.groups.is_empty() {
                <p class="empty-small">{"No running pod."}</p>
            } else {
                {table(&m, &chosen)}
                <p class="reach-why" data-testid="reach-why" aria-live="polite">
                    if let Some((from, to, c)) = why(&m, &chosen) {
                        {format!("{from} → {to} on TCP {}: {}", c.port, c.reason)}
                    } else {
                        {"Choose a cell to see which policies decide it."}
                    }
                </p>
            }
        </section>
    }
}
