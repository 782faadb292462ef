//! localStorage: the learner's text and the theme choice. Every failure is a status the
//! app shows, never a panic (private mode, disabled storage and full quota all happen).

use web_sys::Storage;

pub const TEXT_KEY: &str = "kubeplay.text";
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
