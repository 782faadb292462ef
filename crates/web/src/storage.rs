//! localStorage: the learner's session (text and kubectl steps), lesson progress and the
//! theme choice. Every failure is a status the app shows, never a panic (private mode,
//! disabled storage and full quota all happen).

use kubeplay_share::{SessionStep, read_steps, write_steps};
use web_sys::Storage;

pub const TEXT_KEY: &str = "kubeplay.text";
/// The kubectl steps of the session (`kubeplay-steps 1`, one `step <ms> <command>` a line).
pub const STEPS_KEY: &str = "kubeplay.steps";
pub const THEME_KEY: &str = "kubeplay.theme";
/// Above this many UTF-16 code units the text is not autosaved (localStorage holds ~5 MB).
pub const MAX_SAVED_CHARS: usize = 1_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveStatus {
    Saved,
    /// localStorage cannot be used at all in this browser.
    Unavailable,
    /// The text is above [`MAX_SAVED_CHARS`].
    TooLarge,
    /// The browser refused the write (quota).
    Failed,
}

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[must_use]
pub fn available() -> bool {
    storage().is_some()
}

#[must_use]
pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Best effort: the theme choice is a convenience.
pub fn set(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

/// The steps saved under `key` (none when absent or unreadable).
#[must_use]
pub fn get_steps(key: &str) -> Vec<SessionStep> {
    get(key).map(|s| read_steps(&s)).unwrap_or_default()
}

/// Saves the steps under `key`; no steps removes the key.
///
/// # Errors
/// When the browser refuses the write.
fn put_steps(s: &Storage, key: &str, steps: &[SessionStep]) -> Result<(), ()> {
    if steps.is_empty() {
        s.remove_item(key).map_err(|_| ())
    } else {
        s.set_item(key, &write_steps(steps)).map_err(|_| ())
    }
}

/// Best effort, like [`set`]: the steps put aside while a lesson is open.
pub fn set_steps(key: &str, steps: &[SessionStep]) {
    if let Some(s) = storage() {
        let _ = put_steps(&s, key, steps);
    }
}

#[must_use]
pub fn save_text(text: &str) -> SaveStatus {
    if text.encode_utf16().count() > MAX_SAVED_CHARS {
        return SaveStatus::TooLarge;
    }
    let Some(s) = storage() else {
        return SaveStatus::Unavailable;
    };
    match s.set_item(TEXT_KEY, text) {
        Ok(()) => SaveStatus::Saved,
        Err(_) => SaveStatus::Failed,
    }
}

/// Autosaves the session: the text and the kubectl steps.
#[must_use]
pub fn save_session(text: &str, steps: &[SessionStep]) -> SaveStatus {
    let status = save_text(text);
    let Some(s) = storage() else {
        return status;
    };
    match put_steps(&s, STEPS_KEY, steps) {
        Ok(()) => status,
        Err(()) => SaveStatus::Failed,
    }
}
