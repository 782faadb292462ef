//! Reads a kubectl command line into a [`Command`], with kubectl's own error wording for
//! what it does not understand.

use crate::model::Quantity;
use crate::sim::Action;

/// The kinds `get` and `describe` know, with kubectl's short names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    Pods,
    Deployments,
    ReplicaSets,
    Services,
    Endpoints,
    Hpa,
    Events,
    Nodes,
    Secrets,
    ConfigMaps,
    PersistentVolumeClaims,
}

/// How `get` prints: kubectl's table, the wide table, or the stored object (`-o yaml`,
/// `-o json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Table,
    Wide,
    Yaml,
    Json,
}

impl Resource {
    #[must_use]
    pub fn parse(word: &str) -> Option<Self> {
        let w = word.to_ascii_lowercase();
        let w = w.split('.').next().unwrap_or("");
        Some(match w {
            "po" | "pod" | "pods" => Self::Pods,
            "deploy" | "deployment" | "deployments" => Self::Deployments,
            "rs" | "replicaset" | "replicasets" => Self::ReplicaSets,
            "svc" | "service" | "services" => Self::Services,
            "ep" | "endpoints" => Self::Endpoints,
            "hpa" | "horizontalpodautoscaler" | "horizontalpodautoscalers" => Self::Hpa,
            "ev" | "event" | "events" => Self::Events,
            "no" | "node" | "nodes" => Self::Nodes,
            "secret" | "secrets" => Self::Secrets,
            "cm" | "configmap" | "configmaps" => Self::ConfigMaps,
            "pvc" | "persistentvolumeclaim" | "persistentvolumeclaims" => {
                Self::PersistentVolumeClaims
            }
            _ => return None,
        })
    }

