//! Scenarios: what happens to the cluster over time (DESIGN.md "The simulator's inputs").
//! Parsed from YAML with positioned errors; the UI's buttons, the kubectl bar, lessons and
//! the CLI all produce these same steps.

use super::app::Millis;
use crate::model::Quantity;
use crate::yaml::{Limits, Node, NodeKind, parse};

#[derive(Clone, Debug, PartialEq)]
pub struct NodeSpec {
    pub name: String,
    pub cpu_milli: i64,
    pub memory: i64,
    pub max_pods: i64,
    pub labels: Vec<(String, String)>,
    pub taints: Vec<(String, String, String)>,
}

impl NodeSpec {
    /// The default node: 4 CPU, 8Gi, 110 pods allocatable.
    #[must_use]
    pub fn default_named(name: String) -> Self {
        Self {
            name,
            cpu_milli: 4_000,
            memory: 8 * 1024 * 1024 * 1024,
            max_pods: 110,
            labels: Vec::new(),
            taints: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Objects to apply: a path relative to the scenario file, or inline YAML.
    Apply {
        path: Option<String>,
        inline: Option<String>,
    },
    SetImage {
        deployment: String,
        container: Option<String>,
        image: String,
    },
    Scale {
        deployment: String,
        replicas: i64,
    },
    /// Per-pod CPU usage of a workload (millicores), including pods created later.
    Load {
        deployment: String,
        cpu_milli: i64,
    },
    /// An HTTP(S) request to the Ingress controller.
    Request {
        host: Option<String>,
        path: String,
        https: bool,
    },
    /// An HTTP request to a node's IP on a node port (kube-proxy's NodePort).
    NodePortRequest {
        node: String,
        port: i64,
        path: String,
    },
    DeletePod {
        pod: String,
    },
    RolloutUndo {
        deployment: String,
        to_revision: Option<i64>,
    },
    RolloutRestart {
        deployment: String,
    },
    Pause {
        deployment: String,
    },
    Resume {
        deployment: String,
    },
    Drain {
        node: String,
    },
    Cordon {
        node: String,
    },
    Uncordon {
        node: String,
    },
    /// Processes other than pods use `bytes` of memory on `node` (0 clears it).
    MemoryPressure {
        node: String,
        bytes: i64,
    },
    EditConfigMap {
        name: String,
        data: Vec<(String, String)>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub at: Millis,
    pub action: Action,
    pub namespace: String,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub nodes: Vec<NodeSpec>,
    pub steps: Vec<Step>,
    pub until: Millis,
}

/// A problem in the scenario file, at its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    pub line: u32,
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The longest simulated span: a week.
pub const MAX_UNTIL: Millis = 7 * 24 * 3600 * 1000;

/// Parses `90s`, `2m`, `1h30m`, `1.5` (seconds) into milliseconds.
#[must_use]
pub fn parse_duration(text: &str) -> Option<Millis> {
    let t = text.trim();
    if let Ok(s) = t.parse::<f64>() {
        return (s.is_finite() && s >= 0.0)
            .then(|| (s * 1000.0).round().min(MAX_UNTIL as f64 * 10.0) as Millis);
    }
    let mut total = 0f64;
    let mut num = String::new();
    let mut chars = t.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let unit = if c == 'm' && chars.peek() == Some(&'s') {
            chars.next();
            0.001
        } else {
            match c {
                'h' => 3600.0,
                'm' => 60.0,
                's' => 1.0,
                _ => return None,
            }
        };
        let n: f64 = num.parse().ok()?;
        total += n * unit;
        num.clear();
        any = true;
    }
    if !num.is_empty() || !any || !total.is_finite() {
        return None;
    }
    Some((total * 1000.0).round().min(MAX_UNTIL as f64 * 10.0) as Millis)
}

struct Reader<'a> {
    text: &'a str,
    index: crate::text::LineIndex,
}

impl Reader<'_> {
    fn line(&self, node: &Node) -> u32 {
        self.index.location(self.text, node.range.start).line
    }

    fn err(&self, node: &Node, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            line: self.line(node),
            message: message.into(),
        }
    }

    fn string(&self, node: &Node, key: &str) -> Result<String, ScenarioError> {
        node.get(key)
            .and_then(|v| v.as_scalar())
            .map(|s| s.value.clone())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| self.err(node, format!("`{key}` is required")))
    }

    fn opt(node: &Node, key: &str) -> Option<String> {
        node.get(key)
            .and_then(|v| v.as_scalar())
            .map(|s| s.value.clone())
    }
}

