//! On a panic the app cannot continue. The learner's text is saved once more and the crash
//! screen offers a reload that restores it; when the browser refuses to store it (private
//! mode, quota full, text above the autosave cap) the screen says so and shows the text in a
//! box to copy, so it is never lost. Written with plain DOM calls, no dependency.

use wasm_bindgen::JsCast;

use crate::storage::SaveStatus;

pub fn install() {
    // Through Yew, which otherwise replaces any hook with its own when the app renders.
    yew::set_custom_panic_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("kubeplay crashed: {info}").into());
        let saved = save_editor_text();
        show(saved.as_ref());
    }));
}

/// The autosave is debounced; save what the editor holds right now as well. Returns the
/// text and whether it was stored, or `None` when there is no editor to read.
fn save_editor_text() -> Option<(String, SaveStatus)> {
    let global = js_sys::global();
    let editor = js_sys::Reflect::get(&global, &"kubeplayEditor".into()).ok()?;
    let get_text = js_sys::Reflect::get(&editor, &"getText".into()).ok()?;
    let get_text = get_text.dyn_into::<js_sys::Function>().ok()?;
    let text = get_text.call0(&editor).ok()?.as_string()?;
    let status = crate::storage::save_text(&text);
    Some((text, status))
}

fn show(saved: Option<&(String, SaveStatus)>) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = doc.body() else { return };
    let Ok(box_) = doc.create_element("div") else {
        return;
    };
    box_.set_class_name("crash");
    box_.set_id("crash");
    let _ = box_.set_attribute("role", "alert");
    let unsaved = saved.and_then(|(text, status)| (*status != SaveStatus::Saved).then_some(text));
    if let Ok(p) = doc.create_element("p") {
        p.set_text_content(Some(if unsaved.is_some() {
            "Something went wrong inside kubeplay, and this browser would not store your text. \
             Copy it from the box below before you reload."
        } else {
            "Something went wrong inside kubeplay. Your text was saved in this browser; \
             reload to continue where you left off."
        }));
        let _ = box_.append_child(&p);
    }
    if let Some(text) = unsaved {
        box_.set_class_name("crash crash-unsaved");
        if let Ok(area) = doc.create_element("textarea") {
            // As text content: a textarea never parses it as markup.
            area.set_text_content(Some(text));
            area.set_id("crash-text");
            let _ = area.set_attribute("readonly", "");
            let _ = area.set_attribute("aria-label", "Your text, to copy before reloading");
            let _ = area.set_attribute("spellcheck", "false");
            let _ = box_.append_child(&area);
        }
    }
    if let Ok(button) = doc.create_element("button") {
        button.set_text_content(Some("Reload"));
        let _ = button.set_attribute("type", "button");
        // A listener, not an onclick="" attribute: the page's CSP refuses inline handlers.
        let reload = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(|| {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        });
        let _ = button.add_event_listener_with_callback("click", reload.as_ref().unchecked_ref());
        // The page is about to be reloaded; the listener lives as long as it does.
        reload.forget();
        let _ = box_.append_child(&button);
    }
    let _ = body.append_child(&box_);
}
