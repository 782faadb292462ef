//! The playground's part of the one reducer: the simulated timeline of the current text plus
//! the session's scenario steps, the scrub position and playback, the open panel and the
//! kubectl console. Panels render from (snapshot at `t`, events up to `t`) only.

use std::collections::HashMap;
use std::rc::Rc;

use kubeplay_core::kubectl::{self, Command, View};
use kubeplay_core::sim::scenario::{NodeSpec, Scenario, Step};
use kubeplay_core::sim::{Action as SimAction, Timeline, simulate};
use kubeplay_share::MAX_STEPS;

use crate::state::{Reveal, State};

/// Default length of a run: ten simulated minutes.
pub const DEFAULT_UNTIL_S: f64 = 600.0;
pub const SPEEDS: [u32; 4] = [1, 5, 15, 60];
/// Console entries kept (oldest dropped).
const CONSOLE_MAX: usize = 50;
const HISTORY_MAX: usize = 100;

/// An `Rc` compared by pointer: a new simulation is a new value, cheap to compare as a prop.
#[derive(Debug, Default)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Self(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    Cluster,
    Events,
    Rollout,
    Autoscaling,
    Qos,
    Traffic,
}

impl Panel {
    pub const ALL: [Self; 6] = [
        Self::Cluster,
        Self::Events,
        Self::Rollout,
        Self::Autoscaling,
        Self::Qos,
        Self::Traffic,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Cluster => "cluster",
            Self::Events => "events",
            Self::Rollout => "rollout",
            Self::Autoscaling => "autoscaling",
            Self::Qos => "qos",
            Self::Traffic => "traffic",
        }
    }

    #[must_use]
    pub const fn title(self) -> &'static str {
        match self {
            Self::Cluster => "Cluster",
            Self::Events => "Events",
            Self::Rollout => "Rollout",
            Self::Autoscaling => "Autoscaling",
            Self::Qos => "QoS",
            Self::Traffic => "Traffic",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// A step the learner added from the kubectl bar: the command line it came from (what a
/// share link and the autosave store) and the scenario step it became.
pub use kubeplay_share::SessionStep;

/// Where the request tester sends a request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RequestTarget {
    /// Through the Ingress controller over plain http.
    #[default]
    Http,
    /// Through the Ingress controller over https (TLS at the controller).
    Https,
    /// To a node's port (a NodePort Service), past the Ingress controller.
    NodePort,
}

impl RequestTarget {
    pub const ALL: [Self; 3] = [Self::Http, Self::Https, Self::NodePort];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Https => "https",
            Self::NodePort => "nodeport",
        }
    }

    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Http => "Ingress, http",
            Self::Https => "Ingress, https",
            Self::NodePort => "A node's port",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// What the Traffic panel's request tester sends: through the Ingress (a host, empty: none,
/// over http or https) or to a node's port, and a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestQuery {
    pub target: RequestTarget,
    pub host: String,
    /// The node and port of a NodePort request (`node-1`, `30080`).
    pub node: String,
    pub port: String,
    pub path: String,
}