/// Parses a scenario file.
///
/// # Errors
/// The first problem found, with its line.
pub fn parse_scenario(text: &str) -> Result<Scenario, ScenarioError> {
    let stream = parse(text, &Limits::default());
    let r = Reader {
        text,
        index: crate::text::LineIndex::new(text),
    };
    if let Some(e) = stream.errors.first() {
        let (range, message) = match e {
            crate::yaml::YamlError::Syntax { range, message } => (*range, message.clone()),
            crate::yaml::YamlError::DuplicateKey { range, key, .. } => {
                (*range, format!("duplicate key {key}"))
            }
            crate::yaml::YamlError::Limit { range, .. } => {
                (*range, "the scenario exceeds a parsing limit".into())
            }
        };
        return Err(ScenarioError {
            line: r.index.location(text, range.start).line,
            message,
        });
    }
    let root = stream
        .documents
        .into_iter()
        .find_map(|d| d.root)
        .ok_or(ScenarioError {
            line: 1,
            message: "the scenario is empty".into(),
        })?;
    if root.as_mapping().is_none() {
        return Err(r.err(
            &root,
            "a scenario is a mapping with `cluster`, `steps` and `until`",
        ));
    }
    for e in root.as_mapping().unwrap_or_default() {
        let key = e.key.as_scalar().map_or("", |s| s.value.as_str());
        if !matches!(key, "cluster" | "steps" | "until" | "namespace") {
            return Err(r.err(
                &e.key,
                format!("unknown field `{key}`; expected cluster, steps or until"),
            ));
        }
    }
    let nodes = parse_cluster(&r, root.get("cluster"))?;
    let namespace = Reader::opt(&root, "namespace").unwrap_or_else(|| "default".into());
    let mut steps = Vec::new();
    if let Some(list) = root.get("steps") {
        let items = list
            .as_sequence()
            .ok_or_else(|| r.err(list, "`steps` must be a list"))?;
        let mut last = 0;
        for item in items {
            let step = parse_step(&r, item, &namespace)?;
            if step.at < last {
                return Err(r.err(
                    item,
                    format!(
                        "steps must be in time order: this one is at {}s, after one at {}s",
                        step.at / 1000,
                        last / 1000
                    ),
                ));
            }
            last = step.at;
            steps.push(step);
        }
    }
    let until = match root.get("until") {
        None => steps
            .last()
            .map_or(600_000, |s| (s.at + 300_000).max(600_000)),
        Some(n) => {
            let v = n.as_scalar().map(|s| s.value.clone()).unwrap_or_default();
            parse_duration(&v).ok_or_else(|| {
                r.err(
                    n,
                    format!("`until: {v}` is not a duration like 600s, 10m or 600"),
                )
            })?
        }
    };
    if until > MAX_UNTIL {
        return Err(r.err(
            root.get("until").unwrap_or(&root),
            "`until` may be at most 7 days (604800s)",
        ));
    }
    Ok(Scenario {
        nodes,
        steps,
        until,
    })
}

fn parse_cluster(r: &Reader<'_>, node: Option<&Node>) -> Result<Vec<NodeSpec>, ScenarioError> {
    let default = |n: usize| {
        (1..=n)
            .map(|i| NodeSpec::default_named(format!("node-{i}")))
            .collect::<Vec<_>>()
    };
    let Some(cluster) = node else {
        return Ok(default(3));
    };
    let Some(nodes) = cluster.get("nodes") else {
        return Ok(default(3));
    };
    if let Some(n) = nodes.as_i64() {
        if !(1..=100).contains(&n) {
            return Err(r.err(nodes, "`nodes` must be between 1 and 100"));
        }
        return Ok(default(n as usize));
    }
    let list = nodes
        .as_sequence()
        .ok_or_else(|| r.err(nodes, "`nodes` is a number or a list of nodes"))?;
    if list.len() > 100 {
        return Err(r.err(nodes, "at most 100 nodes"));
    }
    let mut out = Vec::new();
    for (i, n) in list.iter().enumerate() {
        let mut spec = NodeSpec::default_named(
            Reader::opt(n, "name").unwrap_or_else(|| format!("node-{}", i + 1)),
        );
        if let Some(cpu) = n.get("cpu").and_then(|v| v.as_scalar()) {
            let q = Quantity::parse(&cpu.value).map_err(|e| r.err(n, format!("cpu: {e}")))?;
            spec.cpu_milli = i64::try_from(q.millis()).unwrap_or(i64::MAX);
        }
        if let Some(mem) = n.get("memory").and_then(|v| v.as_scalar()) {
            let q = Quantity::parse(&mem.value).map_err(|e| r.err(n, format!("memory: {e}")))?;
            spec.memory = i64::try_from(q.units()).unwrap_or(i64::MAX);
        }
        if let Some(p) = n.get("pods").and_then(Node::as_i64) {
            spec.max_pods = p.clamp(1, 1000);
        }
        if let Some(l) = n.get("labels") {
            spec.labels = l
                .string_map()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
        }
        if let Some(ts) = n.get("taints").and_then(Node::as_sequence) {
            for t in ts {
                spec.taints.push((
                    Reader::opt(t, "key").unwrap_or_default(),
                    Reader::opt(t, "value").unwrap_or_default(),
                    Reader::opt(t, "effect").unwrap_or_else(|| "NoSchedule".into()),
                ));
            }
        }
        out.push(spec);
    }
    Ok(out)
}

