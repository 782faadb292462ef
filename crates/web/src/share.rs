//! Share links: the manifest, the session's kubectl steps, the open panel and the time, in
//! the URL fragment (`#v1:` + URL-safe base64 of zlib-compressed text). The fragment never
//! reaches a server. zlib's adler-32 rejects truncated or altered links.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kubeplay_core::kubectl::{self, Command};
use kubeplay_core::sim::scenario::Step;

use crate::play::{Panel, SessionStep};

pub const VERSION: u32 = 1;
/// Refuse links that inflate beyond this (a zip bomb in a URL).
const MAX_INFLATED: usize = 4 * 1024 * 1024;

#[derive(Debug, PartialEq)]
pub struct Shared {
    pub text: String,
    pub steps: Vec<SessionStep>,
    pub panel: Panel,
    /// Seconds.
    pub t: f64,
}

/// The payload: a header of `key value` lines, then `manifest`, then the text verbatim.
#[must_use]
pub fn payload(text: &str, steps: &[SessionStep], panel: Panel, t: f64) -> String {
    use std::fmt::Write as _;
    let mut out = format!("kubeplay-share {VERSION}\n");
    #[allow(clippy::cast_possible_truncation)]
    let _ = writeln!(out, "t {}", (t * 1000.0).round() as i64);
    let _ = writeln!(out, "panel {}", panel.as_str());
    for s in steps {
        let _ = writeln!(out, "step {} {}", s.step.at, s.command.replace('\n', " "));
    }
    out.push_str("manifest\n");
    out.push_str(text);
    out
}

/// The fragment for a view, without the `#`.
#[must_use]
pub fn encode(text: &str, steps: &[SessionStep], panel: Panel, t: f64) -> String {
    let data = payload(text, steps, panel, t);
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(data.as_bytes(), 9);
    format!("v{VERSION}:{}", URL_SAFE_NO_PAD.encode(packed))
}

const DAMAGED: &str = "This share link is damaged (cut short or altered), so it was not opened. Your own manifest is unchanged.";

/// Reads the page's fragment and removes it from the address bar (a reload then shows the
/// learner's own autosaved text again).
///
/// # Errors
/// As [`decode`].
pub fn take_from_location() -> Result<Option<Shared>, String> {
    let Some(window) = web_sys::window() else {
        return Ok(None);
    };
    let location = window.location();
    let hash = location.hash().unwrap_or_default();
    let result = decode(&hash);
    if !matches!(result, Ok(None))
        && let Ok(history) = window.history()
    {
        let url = format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
    result
}

/// The full link for a view.
#[must_use]
pub fn link(text: &str, steps: &[SessionStep], panel: Panel, t: f64) -> String {
    let base = web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!(
                "{}{}{}",
                l.origin().ok()?,
                l.pathname().ok()?,
                l.search().ok()?
            ))
        })
        .unwrap_or_default();
    format!("{base}#{}", encode(text, steps, panel, t))
}

/// Reads a fragment (with or without `#`). `Ok(None)`: not a share link at all.
///
/// # Errors
/// A message for the learner: damaged link, or one from a newer kubeplay.
pub fn decode(fragment: &str) -> Result<Option<Shared>, String> {
    let f = fragment.trim_start_matches('#');
    if f.is_empty() {
        return Ok(None);
    }
    let Some(rest) = f.strip_prefix('v') else {
        return Ok(None);
    };
    // Anything but `v<digits>:` is an ordinary fragment, not a share link.
    let Some((version, body)) = rest.split_once(':') else {
        return Ok(None);
    };
    let Ok(version) = version.parse::<u32>() else {
        return Ok(None);
    };
    if version > VERSION {
        return Err(format!(
            "This share link was made by a newer kubeplay (link format v{version}; this page reads v{VERSION}). Reload to get the latest version. Your own manifest is unchanged."
        ));
    }
    if version == 0 {
        return Err(DAMAGED.into());
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| DAMAGED.to_owned())?;
    let data = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&bytes, MAX_INFLATED)
        .map_err(|_| DAMAGED.to_owned())?;
    let data = String::from_utf8(data).map_err(|_| DAMAGED.to_owned())?;
    parse_payload(&data)
        .map(Some)
        .ok_or_else(|| DAMAGED.to_owned())
}

fn parse_payload(data: &str) -> Option<Shared> {
    let (header, text) = data
        .split_once("\nmanifest\n")
        .or_else(|| data.strip_suffix("\nmanifest").map(|h| (h, "")))?;
    let mut lines = header.lines();
    if lines.next()? != format!("kubeplay-share {VERSION}") {
        return None;
    }
    let mut shared = Shared {
        text: text.to_owned(),
        steps: Vec::new(),
        panel: Panel::Cluster,
        t: 0.0,
    };
    for line in lines {
        let (key, value) = line.split_once(' ')?;
        match key {
            #[allow(clippy::cast_precision_loss)]
            "t" => shared.t = value.parse::<i64>().ok()? as f64 / 1000.0,
            "panel" => shared.panel = Panel::parse(value).unwrap_or(Panel::Cluster),
            "step" => {
                let (at, command) = value.split_once(' ')?;
                let at: i64 = at.parse().ok()?;
                let Ok(Command::Step(action)) = kubectl::parse(command) else {
                    return None;
                };
                shared.steps.push(SessionStep {
                    command: command.to_owned(),
                    step: Step {
                        at,
                        action,
                        namespace: "default".into(),
                        line: 0,
                    },
                });
            }
            // Keys from a later minor revision of v1 are skipped.
            _ => {}
        }
    }
    shared.steps.sort_by_key(|s| s.step.at);
    Some(shared)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(at: i64, command: &str) -> SessionStep {
        let Ok(Command::Step(action)) = kubectl::parse(command) else {
            panic!("not a step: {command}");
        };
        SessionStep {
            command: command.into(),
            step: Step {
                at,
                action,
                namespace: "default".into(),
                line: 0,
            },
        }
    }

    #[test]
    fn round_trips() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: é\nmanifest\n";
        let steps = vec![step(30_000, "scale deploy/web --replicas=5")];
        let f = encode(text, &steps, Panel::Rollout, 90.5);
        assert!(f.starts_with("v1:"));
        let back = decode(&format!("#{f}")).unwrap().unwrap();
        assert_eq!(back.text, text);
        assert_eq!(back.steps, steps);
        assert_eq!(back.panel, Panel::Rollout);
        assert!((back.t - 90.5).abs() < 1e-9);
    }

    #[test]
    fn damaged_and_future_links_are_refused() {
        let f = encode("kind: Pod\n", &[], Panel::Cluster, 0.0);
        assert_eq!(decode(&f[..f.len() - 4]).unwrap_err(), DAMAGED);
        let mut tampered = f.clone().into_bytes();
        let i = tampered.len() / 2;
        tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
        assert!(decode(std::str::from_utf8(&tampered).unwrap()).is_err());
        assert!(decode("v2:abc").unwrap_err().contains("newer kubeplay"));
        assert!(decode("v1:").is_err());
        assert_eq!(decode(""), Ok(None));
        assert_eq!(decode("#section"), Ok(None));
    }
}
