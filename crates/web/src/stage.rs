//! The page starts in two stages, so the editor is interactive after a small download.
//!
//! The first stage (the `kubeplay-web` binary, built without the `play` feature) is the app
//! with the editor, the analysis and the problems list; the simulator, its panels, the kubectl
//! bar, the lessons and the schema's field descriptions are left out of it. Once it has
//! rendered, it loads the second stage (`kubeplay-play`: the same app with everything), which
//! takes over: the first stage parks the editor widget (text, cursor, undo history and focus
//! stay as they are) and hands over its text, then removes its own app; the second stage
//! renders the whole playground around the same widget and applies the text the learner typed
//! in the first stage, if any, as their edit of the session it restores (unless it refuses the
//! share link the first stage showed: then their own work stays). If the second stage cannot
//! be loaded, the first keeps working and says so where the playground would be.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/stage.js")]
extern "C" {
    #[wasm_bindgen(js_name = offerHandoff)]
    fn offer_handoff(handoff: JsValue);
    #[wasm_bindgen(js_name = takeHandoff)]
    fn take_handoff() -> JsValue;
    #[wasm_bindgen(js_name = loadFull)]
    fn load_full_js(on_fail: JsValue);
    #[wasm_bindgen(js_name = parkEditor)]
    fn park_editor() -> JsValue;
}

thread_local! {
    /// The first stage's app, removed when the second takes over.
    static FIRST: RefCell<Option<yew::AppHandle<crate::components::app::App>>> =
        const { RefCell::new(None) };
    /// The text the first stage handed over, until the second stage's state is built.
    static HANDED_OVER: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Starts this stage of the app.
pub fn start() {
    crate::panic::install();
    if cfg!(feature = "play") {
        if let Some(text) = take_handoff().as_string() {
            HANDED_OVER.with(|h| *h.borrow_mut() = Some(text));
        }
        yew::Renderer::<crate::components::app::App>::new().render();
    } else {
        let app = yew::Renderer::<crate::components::app::App>::new().render();
        FIRST.with(|f| *f.borrow_mut() = Some(app));
        offer_handoff(Closure::once_into_js(hand_over));
    }
}

/// Called by the second stage: parks the editor, removes this stage's app and returns the
/// editor's text if the learner changed it here (else undefined).
fn hand_over() -> JsValue {
    let text = park_editor();
    if let Some(app) = FIRST.with(|f| f.borrow_mut().take()) {
        app.destroy();
    }
    text
}

/// The first stage's text, once: the second stage's initial state applies it as an edit.
pub fn handed_over_text() -> Option<String> {
    HANDED_OVER.with(|h| h.borrow_mut().take())
}

/// Loads the second stage; `on_fail` gets the reason when it cannot be loaded.
#[cfg(not(feature = "play"))]
pub fn load_full(on_fail: impl FnOnce(String) + 'static) {
    let on_fail = Closure::once_into_js(move |reason: JsValue| {
        on_fail(reason.as_string().unwrap_or_default());
    });
    load_full_js(on_fail);
}
