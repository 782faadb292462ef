//! The kubectl steps of a session (`scale`, `set image`, `rollout undo`, `drain`…): one
//! `step <ms> <command line>` line each, in share links and in the browser's saved session.
//! The command line is stored, not the parsed step, so what is read back is exactly what
//! the kubectl bar would make of it.

use kubeplay_core::kubectl::{self, Command};
use kubeplay_core::sim::app::Millis;
use kubeplay_core::sim::scenario::Step;

use crate::error::DecodeError;

/// At most this many steps in a session or a link.
pub const MAX_STEPS: usize = 500;
const STEPS_HEADER: &str = "kubeplay-steps 1";

/// A step the learner added from the kubectl bar: the command line it came from and the
/// scenario step it became.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionStep {
    pub command: String,
    pub step: Step,
}

impl SessionStep {
    /// The step a command line makes at `at` milliseconds, as the kubectl bar makes it.
    ///
    /// # Errors
    /// [`DecodeError::BadStep`] with kubectl's answer when the line is not a command that
    /// changes the cluster.
    pub fn parse(at: Millis, command: &str) -> Result<Self, DecodeError> {
        // One line: a line break would end the `step` line it is stored in.
        let command = &one_line(command);
        let action = match kubectl::parse(command) {
            Ok(Command::Step(action)) => action,
            Ok(_) => {
                return Err(DecodeError::BadStep {
                    command: command.to_owned(),
                    reason: "it only reads the cluster, it does not change it.".into(),
                });
            }
            Err(reason) => {
                return Err(DecodeError::BadStep {
                    command: command.to_owned(),
                    reason,
                });
            }
        };
        Ok(Self {
            command: command.to_owned(),
            step: Step {
                at,
                action,
                namespace: "default".into(),
                line: 0,
            },
        })
    }
}

fn one_line(command: &str) -> String {
    command
        .chars()
        .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c })
        .collect()
}

/// Appends `step <ms> <command>` (line breaks in the command become spaces).
pub(crate) fn write_line(out: &mut String, s: &SessionStep) {
    out.push_str(&format!("step {} {}\n", s.step.at, one_line(&s.command)));
}

/// Reads the value of a `step` line: `<ms> <command>`.
pub(crate) fn read_value(value: &str) -> Result<SessionStep, DecodeError> {
    const NO_COMMAND: DecodeError = DecodeError::Malformed {
        what: "a kubectl step has no command",
    };
    let (at, command) = value.split_once(' ').ok_or(NO_COMMAND)?;
    if command.trim().is_empty() {
        return Err(NO_COMMAND);
    }
    let at = read_millis(at).ok_or(DecodeError::Malformed {
        what: "a kubectl step has no valid time",
    })?;
    SessionStep::parse(at, command)
}

/// A time in milliseconds: digits only, from 0 to `i64::MAX`.
pub(crate) fn read_millis(s: &str) -> Option<Millis> {
    s.parse::<u64>()
        .ok()
        .and_then(|ms| Millis::try_from(ms).ok())
}

/// The saved form of a session's steps.
#[must_use]
pub fn write_steps(steps: &[SessionStep]) -> String {
    let mut out = format!("{STEPS_HEADER}\n");
    for s in steps.iter().take(MAX_STEPS) {
        write_line(&mut out, s);
    }
    out
}

/// Reads what [`write_steps`] wrote, in time order. Lenient, since it is the browser's own
/// storage: lines it cannot read are left out, and anything not starting with the header
/// reads as no steps.
#[must_use]
pub fn read_steps(text: &str) -> Vec<SessionStep> {
    let mut lines = text.lines();
    if lines.next() != Some(STEPS_HEADER) {
        return Vec::new();
    }
    let mut steps: Vec<SessionStep> = lines
        .filter_map(|l| l.strip_prefix("step "))
        .filter_map(|v| read_value(v).ok())
        .take(MAX_STEPS)
        .collect();
    steps.sort_by_key(|s| s.step.at);
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(at: Millis, command: &str) -> SessionStep {
        SessionStep::parse(at, command).expect("a step")
    }

    #[test]
    fn saved_steps_read_back_in_time_order() {
        let steps = vec![
            step(0, "scale deploy/web --replicas=5"),
            step(30_000, "set image deploy/web web=nginx:1.28"),
            step(90_000, "rollout undo deploy/web"),
            step(120_000, "drain node-2 --ignore-daemonsets"),
        ];
        let saved = write_steps(&steps);
        assert_eq!(
            saved.lines().nth(1),
            Some("step 0 scale deploy/web --replicas=5")
        );
        assert_eq!(read_steps(&saved), steps);
        let mut shuffled = steps.clone();
        shuffled.reverse();
        assert_eq!(read_steps(&write_steps(&shuffled)), steps);
    }

    #[test]
    fn unreadable_saved_lines_are_left_out() {
        let saved = "kubeplay-steps 1\nstep 5000 scale deploy/web --replicas=2\nstep x scale deploy/web --replicas=3\nstep 7000 get pods\nstep 9000 frobnicate\nnoise\n";
        let steps = read_steps(saved);
        assert_eq!(steps.len(), 1);
        assert_eq!(steps[0].command, "scale deploy/web --replicas=2");
        assert!(read_steps("kubeplay-steps 2\nstep 0 scale deploy/web --replicas=2\n").is_empty());
        assert!(read_steps("").is_empty());
    }

    #[test]
    fn a_query_is_not_a_step() {
        let err = SessionStep::parse(0, "get pods").unwrap_err();
        assert_eq!(
            err.to_string(),
            "This share link has a kubectl step this page cannot run (`get pods`): it only reads the cluster, it does not change it."
        );
    }

    #[test]
    fn line_breaks_in_a_command_do_not_split_the_line() {
        let mut s = step(0, "scale deploy/web --replicas=5");
        s.command = "scale deploy/web\r\n--replicas=5".into();
        let saved = write_steps(&[s]);
        assert_eq!(saved.lines().count(), 2);
        assert_eq!(
            read_steps(&saved)[0].command,
            "scale deploy/web  --replicas=5"
        );
    }
}