impl Default for RequestQuery {
    fn default() -> Self {
        Self {
            target: RequestTarget::Http,
            host: String::new(),
            node: String::new(),
            port: String::new(),
            path: "/".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConsoleEntry {
    pub command: String,
    pub output: String,
    pub error: bool,
}

/// Where each pod sits: its node and a slot that stays the same for the pod's whole life.
#[derive(Debug, Default, PartialEq)]
pub struct Layout {
    pub slots: HashMap<String, usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlayState {
    pub timeline: Shared<Timeline>,
    pub layout: Shared<Layout>,
    /// The text revision the timeline was simulated from (`None`: not yet).
    pub simulated_revision: Option<u64>,
    /// Current time, seconds.
    pub t: f64,
    pub until: f64,
    pub playing: bool,
    pub speed: u32,
    /// The session's kubectl steps, in time order (autosaved, and carried by share links).
    pub steps: Vec<SessionStep>,
    /// Bumped whenever the learner adds or removes steps: the autosave keys on it.
    pub steps_seq: u64,
    pub panel: Panel,
    pub console: Vec<ConsoleEntry>,
    pub history: Vec<String>,
    pub deployment: Option<String>,
    /// A message about a share link that could not be opened, or that one was copied.
    pub share_notice: Option<(bool, String)>,
    /// The Traffic panel's request tester.
    pub request: RequestQuery,
    /// The node whose memory the QoS panel shows (`None`: the first one).
    pub qos_node: Option<String>,
}

impl Default for PlayState {
    fn default() -> Self {
        Self {
            timeline: Shared::default(),
            layout: Shared::default(),
            simulated_revision: None,
            t: 0.0,
            until: DEFAULT_UNTIL_S,
            playing: false,
            speed: 1,
            steps: Vec::new(),
            steps_seq: 0,
            panel: Panel::Cluster,
            console: Vec::new(),
            history: Vec::new(),
            deployment: None,
            share_notice: None,
            request: RequestQuery::default(),
            qos_node: None,
        }
    }
}

impl PlayState {
    /// Index of the snapshot shown at `t`.
    #[must_use]
    pub fn snapshot_index(&self) -> Option<usize> {
        let i = self.timeline.timeline.partition_point(|s| s.t <= self.t);
        i.checked_sub(1)
    }

    /// How many events happened at or before `t`.
    #[must_use]
    pub fn events_upto(&self) -> usize {
        self.timeline.events.partition_point(|e| e.t <= self.t)
    }
}

pub enum PlayAction {
    /// Re-run the simulation of the current text and steps.
    Simulate,
    Toggle,
    /// Advance playback by this many real milliseconds.
    Advance(f64),
    Seek(f64),
    /// Scrub by this many seconds.
    Nudge(f64),
    /// Jump to the next (+1) or previous (-1) event time.
    StepEvent(i32),
    Speed(u32),
    Panel(Panel),
    /// Scrub to an event's time and reveal its line in the editor.
    Event(usize),
    Kubectl(String),
    /// Remove the session's step at this index.
    RemoveStep(usize),
    /// Remove every kubectl step of the session.
    ClearSteps,
    ClearConsole,
    SelectDeployment(String),
    ShareNotice(Option<(bool, String)>),
    /// The request tester's host and path.
    Request(RequestQuery),
    /// The Autoscaling panel's load slider: each pod of the Deployment asks for this much
    /// CPU from now on (a `sim load` step at the current time).
    Load {
        deployment: String,
        cpu_milli: i64,
    },
    /// The QoS panel's pressure control: other processes use this much memory on the node
    /// from now on (a `sim memory-pressure` step at the current time).
    MemoryPressure {
        node: String,
        bytes: i64,
    },
    /// The node the QoS panel shows.
    QosNode(String),
}

/// `t=1m30s`, as the timeline bar shows the time.
#[must_use]
pub fn format_t(t: f64) -> String {
    // Whole milliseconds first, so 90.4 s and 90.9 s both read t=1m30s.
    #[allow(clippy::cast_possible_truncation)]
    let ms = (t.max(0.0) * 1000.0).floor() as i64;
    kubeplay_core::sim::timeline::clock(ms)
}

#[must_use]
pub fn default_nodes() -> Vec<NodeSpec> {
    (1..=3)
        .map(|i| NodeSpec::default_named(format!("node-{i}")))
        .collect()
}

/// The value the latest of `steps` at or before `t` seconds sets, as `pick` reads it (the
/// load in effect for a Deployment, the memory pressure on a node).
#[must_use]
pub fn step_value_at(
    steps: &[SessionStep],
    t: f64,
    pick: impl Fn(&SimAction) -> Option<i64>,
) -> Option<i64> {
    let now = millis(t);
    steps
        .iter()
        .take_while(|s| s.step.at <= now)
        .filter_map(|s| pick(&s.step.action))
        .last()
}

/// Seconds to the simulator's milliseconds.
#[allow(clippy::cast_possible_truncation)]
#[must_use]
pub fn millis(t: f64) -> i64 {
    (t * 1000.0).round() as i64
}

/// The scenario the playground runs: the text applied at 0, then the session's steps.
#[must_use]
pub fn scenario_of(text: &str, steps: &[SessionStep], until: f64) -> Scenario {
    let mut all = vec![Step {
        at: 0,
        action: SimAction::Apply {
            path: None,
            inline: Some(text.to_owned()),
        },
        namespace: "default".into(),
        line: 1,
    }];
    all.extend(steps.iter().map(|s| s.step.clone()));
    Scenario {
        nodes: default_nodes(),
        steps: all,
        until: millis(until),
    }
}

/// Gives every pod a slot on its node (or in the Pending lane) that it keeps while it lives:
/// the lowest slot free when it first appears there.
#[must_use]
pub fn layout_of(timeline: &Timeline) -> Layout {
    let mut slots: HashMap<String, usize> = HashMap::new();
    // Per place (node name or "" for pending): which slots are taken, by which pod.
    let mut taken: HashMap<String, Vec<Option<String>>> = HashMap::new();
    let mut place_of: HashMap<String, String> = HashMap::new();
    let mut prev: Option<&kubeplay_core::sim::Snapshot> = None;
    for snap in &timeline.timeline {
        if let Some(p) = prev
            && p.pods.len() == snap.pods.len()
            && p.pods
                .iter()
                .zip(&snap.pods)
                .all(|(a, b)| Rc::ptr_eq(a, b) || (a.name == b.name && a.node == b.node))
        {
            continue;
        }
        prev = Some(snap);
        let live: std::collections::HashSet<(&str, &str)> = snap
            .pods
            .iter()
            .map(|p| (p.name.as_str(), p.node.as_deref().unwrap_or("")))
            .collect();
        // Free the slots of pods gone from their place.
        for (place, list) in &mut taken {
            for slot in list.iter_mut() {
                if let Some(name) = slot
                    && !live.contains(&(name.as_str(), place.as_str()))
                {
                    *slot = None;
                }
            }
        }
        for p in &snap.pods {
            let place = p.node.clone().unwrap_or_default();
            if place_of.get(&p.name) == Some(&place) && slots.contains_key(&p.name) {
                let list = taken.entry(place.clone()).or_default();
                let s = slots[&p.name];
                if list
                    .get(s)
                    .is_some_and(|x| x.as_deref() == Some(p.name.as_str()))
                {
                    continue;
                }
            }
            let list = taken.entry(place.clone()).or_default();
            let s = list.iter().position(Option::is_none).unwrap_or_else(|| {
                list.push(None);
                list.len() - 1
            });
            list[s] = Some(p.name.clone());
            slots.insert(p.name.clone(), s);
            place_of.insert(p.name.clone(), place);
        }
    }
    Layout { slots }
}

/// UTF-16 offsets of a 1-based line of `text` (start to end of line).
#[must_use]
pub fn line_range(text: &str, line: u32) -> Option<(usize, usize)> {
    let mut offset = 0;
    for (i, l) in text.split('\n').enumerate() {
        let len = l.encode_utf16().count();
        if i + 1 == line as usize {
            return Some((offset, offset + len));
        }
        offset += len + 1;
    }
    None
}

fn push_console(play: &mut PlayState, entry: ConsoleEntry) {
    play.console.push(entry);
    if play.console.len() > CONSOLE_MAX {
        let extra = play.console.len() - CONSOLE_MAX;
        play.console.drain(..extra);
    }
}

pub fn resimulate(state: &mut State) {
    let scenario = crate::lesson::play_scenario(state)
        .unwrap_or_else(|| scenario_of(&state.text, &state.play.steps, state.play.until));
    let timeline = simulate(&scenario, &|_| {
        Err("kubeplay reads no files in the browser".into())
    });
    let layout = layout_of(&timeline);
    let play = &mut state.play;
    play.timeline = Shared(Rc::new(timeline));
    play.layout = Shared(Rc::new(layout));
    play.simulated_revision = Some(state.revision);
    play.t = play.t.clamp(0.0, play.until);
    // Keep the selected Deployment if it still exists, else pick the first one.
    let names: Vec<String> = play
        .timeline
        .timeline
        .iter()
        .rev()
        .flat_map(|s| s.deployments.iter().map(|d| d.name.clone()))
        .collect();
    if play.deployment.as_ref().is_none_or(|d| !names.contains(d)) {
        play.deployment = play
            .timeline
            .timeline
            .iter()
            .find_map(|s| s.deployments.first().map(|d| d.name.clone()));
    }
}

/// Whether a new step makes an earlier one at the same instant pointless: a slider moved
/// twice sets the load (or the memory pressure) of the same object twice.
fn replaces(new: &SimAction, old: &SimAction) -> bool {
    match (new, old) {
        (SimAction::Load { deployment: a, .. }, SimAction::Load { deployment: b, .. }) => a == b,
        (SimAction::MemoryPressure { node: a, .. }, SimAction::MemoryPressure { node: b, .. }) => {
            a == b
        }
        _ => false,
    }
}

/// Adds a session step at the current time (replacing one it makes pointless), re-runs the
/// simulation and answers as kubectl would.
fn add_step(state: &mut State, line: String, action: SimAction) -> ConsoleEntry {
    if state.play.steps.len() >= MAX_STEPS {
        return error_entry(
            line,
            &format!(
                "error: this session already has {MAX_STEPS} kubectl steps; remove some before adding more"
            ),
        );
    }
    crate::session::adopt(state);
    let output = kubectl::step_output(&action, "default");
    let at = millis(state.play.t);
    state
        .play
        .steps
        .retain(|s| s.step.at != at || !replaces(&action, &s.step.action));
    let step = SessionStep {
        command: line.clone(),
        step: Step {
            at,
            action,
            namespace: "default".into(),
            line: 0,
        },
    };
    let pos = state.play.steps.partition_point(|s| s.step.at <= at);
    state.play.steps.insert(pos, step);
    state.play.steps_seq += 1;
    resimulate(state);
    ConsoleEntry {
        command: line,
        output: format!("{output}(a step at {})\n", format_t(state.play.t)),
        error: false,
    }
}

/// A step from a panel control: the same command line the kubectl bar would take (so the
/// session and share links carry it), echoed in the console.
fn panel_step(state: &mut State, line: String) {
    let entry = match kubectl::parse(&line) {
        Ok(Command::Step(action)) => add_step(state, line, action),
        Ok(_) => return,
        Err(message) => error_entry(line, &message),
    };
    push_console(&mut state.play, entry);
}

fn error_entry(command: String, message: &str) -> ConsoleEntry {
    ConsoleEntry {
        command,
        output: format!("{message}\n"),
        error: true,
    }
}

fn run_kubectl(state: &mut State, line: String) {
    let line = line.trim().to_owned();
    if line.is_empty() {
        return;
    }
    if state.play.history.last() != Some(&line) {
        state.play.history.push(line.clone());
        if state.play.history.len() > HISTORY_MAX {
            state.play.history.remove(0);
        }
    }
    let entry = match kubectl::parse(&line) {
        Err(message) => error_entry(line, &message),
        Ok(Command::Step(action)) => add_step(state, line, action),
        Ok(command) => {
            let view = View {
                timeline: &state.play.timeline,
                t: state.play.t,
                namespace: "default",
            };
            ConsoleEntry {
                command: line,
                output: kubectl::run(&command, &view),
                error: false,
            }
        }
    };
    push_console(&mut state.play, entry);
}

/// Applies a playground action to the state.
pub fn reduce(state: &mut State, action: PlayAction) {
    match action {
        PlayAction::Simulate => resimulate(state),
        PlayAction::Toggle => {
            let play = &mut state.play;
            if !play.playing && play.t >= play.until {
                play.t = 0.0;
            }
            play.playing = !play.playing;
        }
        PlayAction::Advance(ms) => {
            let play = &mut state.play;
            if play.playing {
                play.t = (play.t + ms / 1000.0 * f64::from(play.speed)).min(play.until);
                if play.t >= play.until {
                    play.playing = false;
                }
            }
        }
        PlayAction::Seek(t) => state.play.t = t.clamp(0.0, state.play.until),
        PlayAction::Nudge(d) => state.play.t = (state.play.t + d).clamp(0.0, state.play.until),
        PlayAction::StepEvent(dir) => {
            let play = &mut state.play;
            let events = &play.timeline.events;
            let t = play.t;
            let next = if dir > 0 {
                events.iter().map(|e| e.t).find(|&et| et > t + 1e-9)
            } else {
                events.iter().rev().map(|e| e.t).find(|&et| et < t - 1e-9)
            };
            play.t = next.unwrap_or(if dir > 0 { play.until } else { 0.0 });
            play.playing = false;
        }
        PlayAction::Speed(s) => state.play.speed = s,
        PlayAction::Panel(p) => state.play.panel = p,
        PlayAction::Event(index) => {
            let Some(e) = state.play.timeline.events.get(index) else {
                return;
            };
            let (t, line) = (e.t, e.line);
            state.play.t = t;
            state.play.playing = false;
            if let Some((from, to)) = line.and_then(|l| line_range(&state.text, l)) {
                let seq = state.reveal.map_or(0, |r| r.seq.wrapping_add(1));
                state.reveal = Some(Reveal { seq, from, to });
            }
        }
        PlayAction::Kubectl(line) => {
            run_kubectl(state, line);
            // A lesson step may ask for a kubectl command (`ran` goals).
            crate::lesson::evaluate(state);
        }
        PlayAction::RemoveStep(i) => {
            if i < state.play.steps.len() {
                crate::session::adopt(state);
                state.play.steps.remove(i);
                state.play.steps_seq += 1;
                resimulate(state);
            }
        }
        PlayAction::ClearSteps => {
            if !state.play.steps.is_empty() {
                crate::session::adopt(state);
                state.play.steps.clear();
                state.play.steps_seq += 1;
                resimulate(state);
            }
        }
        PlayAction::ClearConsole => state.play.console.clear(),
        PlayAction::SelectDeployment(d) => state.play.deployment = Some(d),
        PlayAction::ShareNotice(n) => state.play.share_notice = n,
        PlayAction::Request(q) => state.play.request = q,
        PlayAction::Load {
            deployment,
            cpu_milli,
        } => panel_step(
            state,
            format!(
                "sim load deployment/{deployment} --cpu={}m",
                cpu_milli.max(0)
            ),
        ),
        PlayAction::MemoryPressure { node, bytes } => panel_step(
            state,
            format!(
                "sim memory-pressure {node} --usage={}Mi",
                bytes.max(0) / (1024 * 1024)
            ),
        ),
        PlayAction::QosNode(node) => state.play.qos_node = Some(node),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_time_like_the_bar() {
        assert_eq!(format_t(0.0), "t=0s");
        assert_eq!(format_t(90.4), "t=1m30s");
        assert_eq!(format_t(3725.0), "t=1h2m5s");
    }

    #[test]
    fn a_slider_step_replaces_only_its_own_kind_on_the_same_object() {
        let load = |d: &str, cpu_milli| SimAction::Load {
            deployment: d.into(),
            cpu_milli,
        };
        let pressure = |n: &str| SimAction::MemoryPressure {
            node: n.into(),
            bytes: 1,
        };
        assert!(replaces(&load("web", 80), &load("web", 20)));
        assert!(!replaces(&load("web", 80), &load("api", 20)));
        assert!(replaces(&pressure("node-1"), &pressure("node-1")));
        assert!(!replaces(&pressure("node-1"), &pressure("node-2")));
        assert!(!replaces(&pressure("node-1"), &load("web", 20)));
        let scale = SimAction::Scale {
            deployment: "web".into(),
            replicas: 2,
        };
        assert!(!replaces(&scale, &scale));
    }

    #[test]
    fn session_steps_set_values_from_their_time_on() {
        let steps: Vec<SessionStep> = [
            (30_000, "sim load deploy/web --cpu=80m"),
            (240_000, "sim load deploy/web --cpu=20m"),
        ]
        .iter()
        .map(|(at, c)| SessionStep::parse(*at, c).expect("a step"))
        .collect();
        let load = |t| {
            step_value_at(&steps, t, |a| match a {
                SimAction::Load { cpu_milli, .. } => Some(*cpu_milli),
                _ => None,
            })
        };
        assert_eq!(load(29.9), None);
        assert_eq!(load(30.0), Some(80));
        assert_eq!(load(239.0), Some(80));
        assert_eq!(load(600.0), Some(20));
    }

    #[test]
    fn line_ranges_count_utf16() {
        let text = "a: é\nb: 😀\nc: 1";
        assert_eq!(line_range(text, 1), Some((0, 4)));
        assert_eq!(line_range(text, 2), Some((5, 10)));
        assert_eq!(line_range(text, 3), Some((11, 15)));
        assert_eq!(line_range(text, 4), None);
    }
}
