//! Share links in the browser: reading the page's fragment and building the link for the
//! current view. The format and its decoder are `kubeplay-share` (fuzzed, no web).

use kubeplay_share::{DecodeError, Shared};

/// Reads the page's fragment and removes it from the address bar (a reload then shows the
/// learner's own autosaved work again). The page's first stage leaves it there for the whole
/// playground, which opens it again when it takes over (`crate::stage`).
///
/// # Errors
/// As [`kubeplay_share::decode`].
pub fn take_from_location() -> Result<Option<Shared>, DecodeError> {
    let Some(window) = web_sys::window() else {
        return Ok(None);
    };
    let location = window.location();
    let hash = location.hash().unwrap_or_default();
    let result = kubeplay_share::decode(&hash);
    if cfg!(feature = "play")
        && !matches!(result, Ok(None))
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
pub fn link(view: &Shared) -> String {
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
    format!("{base}#{}", kubeplay_share::encode(view))
}
