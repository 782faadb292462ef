//! Goals about the learner's kubectl session: `ran: {command: "describe pod", about: search}`.
//!
//! The debugging lessons ask the learner to find a cause the way they would on a real
//! cluster, with `get`, `describe`, `logs` and `get events` in the kubectl bar, before fixing
//! the YAML. A `ran` goal is met once a command of the session matches its pattern. Both the
//! pattern and the learner's commands are read by [`crate::kubectl::parse`], so aliases
//! (`po`, `deploy`, `ev`), a `kubectl` prefix, `TYPE/NAME` and flags count as kubectl counts
//! them. A lesson step lists the commands a learner would run in `commands:`; `lessons
//! check` evaluates the solution with them.

use serde::Serialize;

use crate::kubectl::{self, Command, Resource};

/// What a `ran` goal asks for: a kubectl query, optionally about a named object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommandPattern {
    /// The pattern as the lesson writes it: `describe pod`, `logs --previous`, `get events`.
    pub command: String,
    /// The object the command must name (its name starts with this: pods of `search` are
    /// `search-7d4b9c-x2k9q`); a listing without a name shows it too and counts.
    pub about: Option<String>,
    #[serde(skip)]
    query: Query,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Query {
    Get(Option<Resource>),
    Describe(Option<Resource>),
    Logs { previous: bool },
    Top(Option<bool>),
    RolloutStatus,
    RolloutHistory,
    Explain,
    AuthCanI,
}

const KNOWN: &str =
    "get, describe, logs [--previous], top, rollout status, rollout history, explain or auth can-i";

impl CommandPattern {
    /// Reads a pattern such as `describe pod` or `logs --previous`.
    ///
    /// # Errors
    /// A message naming the part of the pattern that is not a kubectl query kubeplay runs.
    pub fn new(command: &str, about: Option<String>) -> Result<Self, String> {
        let mut words: Vec<&str> = command.split_whitespace().collect();
        if words.first() == Some(&"kubectl") {
            words.remove(0);
        }
        let resource = |w: Option<&&str>| -> Result<Option<Resource>, String> {
            w.map(|w| {
                Resource::parse(w).ok_or_else(|| format!("`{w}` is not a resource kubectl lists"))
            })
            .transpose()
        };
        let query = match words.as_slice() {
            ["get", rest @ ..] if rest.len() <= 1 => Query::Get(resource(rest.first())?),
            ["describe", rest @ ..] if rest.len() <= 1 => Query::Describe(resource(rest.first())?),
            ["logs"] => Query::Logs { previous: false },
            ["logs", "-p" | "--previous"] => Query::Logs { previous: true },
            ["top"] => Query::Top(None),
            ["top", "pod" | "pods" | "po"] => Query::Top(Some(false)),
            ["top", "node" | "nodes" | "no"] => Query::Top(Some(true)),
            ["rollout", "status"] => Query::RolloutStatus,
            ["rollout", "history"] => Query::RolloutHistory,
            ["explain"] => Query::Explain,
            ["auth", "can-i"] => Query::AuthCanI,
            _ => {
                return Err(format!(
                    "`{command}` is not a kubectl query a `ran` goal can ask for: use {KNOWN}"
                ));
            }
        };
        Ok(Self {
            command: words.join(" "),
            about,
            query,
        })
    }

    /// Whether one command line of the session matches.
    #[must_use]
    pub fn matches(&self, line: &str) -> bool {
        let Ok(command) = kubectl::parse(line) else {
            return false;
        };
        let resource_ok = |want: Option<Resource>, got: Resource| want.is_none_or(|w| w == got);
        match (self.query, &command) {
            (Query::Get(want), Command::Get { resource, name, .. }) => {
                resource_ok(want, *resource) && self.about_ok(name.as_deref())
            }
            (Query::Describe(want), Command::Describe { resource, name }) => {
                resource_ok(want, *resource) && self.about_ok(Some(name))
            }
            (Query::Logs { previous }, Command::Logs { pod, previous: p }) => {
                (!previous || *p) && self.about_ok(Some(pod))
            }
            (Query::Top(want), Command::Top { nodes }) => want.is_none_or(|w| w == *nodes),
            (Query::RolloutStatus, Command::RolloutStatus { deployment })
            | (Query::RolloutHistory, Command::RolloutHistory { deployment }) => {
                self.about_ok(Some(deployment))
            }
            (Query::Explain, Command::Explain { .. })
            | (Query::AuthCanI, Command::AuthCanI { .. }) => true,
            _ => false,
        }
    }