const ACTIONS: &[&str] = &[
    "apply",
    "setImage",
    "scale",
    "load",
    "request",
    "delete",
    "deletePod",
    "rolloutUndo",
    "rolloutRestart",
    "pause",
    "resume",
    "drain",
    "cordon",
    "uncordon",
    "editConfigMap",
    "memoryPressure",
];

fn parse_step(r: &Reader<'_>, item: &Node, default_ns: &str) -> Result<Step, ScenarioError> {
    let at_node = item
        .get("at")
        .ok_or_else(|| r.err(item, "every step needs `at:` (a time such as 30s)"))?;
    let at_text = at_node
        .as_scalar()
        .map(|s| s.value.clone())
        .unwrap_or_default();
    let at = parse_duration(&at_text).ok_or_else(|| {
        r.err(
            at_node,
            format!("`at: {at_text}` is not a time like 30s, 2m or 90"),
        )
    })?;
    if at > MAX_UNTIL {
        return Err(r.err(at_node, "steps may be at most 7 days in"));
    }
    let namespace = Reader::opt(item, "namespace").unwrap_or_else(|| default_ns.to_owned());
    let entries = item.as_mapping().unwrap_or_default();
    let action_entry = entries
        .iter()
        .find(|e| {
            e.key
                .as_scalar()
                .is_some_and(|k| k.value != "at" && k.value != "namespace")
        })
        .ok_or_else(|| {
            r.err(
                item,
                format!("the step has no action; use one of {}", ACTIONS.join(", ")),
            )
        })?;
    let name = action_entry
        .key
        .as_scalar()
        .map_or("", |s| s.value.as_str());
    let v = &action_entry.value;
    let deployment = |v: &Node| -> Result<String, ScenarioError> {
        if let Some(s) = v.as_str() {
            return Ok(s.trim_start_matches("deployment/").to_owned());
        }
        r.string(v, "deployment")
    };
    let action = match name {
        "apply" => match &v.kind {
            NodeKind::Scalar(s)
                if !s.value.contains('\n') && !s.value.trim_start().starts_with("apiVersion") =>
            {
                Action::Apply {
                    path: Some(s.value.clone()),
                    inline: None,
                }
            }
            NodeKind::Scalar(s) => Action::Apply {
                path: None,
                inline: Some(s.value.clone()),
            },
            // A mapping: its text, indented as in the file so that its lines line up.
            _ => {
                let line_start = r.text[..v.range.start].rfind('\n').map_or(0, |i| i + 1);
                let indent = " ".repeat(r.text[line_start..v.range.start].chars().count());
                Action::Apply {
                    path: None,
                    inline: Some(format!("{indent}{}", &r.text[v.range.start..v.range.end])),
                }
            }
        },
        "setImage" => Action::SetImage {
            deployment: r.string(v, "deployment")?,
            container: Reader::opt(v, "container"),
            image: r.string(v, "image")?,
        },
        "scale" => Action::Scale {
            // `statefulset: NAME` scales a StatefulSet of that name.
            deployment: Reader::opt(v, "statefulset")
                .map_or_else(|| r.string(v, "deployment"), Ok)?,
            replicas: v
                .get("replicas")
                .and_then(Node::as_i64)
                .filter(|n| *n >= 0)
                .ok_or_else(|| r.err(v, "`replicas` must be a whole number ≥ 0"))?,
        },
        "load" => {
            let cpu = r.string(v, "cpu")?;
            let q = Quantity::parse(&cpu).map_err(|e| r.err(v, format!("cpu: {e}")))?;
            Action::Load {
                deployment: r.string(v, "deployment")?,
                cpu_milli: i64::try_from(q.millis()).unwrap_or(i64::MAX).max(0),
            }
        }
        "request" => {
            let path = Reader::opt(v, "path").unwrap_or_else(|| "/".into());
            if let Some(port) = v.get("port") {
                Action::NodePortRequest {
                    node: r.string(v, "node")?,
                    port: port
                        .as_i64()
                        .filter(|p| (1..=65535).contains(p))
                        .ok_or_else(|| r.err(port, "`port` must be a port number"))?,
                    path,
                }
            } else {
                let https = match Reader::opt(v, "scheme").as_deref() {
                    None | Some("http") => false,
                    Some("https") => true,
                    Some(other) => {
                        return Err(r.err(v, format!("`scheme` is http or https, not {other}")));
                    }
                };
                Action::Request {
                    host: Reader::opt(v, "host"),
                    path,
                    https,
                }
            }
        }
        "delete" | "deletePod" => Action::DeletePod {
            pod: v
                .as_str()
                .map(|s| s.trim_start_matches("pod/").to_owned())
                .map_or_else(|| r.string(v, "pod"), Ok)?,
        },
        "rolloutUndo" => Action::RolloutUndo {
            deployment: deployment(v)?,
            to_revision: v.get("toRevision").and_then(Node::as_i64),
        },
        "rolloutRestart" => Action::RolloutRestart {
            deployment: deployment(v)?,
        },
        "pause" => Action::Pause {
            deployment: deployment(v)?,
        },
        "resume" => Action::Resume {
            deployment: deployment(v)?,
        },
        "drain" | "cordon" | "uncordon" => {
            let node = v
                .as_str()
                .map(str::to_owned)
                .map_or_else(|| r.string(v, "node"), Ok)?;
            match name {
                "drain" => Action::Drain { node },
                "cordon" => Action::Cordon { node },
                _ => Action::Uncordon { node },
            }
        }
        "memoryPressure" => {
            let usage = r.string(v, "usage")?;
            let q = Quantity::parse(&usage).map_err(|e| r.err(v, format!("usage: {e}")))?;
            Action::MemoryPressure {
                node: r.string(v, "node")?,
                bytes: i64::try_from(q.units()).unwrap_or(i64::MAX).max(0),
            }
        }
        "editConfigMap" => Action::EditConfigMap {
            name: r.string(v, "name")?,
            data: v
                .get("data")
                .map(|d| {
                    d.string_map()
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .collect()
                })
                .unwrap_or_default(),
        },
        other => {
            let best = ACTIONS
                .iter()
                .min_by_key(|a| crate::suggest::edit_distance(other, a))
                .copied()
                .unwrap_or("apply");
            return Err(r.err(
                &action_entry.key,
                format!("unknown step `{other}`; did you mean `{best}`?"),
            ));
        }
    };
    Ok(Step {
        at,
        action,
        namespace,
        line: r.line(item),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Some(90_000));
        assert_eq!(parse_duration("2m"), Some(120_000));
        assert_eq!(parse_duration("1h30m"), Some(5_400_000));
        assert_eq!(parse_duration("45"), Some(45_000));
        assert_eq!(parse_duration("500ms"), Some(500));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("-5"), None);
    }

    #[test]
    fn parses_the_design_example() {
        let text = "cluster:\n  nodes: 3\nsteps:\n  - at: 0s\n    apply: app.yaml\n  - at: 30s\n    setImage: {deployment: my-api, container: api, image: registry.example.com/my-api:1.3.0}\n  - at: 60s\n    load: {deployment: my-api, cpu: 450m}\n  - at: 90s\n    request: {host: api.example.com, path: /api/users}\nuntil: 600s\n";
        let s = parse_scenario(text).unwrap();
        assert_eq!(s.nodes.len(), 3);
        assert_eq!(s.until, 600_000);
        assert_eq!(s.steps.len(), 4);
        assert_eq!(
            s.steps[2].action,
            Action::Load {
                deployment: "my-api".into(),
                cpu_milli: 450
            }
        );
        assert_eq!(
            s.steps[0].action,
            Action::Apply {
                path: Some("app.yaml".into()),
                inline: None
            }
        );
    }

    #[test]
    fn positioned_errors() {
        let e = parse_scenario("steps:\n  - at: 10s\n    scael: {deployment: web, replicas: 3}\n")
            .unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("did you mean `scale`"), "{}", e.message);
        let e =
            parse_scenario("steps:\n  - at: 30s\n    pause: web\n  - at: 10s\n    resume: web\n")
                .unwrap_err();
        assert_eq!(e.line, 4);
        let e = parse_scenario("until: forever\n").unwrap_err();
        assert!(e.message.contains("not a duration"));
    }
}