    /// The resource as kubectl names it in messages (`deployment.apps`).
    #[must_use]
    pub const fn qualified(self) -> &'static str {
        match self {
            Self::Pods => "pod",
            Self::Deployments => "deployment.apps",
            Self::ReplicaSets => "replicaset.apps",
            Self::Services => "service",
            Self::Endpoints => "endpoints",
            Self::Hpa => "horizontalpodautoscaler.autoscaling",
            Self::Events => "event",
            Self::Nodes => "node",
            Self::Secrets => "secret",
            Self::ConfigMaps => "configmap",
            Self::PersistentVolumeClaims => "persistentvolumeclaim",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Get {
        resource: Resource,
        name: Option<String>,
        output: Output,
        /// `--show-labels`: a LABELS column after the others.
        show_labels: bool,
    },
    Describe {
        resource: Resource,
        name: String,
    },
    Logs {
        pod: String,
        previous: bool,
    },
    Top {
        nodes: bool,
    },
    RolloutStatus {
        deployment: String,
    },
    RolloutHistory {
        deployment: String,
    },
    Explain {
        path: String,
    },
    AuthCanI {
        verb: String,
        resource: String,
        as_user: Option<String>,
    },
    /// A command that changes the cluster: it becomes a scenario step.
    Step(Action),
}

/// Splits a command line like a shell would (quotes, no expansion).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `deployment/web`, `deploy web` or `web` (for commands that only take deployments).
fn deployment_arg(args: &mut Vec<String>) -> Result<String, String> {
    if args.is_empty() {
        return Err("error: you must specify a deployment, e.g. deployment/web".into());
    }
    let first = args.remove(0);
    if let Some((kind, name)) = first.split_once('/') {
        return match Resource::parse(kind) {
            Some(Resource::Deployments) => Ok(name.to_owned()),
            _ => Err(format!(
                "error: kubeplay supports this command for deployments only, not \"{kind}\""
            )),
        };
    }
    if Resource::parse(&first) == Some(Resource::Deployments) {
        if args.is_empty() {
            return Err("error: you must specify the deployment's name".into());
        }
        return Ok(args.remove(0));
    }
    Ok(first)
}

/// Takes `--name=value` or `--name value` out of `args`.
fn take_flag(args: &mut Vec<String>, names: &[&str]) -> Option<String> {
    let i = args.iter().position(|a| {
        names
            .iter()
            .any(|n| a == n || a.starts_with(&format!("{n}=")))
    })?;
    let a = args.remove(i);
    if let Some((_, v)) = a.split_once('=') {
        return Some(v.to_owned());
    }
    (i < args.len()).then(|| args.remove(i))
}

fn take_switch(args: &mut Vec<String>, names: &[&str]) -> bool {
    let before = args.len();
    args.retain(|a| !names.contains(&a.as_str()));
    args.len() != before
}

const SIM_USAGE: &str = "error: kubeplay's own steps (not kubectl) are: sim load deployment/NAME --cpu=QUANTITY, sim memory-pressure NODE --usage=QUANTITY";

/// A required quantity flag, e.g. `--cpu=150m`.
fn quantity_flag(args: &mut Vec<String>, name: &str) -> Result<Quantity, String> {
    let value = take_flag(args, &[name])
        .ok_or_else(|| format!("error: required flag(s) \"{}\" not set", &name[2..]))?;
    Quantity::parse(&value)
        .map_err(|e| format!("error: invalid argument \"{value}\" for \"{name}\" flag: {e}"))
}

/// `sim load deployment/web --cpu=150m` and `sim memory-pressure node-1 --usage=7.5Gi`:
/// the scenario's `load` and `memoryPressure` steps, which kubectl has no command for (the
/// playground's Autoscaling and QoS panels write them).
fn sim_step(args: &mut Vec<String>) -> Result<Action, String> {
    let sub = (!args.is_empty()).then(|| args.remove(0));
    match sub.as_deref() {
        Some("load") => {
            let cpu = quantity_flag(args, "--cpu")?;
            let deployment = deployment_arg(args)?;
            Ok(Action::Load {
                deployment,
                cpu_milli: i64::try_from(cpu.millis()).unwrap_or(i64::MAX).max(0),
            })
        }
        Some("memory-pressure") => {
            let usage = quantity_flag(args, "--usage")?;
            let node = args.first().cloned().ok_or(SIM_USAGE)?;
            Ok(Action::MemoryPressure {
                node: node.trim_start_matches("node/").to_owned(),
                bytes: i64::try_from(usage.units()).unwrap_or(i64::MAX).max(0),
            })
        }
        _ => Err(SIM_USAGE.into()),
    }
}

/// Parses one command line (the `kubectl` prefix is optional).
///
/// # Errors
/// What kubectl would answer for a command it cannot run.
pub fn parse(line: &str) -> Result<Command, String> {
    let mut args = words(line);
    if args.first().is_some_and(|w| w == "kubectl" || w == "k") {
        args.remove(0);
    }
    // Flags that do not matter in a single-namespace playground.
    let _ = take_flag(&mut args, &["-n", "--namespace"]);
    take_switch(
        &mut args,
        &[
            "-A",
            "--all-namespaces",
            "--ignore-daemonsets",
            "--delete-emptydir-data",
            "-w",
            "--watch",
        ],
    );
    let output = take_flag(&mut args, &["-o", "--output"]);
    if args.is_empty() {
        return Err("error: type a kubectl command, for example: get pods".into());
    }
    let verb = args.remove(0);
    let resource = |args: &mut Vec<String>| -> Result<(Resource, Option<String>), String> {
        let Some(first) = (!args.is_empty()).then(|| args.remove(0)) else {
            return Err("error: you must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.".into());
        };
        let (kind, name) = match first.split_once('/') {
            Some((k, n)) => (k.to_owned(), Some(n.to_owned())),
            None => (first, (!args.is_empty()).then(|| args.remove(0))),
        };
        let r = Resource::parse(&kind)
            .ok_or_else(|| format!("error: the server doesn't have a resource type \"{kind}\""))?;
        Ok((r, name))
    };
    match verb.as_str() {
        "get" => {
            let show_labels = take_switch(&mut args, &["--show-labels"]);
            let (resource, name) = resource(&mut args)?;
            let output = match output.as_deref() {
                None => Output::Table,
                Some("wide") => Output::Wide,
                Some("yaml") => Output::Yaml,
                Some("json") => Output::Json,
                Some(other) => {
                    // kubectl's `printers.NoCompatiblePrinterError`, with the formats
                    // kubeplay has.
                    return Err(format!(
                        "error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: json,wide,yaml"
                    ));
                }
            };
            Ok(Command::Get {
                resource,
                name,
                output,
                show_labels,
            })
        }
        "describe" => {
            let (resource, name) = resource(&mut args)?;
            let name = name.ok_or(
                "error: describe needs a name, for example: describe pod web-7d4b9c-x2k9q",
            )?;
            Ok(Command::Describe { resource, name })
        }
        "logs" => {
            let previous = take_switch(&mut args, &["-p", "--previous"]);
            let _ = take_flag(&mut args, &["-c", "--container"]);
            let pod = args.first().cloned().ok_or("error: expected POD_NAME")?;
            Ok(Command::Logs {
                pod: pod.trim_start_matches("pod/").to_owned(),
                previous,
            })
        }
        "top" => match args.first().map(String::as_str) {
            Some("pod" | "pods" | "po") | None => Ok(Command::Top { nodes: false }),
            Some("node" | "nodes" | "no") => Ok(Command::Top { nodes: true }),
            Some(other) => Err(format!(
                "error: unknown command \"{other}\" for \"kubectl top\""
            )),
        },
        "scale" => {
            let replicas = take_flag(&mut args, &["--replicas"])
                .ok_or("error: required flag(s) \"replicas\" not set")?;
            let replicas: i64 = replicas.parse().ok().filter(|n| *n >= 0).ok_or_else(|| {
                format!("error: invalid argument \"{replicas}\" for \"--replicas\" flag")
            })?;
            let deployment = deployment_arg(&mut args)?;
            Ok(Command::Step(Action::Scale {
                deployment,
                replicas,
            }))
        }
        "set" => {
            if args.first().map(String::as_str) != Some("image") {
                return Err("error: kubeplay supports \"kubectl set image\" only".into());
            }
            args.remove(0);
            let deployment = deployment_arg(&mut args)?;
            let pair = args
                .first()
                .cloned()
                .ok_or("error: expected CONTAINER=IMAGE")?;
            let (container, image) = pair
                .split_once('=')
                .ok_or("error: expected CONTAINER=IMAGE")?;
            Ok(Command::Step(Action::SetImage {
                deployment,
                container: (container != "*").then(|| container.to_owned()),
                image: image.to_owned(),
            }))
        }
        "rollout" => {
            let sub = if args.is_empty() {
                String::new()
            } else {
                args.remove(0)
            };
            let to_revision = take_flag(&mut args, &["--to-revision"]).and_then(|r| r.parse().ok());
            let deployment = deployment_arg(&mut args)?;
            Ok(match sub.as_str() {
                "status" => Command::RolloutStatus { deployment },
                "history" => Command::RolloutHistory { deployment },
                "undo" => Command::Step(Action::RolloutUndo {
                    deployment,
                    to_revision,
                }),
                "restart" => Command::Step(Action::RolloutRestart { deployment }),
                "pause" => Command::Step(Action::Pause { deployment }),
                "resume" => Command::Step(Action::Resume { deployment }),
                other => {
                    return Err(format!(
                        "error: unknown command \"{other}\" for \"kubectl rollout\""
                    ));
                }
            })
        }
        "delete" => {
            let (resource, name) = resource(&mut args)?;
            if resource != Resource::Pods {
                return Err(
                    "error: kubeplay deletes pods only; remove other objects from the YAML".into(),
                );
            }
            let pod = name.ok_or("error: resource(s) were provided, but no name was specified")?;
            Ok(Command::Step(Action::DeletePod { pod }))
        }
        "drain" | "cordon" | "uncordon" => {
            let node = args
                .first()
                .cloned()
                .ok_or("error: USAGE: kubectl drain NODE")?;
            let node = node.trim_start_matches("node/").to_owned();
            Ok(Command::Step(match verb.as_str() {
                "drain" => Action::Drain { node },
                "cordon" => Action::Cordon { node },
                _ => Action::Uncordon { node },
            }))
        }
        "explain" => Ok(Command::Explain {
            path: args
                .first()
                .cloned()
                .ok_or("error: You must specify the type of resource to explain.")?,
        }),
        "auth" => {
            if args.first().map(String::as_str) != Some("can-i") {
                return Err("error: kubeplay supports \"kubectl auth can-i\" only".into());
            }
            args.remove(0);
            let as_user = take_flag(&mut args, &["--as"]);
            let verb = args
                .first()
                .cloned()
                .ok_or("error: you must specify two arguments: verb resource")?;
            let resource = args
                .get(1)
                .cloned()
                .ok_or("error: you must specify two arguments: verb resource")?;
            Ok(Command::AuthCanI {
                verb,
                resource,
                as_user,
            })
        }
        "sim" => sim_step(&mut args).map(Command::Step),
        other => {
            const VERBS: &[&str] = &[
                "get", "describe", "logs", "top", "scale", "set", "rollout", "delete", "drain",
                "cordon", "uncordon", "explain", "auth", "sim",
            ];
            let best = VERBS
                .iter()
                .min_by_key(|v| crate::suggest::edit_distance(other, v))
                .copied()
                .unwrap_or("get");
            Err(format!(
                "error: unknown command \"{other}\" for \"kubectl\"\n\nDid you mean this?\n\t{best}"
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries() {
        assert_eq!(
            parse("kubectl get pods").unwrap(),
            Command::Get {
                resource: Resource::Pods,
                name: None,
                output: Output::Table,
                show_labels: false
            }
        );
        assert_eq!(
            parse("get deploy/web -o wide").unwrap(),
            Command::Get {
                resource: Resource::Deployments,
                name: Some("web".into()),
                output: Output::Wide,
                show_labels: false
            }
        );
        for line in [
            "get svc checkout -o yaml",
            "get svc checkout --output=yaml",
            "get svc/checkout --output yaml",
        ] {
            assert_eq!(
                parse(line).unwrap(),
                Command::Get {
                    resource: Resource::Services,
                    name: Some("checkout".into()),
                    output: Output::Yaml,
                    show_labels: false
                },
                "{line}"
            );
        }
        assert_eq!(
            parse("get secrets -o json").unwrap(),
            Command::Get {
                resource: Resource::Secrets,
                name: None,
                output: Output::Json,
                show_labels: false
            }
        );
        assert_eq!(
            parse("get pods --show-labels").unwrap(),
            Command::Get {
                resource: Resource::Pods,
                name: None,
                output: Output::Table,
                show_labels: true
            }
        );
        assert_eq!(
            parse("get pods -o name").unwrap_err(),
            "error: unable to match a printer suitable for the output format \"name\", allowed formats are: json,wide,yaml"
        );
        assert_eq!(
            parse("k logs web-1 --previous").unwrap(),
            Command::Logs {
                pod: "web-1".into(),
                previous: true
            }
        );
        assert!(
            parse("get pdos")
                .unwrap_err()
                .contains("doesn't have a resource type \"pdos\"")
        );
        assert!(
            parse("gte pods")
                .unwrap_err()
                .contains("Did you mean this?\n\tget")
        );
    }

    #[test]
    fn steps() {
        assert_eq!(
            parse("kubectl scale deployment/web --replicas=5").unwrap(),
            Command::Step(Action::Scale {
                deployment: "web".into(),
                replicas: 5
            })
        );
        assert_eq!(
            parse("set image deploy/web web=nginx:1.28").unwrap(),
            Command::Step(Action::SetImage {
                deployment: "web".into(),
                container: Some("web".into()),
                image: "nginx:1.28".into()
            })
        );
        assert_eq!(
            parse("rollout undo deployment web --to-revision=1").unwrap(),
            Command::Step(Action::RolloutUndo {
                deployment: "web".into(),
                to_revision: Some(1)
            })
        );
        assert_eq!(
            parse("delete pod web-1").unwrap(),
            Command::Step(Action::DeletePod {
                pod: "web-1".into()
            })
        );
        assert!(
            parse("scale deployment/web")
                .unwrap_err()
                .contains("required flag(s) \"replicas\" not set")
        );
    }

    #[test]
    fn sim_steps() {
        assert_eq!(
            parse("sim load deploy/web --cpu=150m").unwrap(),
            Command::Step(Action::Load {
                deployment: "web".into(),
                cpu_milli: 150
            })
        );
        assert_eq!(
            parse("sim load web --cpu 1.5").unwrap(),
            Command::Step(Action::Load {
                deployment: "web".into(),
                cpu_milli: 1500
            })
        );
        assert_eq!(
            parse("sim memory-pressure node/node-1 --usage=7.5Gi").unwrap(),
            Command::Step(Action::MemoryPressure {
                node: "node-1".into(),
                bytes: 7680 * 1024 * 1024
            })
        );
        assert!(
            parse("sim load deploy/web")
                .unwrap_err()
                .contains("required flag(s) \"cpu\" not set")
        );
        assert!(
            parse("sim load deploy/web --cpu=lots")
                .unwrap_err()
                .starts_with("error: invalid argument \"lots\" for \"--cpu\" flag")
        );
        assert!(
            parse("sim stress")
                .unwrap_err()
                .contains("sim load deployment/NAME")
        );
        assert!(
            parse("sin load web --cpu=1")
                .unwrap_err()
                .ends_with("\tsim")
        );
    }
}