    fn about_ok(&self, name: Option<&str>) -> bool {
        match (&self.about, name) {
            (Some(about), Some(name)) => name.starts_with(about.as_str()),
            _ => true,
        }
    }

    /// The goal in words: ``Run `kubectl describe pod` on `search` in the kubectl bar``.
    #[must_use]
    pub fn describe(&self) -> String {
        match &self.about {
            Some(a) => format!("Run `kubectl {}` on `{a}` in the kubectl bar", self.command),
            None => format!("Run `kubectl {}` in the kubectl bar", self.command),
        }
    }

    /// Met by the first matching command of the session, quoted back; else what to run.
    pub(crate) fn outcome(&self, commands: &[String]) -> Result<String, String> {
        commands
            .iter()
            .find(|c| self.matches(c))
            .map(|c| format!("you ran `{}`", c.trim()))
            .ok_or_else(|| {
                format!(
                    "not yet: run `kubectl {}`{} in the kubectl bar and read what it says",
                    self.command,
                    self.about
                        .as_ref()
                        .map(|a| format!(" on `{a}`"))
                        .unwrap_or_default()
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::CommandPattern;

    fn pattern(command: &str, about: Option<&str>) -> CommandPattern {
        CommandPattern::new(command, about.map(str::to_owned)).unwrap()
    }

    #[test]
    fn aliases_prefixes_and_type_name_forms_count() {
        let p = pattern("describe pod", Some("search"));
        assert!(p.matches("describe pod search-7d4b9c-x2k9q"));
        assert!(p.matches("kubectl describe po/search-7d4b9c-x2k9q"));
        assert!(p.matches("k describe pods search-7d4b9c-x2k9q -n default"));
        assert!(
            !p.matches("describe pod cache-5f6d-abcde"),
            "another workload"
        );
        assert!(!p.matches("describe deploy search"), "another resource");
        assert!(!p.matches("get pods"), "another verb");
        assert!(!p.matches("describe pod"), "kubectl refuses it: no name");
    }

    #[test]
    fn listings_count_for_the_object_they_show() {
        let p = pattern("get events", None);
        assert!(p.matches("get ev"));
        assert!(p.matches("kubectl get events -w"));
        assert!(!p.matches("get pods"));
        let pods = pattern("get pods", Some("orders"));
        assert!(pods.matches("get po"));
        assert!(pods.matches("get pods -o wide"));
        assert!(pods.matches("get pod orders-6c9f-zzz"));
        assert!(!pods.matches("get pod cache-6c9f-zzz"));
    }

    #[test]
    fn logs_previous_needs_the_flag() {
        let p = pattern("logs --previous", Some("orders"));
        assert!(p.matches("logs orders-6c9f-zzz --previous"));
        assert!(p.matches("logs -p orders-6c9f-zzz"));
        assert!(!p.matches("logs orders-6c9f-zzz"));
        let any = pattern("logs", None);
        assert!(any.matches("logs orders-6c9f-zzz"));
        assert!(any.matches("logs -p orders-6c9f-zzz"));
    }

    #[test]
    fn other_queries() {
        assert!(pattern("top", None).matches("top nodes"));
        assert!(pattern("top nodes", None).matches("top no"));
        assert!(!pattern("top nodes", None).matches("top pods"));
        assert!(pattern("rollout status", Some("web")).matches("rollout status deploy/web"));
        assert!(pattern("rollout history", None).matches("rollout history deployment/web"));
        assert!(pattern("explain", None).matches("explain pod.spec.containers"));
        assert!(
            pattern("auth can-i", None)
                .matches("auth can-i get configmaps --as system:serviceaccount:default:reader")
        );
    }

    #[test]
    fn patterns_that_are_not_queries_are_refused() {
        for bad in [
            "scale deploy",
            "get pods web",
            "describe frobs",
            "logs --follow",
            "rollout",
            "",
        ] {
            let err = CommandPattern::new(bad, None).unwrap_err();
            assert!(
                err.contains("a `ran` goal") || err.contains("not a resource"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn outcome_quotes_the_command_or_says_what_to_run() {
        let p = pattern("describe pod", Some("search"));
        let commands = vec![
            "get pods".to_owned(),
            " describe pod search-abc ".to_owned(),
        ];
        assert_eq!(
            p.outcome(&commands),
            Ok("you ran `describe pod search-abc`".into())
        );
        assert_eq!(
            p.outcome(&[]),
            Err(
                "not yet: run `kubectl describe pod` on `search` in the kubectl bar and read what it says"
                    .into()
            )
        );
    }
}
