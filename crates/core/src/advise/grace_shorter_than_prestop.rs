//! ## What it does
//! Flags a container whose `preStop` hook sleeps for at least the pod's
//! `terminationGracePeriodSeconds` (30 when not written): either the native
//! `preStop: {sleep: {seconds: N}}` handler or an `exec` hook running `sleep N`.
//!
//! ## Why
//! The grace period starts when the pod is deleted and covers the preStop hook *and* the
//! application's own shutdown after SIGTERM. When the hook is still running as the period
//! ends, the kubelet grants a one-off 2 seconds and then SIGKILLs the container: the
//! application never gets to drain its connections.
//!
//! ## Example
//! ```yaml
//! terminationGracePeriodSeconds: 10
//! containers:
//!   - name: api
//!     lifecycle:
//!       preStop: {exec: {command: ["sleep", "15"]}}
//! ```
//! ## Fix
//! Make `terminationGracePeriodSeconds` longer than the sleep plus the time the app needs
//! after SIGTERM (`45` here).

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::model::containers;
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "grace-shorter-than-prestop",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Grace period ends before the preStop sleep does",
    why: "When a pod is deleted, terminationGracePeriodSeconds (30 by default) covers both the \
          preStop hook and the application's shutdown after SIGTERM. If the hook sleeps as long \
          as the whole period, the kubelet gives it 2 extra seconds and then kills the container \
          with SIGKILL: the application receives SIGTERM too late to finish in-flight requests \
          or close connections cleanly.",
    fix: "Set `terminationGracePeriodSeconds` to the preStop sleep plus the time the application \
          needs after SIGTERM (for example sleep + 30), or shorten the sleep.",
    docs: "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination",
};

pub static CHECK: Check = Check { rule: &RULE, run };

/// `TerminationGracePeriodSeconds` default (`pkg/apis/core/v1/defaults.go`, `SetDefaults_PodSpec`).
const DEFAULT_GRACE: i64 = 30;

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        let grace_node = p
            .spec
            .get("terminationGracePeriodSeconds")
            .filter(|n| !n.is_null());
        let grace = match grace_node {
            None => DEFAULT_GRACE,
            Some(n) => match n.as_i64() {
                Some(g) => g,
                None => continue,
            },
        };
        for c in containers(p.spec, p.path) {
            let Some(pre_stop) = c.node.at("lifecycle.preStop") else {
                continue;
            };
            let Some((sleep, node, field)) = prestop_sleep(pre_stop) else {
                continue;
            };
            if sleep < grace {
                continue;
            }
            let name = c.name.unwrap_or("?");
            let grace_text = if grace_node.is_some() {
                format!("terminationGracePeriodSeconds is {grace}")
            } else {
                format!("terminationGracePeriodSeconds defaults to {grace}")
            };
            let mut d = ctx
                .diag(
                    &RULE,
                    p.object,
                    node.range,
                    format!(
                        "container \"{name}\" sleeps {sleep}s in preStop but {grace_text}: it is SIGKILLed before it can shut down"
                    ),
                )
                .field(format!("{}.lifecycle.preStop.{field}", c.path));
            if let Some(g) = grace_node {
                d = d.edit(Edit {
                    start: g.range.start,
                    end: g.range.end,
                    insert: sleep.saturating_add(30).to_string(),
                    title: format!(
                        "Give {}s: the sleep plus 30s to shut down",
                        sleep.saturating_add(30)
                    ),
                });
            }
            out.push(d);
        }
    }
}

/// The seconds a preStop hook sleeps, the node saying so, and its field below `preStop`.
fn prestop_sleep(pre_stop: &Node) -> Option<(i64, &Node, &'static str)> {
    if let Some(n) = pre_stop.at("sleep.seconds") {
        return Some((n.as_i64()?, n, "sleep.seconds"));
    }
    let command = pre_stop.at("exec.command")?;
    let words: Vec<&str> = command
        .as_sequence()?
        .iter()
        .filter_map(|n| n.as_scalar().map(|s| s.value.as_str()))
        .flat_map(|s| s.split(|c: char| c.is_whitespace() || c == ';' || c == '&'))
        .filter(|w| !w.is_empty())
        .collect();
    let at = words
        .iter()
        .position(|w| *w == "sleep" || w.ends_with("/sleep"))?;
    Some((duration(words.get(at + 1)?)?, command, "exec.command"))
}

/// `sleep`'s argument: whole seconds with an optional `s` or `m` suffix.
fn duration(word: &str) -> Option<i64> {
    let (digits, factor) = match word.strip_suffix('s') {
        Some(d) => (d, 1),
        None => match word.strip_suffix('m') {
            Some(d) => (d, 60),
            None => (word, 1),
        },
    };
    digits.parse::<i64>().ok().map(|v| v.saturating_mul(factor))
}

#[cfg(test)]
mod tests {
    use super::duration;
    use crate::testing::{diagnostics_of, lines_of};

    fn pod(grace: &str, lifecycle: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n{grace}  containers:\n    - name: api\n      image: example/api:1.0\n      lifecycle:\n        preStop:\n{lifecycle}"
        )
    }

    #[test]
    fn parses_sleep_arguments() {
        assert_eq!(duration("15"), Some(15));
        assert_eq!(duration("20s"), Some(20));
        assert_eq!(duration("1m"), Some(60));
        assert_eq!(duration("x"), None);
    }

    #[test]
    fn bad_exec_sleep_longer_than_grace() {
        let text = pod(
            "  terminationGracePeriodSeconds: 10\n",
            "          exec:\n            command: [\"sh\", \"-c\", \"sleep 15 && nginx -s quit\"]\n",
        );
        assert_eq!(lines_of(&text, "grace-shorter-than-prestop"), vec![13]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "grace-shorter-than-prestop")
            .unwrap();
        assert!(d.message.contains("sleeps 15s"), "{}", d.message);
        assert_eq!(d.edit.unwrap().insert, "45");
    }

    #[test]
    fn bad_native_sleep_equal_to_default_grace() {
        let text = pod("", "          sleep:\n            seconds: 30\n");
        assert_eq!(lines_of(&text, "grace-shorter-than-prestop"), vec![12]);
    }

    #[test]
    fn good_sleep_shorter_than_grace() {
        let text = pod("", "          sleep:\n            seconds: 5\n");
        assert!(lines_of(&text, "grace-shorter-than-prestop").is_empty());
        let text = pod(
            "  terminationGracePeriodSeconds: 60\n",
            "          exec:\n            command: [\"sleep\", \"20\"]\n",
        );
        assert!(lines_of(&text, "grace-shorter-than-prestop").is_empty());
    }
}
