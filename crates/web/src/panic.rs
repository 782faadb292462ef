//! On a panic the app cannot continue, but the learner's text is already autosaved:
//! say so and offer a reload. Written with plain DOM calls, no dependency.

use wasm_bindgen::JsCast;

pub fn install() {
    // Through Yew, which otherwise replaces any hook with its own when the app renders.
    yew::set_custom_panic_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("kubeplay crashed: {info}").into());
        save_editor_text();
        show();
    }));
}

/// The autosave is debounced; save what the editor holds right now as well.
fn save_editor_text() {
    let global = js_sys::global();
    let Ok(editor) = js_sys::Reflect::get(&global, &"kubeplayEditor".into()) else {
        return;
    };
    let Ok(get_text) = js_sys::Reflect::get(&editor, &"getText".into()) else {
        return;
    };
    let Ok(get_text) = get_text.dyn_into::<js_sys::Function>() else {
        return;
    };
    if let Some(text) = get_text.call0(&editor).ok().and_then(|t| t.as_string()) {
        let _ = crate::storage::save_text(&text);
    }
}

fn show() {
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
    if let Ok(p) = doc.create_element("p") {
        p.set_text_content(Some(
            "Something went wrong inside kubeplay. Your text was saved in this browser; \
             reload to continue where you left off.",
        ));
        let _ = box_.append_child(&p);
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
