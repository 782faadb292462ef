//! NetworkPolicy's "who can reach whom" at the current time, as a table: rows open
//! connections, columns receive them (on the column's first container port); each cell reads
//! "allowed", "denied" or "some" with an icon, never colour alone. Pods, or workloads when
//! there are many (`sim::reach_matrix`). Choosing a cell shows the policies that decided it.

use kubeplay_core::sim::Timeline;
use kubeplay_core::sim::reach_matrix::{Cell, ReachGroup, ReachMatrix, Verdict, reach_matrix};
use wasm_bindgen::JsCast;
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

/// The table's interaction state: the chosen cell (its reason is shown) and the one cell in
/// the tab order (arrow keys move it, as in a grid).
struct Ui<'a> {
    chosen: &'a UseStateHandle<Chosen>,
    active: &'a UseStateHandle<(usize, usize)>,
    /// The active cell clamped to the table's size.
    at: (usize, usize),
}

/// A cell's element id: row 0 is the Ingress controller, then the groups.
fn cell_id(row: usize, col: usize) -> String {
    format!("reach-{row}-{col}")
}

fn cell_button(
    c: &Cell,
    (from, to): (&str, &str),
    (row, col): (usize, usize),
    ui: &Ui<'_>,
) -> Html {
    let pressed = ui
        .chosen
        .as_ref()
        .is_some_and(|(f, t)| f == from && t == to);
    let onclick = {
        let chosen = ui.chosen.clone();
        let key = (from.to_owned(), to.to_owned());
        Callback::from(move |_: MouseEvent| {
            chosen.set(if pressed { None } else { Some(key.clone()) });
        })
    };
    let onfocus = {
        let active = ui.active.clone();
        Callback::from(move |_: FocusEvent| active.set((row, col)))
    };
    html! {
        <td role="gridcell" data-testid="reach-cell" data-from={from.to_owned()} data-to={to.to_owned()}
            data-verdict={c.verdict.as_str()}>
            <button type="button" id={cell_id(row, col)}
                class={classes!("reach-cell", format!("reach-{}", c.verdict.as_str()))}
                tabindex={if ui.at == (row, col) { "0" } else { "-1" }}
                aria-pressed={pressed.to_string()}
                aria-label={format!("{from} to {to} on port {}: {}", c.port, c.verdict.as_str())}
                onclick={onclick} onfocus={onfocus}>
                <span aria-hidden="true">{icon(c.verdict)}</span>{" "}{c.verdict.as_str()}
            </button>
        </td>
    }
}

/// Arrow keys, Home and End move between cells (`rows` × `cols`).
fn grid_keys(ui: &Ui<'_>, rows: usize, cols: usize) -> Callback<KeyboardEvent> {
    let active = ui.active.clone();
    let (r, c) = ui.at;
    Callback::from(move |e: KeyboardEvent| {
        let next = match e.key().as_str() {
            "ArrowRight" => (r, (c + 1).min(cols - 1)),
            "ArrowLeft" => (r, c.saturating_sub(1)),
            "ArrowDown" => ((r + 1).min(rows - 1), c),
            "ArrowUp" => (r.saturating_sub(1), c),
            "Home" => (r, 0),
            "End" => (r, cols - 1),
            _ => return,
        };
        e.prevent_default();
        active.set(next);
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&cell_id(next.0, next.1)))
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    })
}

fn table(m: &ReachMatrix, ui: &Ui<'_>) -> Html {
    let labels: Vec<String> = m.groups.iter().map(|g| label(g, m.grouped)).collect();
    let onkeydown = grid_keys(ui, labels.len() + 1, labels.len());
    html! {
        <div class="reach-scroll">
            <table class="kp-table reach-table" role="grid" data-testid="reach-table" data-grouped={m.grouped.to_string()}
                aria-describedby="reach-help" onkeydown={onkeydown}>
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
                        for (j, (c, to)) in m.from_controller.iter().zip(&labels).enumerate() {
                            {cell_button(c, (CONTROLLER, to), (0, j), ui)}
                        }
                    </tr>
                    for (i, (row, from)) in m.cells.iter().zip(&labels).enumerate() {
                        <tr key={from.clone()}>
                            <th scope="row">{from}</th>
                            for (j, (c, to)) in row.iter().zip(&labels).enumerate() {
                                {cell_button(c, (from, to), (i + 1, j), ui)}
                            }
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
    let active = use_state(|| (0usize, 0usize));
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
                <p class="empty-small" id="reach-help">{"Arrow keys move between cells; Enter shows why."}</p>
                {{
                    let (r, c) = *active;
                    let n = m.groups.len();
                    let ui = Ui { chosen: &chosen, active: &active, at: (r.min(n), c.min(n - 1)) };
                    table(&m, &ui)
                }}
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
