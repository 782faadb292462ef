//! Why a share link (or the saved kubectl steps) could not be read, worded for the learner.

use std::fmt;

use crate::link::VERSION;

/// How much of a step's command line a message quotes.
const SHOWN_CHARS: usize = 80;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// `v2:` and later: written by a newer kubeplay.
    Newer {
        version: u32,
    },
    /// The link ends too early (a copy that missed its end).
    Truncated,
    /// Characters were changed or added (zlib's checksum or the base64 alphabet disagrees).
    Altered,
    /// The link, or the text it unpacks to, is above the limit (a zip bomb in a URL).
    TooLarge {
        limit: usize,
    },
    /// It unpacked but is not a kubeplay view (`what` says which part is wrong).
    Malformed {
        what: &'static str,
    },
    /// A kubectl step that this page cannot run.
    BadStep {
        command: String,
        reason: String,
    },
    TooManySteps {
        limit: usize,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Newer { version } => write!(
                f,
                "This share link was made by a newer kubeplay (link format v{version}; this page reads v{VERSION}). Reload to get the latest version."
            ),
            Self::Truncated => f.write_str(
                "This share link is damaged: it was cut short. Copy the whole link, up to its last character.",
            ),
            Self::Altered => f.write_str(
                "This share link is damaged: some of its characters were changed, so it was not opened.",
            ),
            Self::TooLarge { limit } => write!(
                f,
                "This share link is too large: it unpacks to more than {} MiB, so it was not opened.",
                limit / (1024 * 1024)
            ),
            Self::Malformed { what } => write!(f, "This share link is damaged: {what}."),
            Self::BadStep { command, reason } => {
                // A link can hold a very long line: name its start.
                let shown: String = command.chars().take(SHOWN_CHARS).collect();
                let more = if shown.len() < command.len() { "…" } else { "" };
                write!(
                    f,
                    "This share link has a kubectl step this page cannot run (`{shown}{more}`): {reason}"
                )
            }
            Self::TooManySteps { limit } => write!(
                f,
                "This share link has more than {limit} kubectl steps, so it was not opened."
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_command_is_quoted_by_its_start() {
        let e = DecodeError::BadStep {
            command: format!("scale {}", "x".repeat(200)),
            reason: "error: nope".into(),
        };
        let shown = format!("scale {}", "x".repeat(SHOWN_CHARS - 6));
        assert_eq!(
            e.to_string(),
            format!(
                "This share link has a kubectl step this page cannot run (`{shown}…`): error: nope"
            )
        );
    }
}
