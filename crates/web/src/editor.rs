//! Bindings to `crates/web/js/editor-shim.js`, which loads the CodeMirror bundle at runtime and falls
//! back to a plain textarea when it cannot.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::problem::{Problem, severity_label};

#[wasm_bindgen(module = "/js/editor-shim.js")]
extern "C" {
    pub type EditorHandle;

    #[wasm_bindgen(constructor)]
    pub fn new(
        parent: &web_sys::HtmlElement,
        text: &str,
        on_change: &Closure<dyn FnMut(String)>,
        dark: bool,
        on_ready: &Closure<dyn FnMut(String)>,
    ) -> EditorHandle;

    #[wasm_bindgen(method, js_name = setDiagnostics)]
    fn set_diagnostics_js(this: &EditorHandle, list: &Array);

    #[wasm_bindgen(method, js_name = setText)]
    pub fn set_text(this: &EditorHandle, text: &str);

    #[wasm_bindgen(method)]
    pub fn select(this: &EditorHandle, from: f64, to: f64);

    #[wasm_bindgen(method, js_name = setTheme)]
    pub fn set_theme(this: &EditorHandle, dark: bool);
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

impl EditorHandle {
    /// Hands the problems to the editor as squiggles, gutter markers and hover text.
    pub fn set_problems(&self, problems: &[Problem]) {
        let list = Array::new();
        for p in problems {
            let o = Object::new();
            #[allow(clippy::cast_precision_loss)] // offsets are far below 2^53
            {
                set(&o, "from", &JsValue::from_f64(p.from as f64));
                set(&o, "to", &JsValue::from_f64(p.to as f64));
            }
            set(&o, "severity", &JsValue::from_str(p.severity.as_str()));
            set(
                &o,
                "severityLabel",
                &JsValue::from_str(severity_label(p.severity)),
            );
            set(&o, "code", &JsValue::from_str(p.code));
            set(&o, "message", &JsValue::from_str(&p.message));
            set(&o, "explanation", &JsValue::from_str(&p.explanation));
            set(&o, "help", &JsValue::from_str(&p.help));
            set(&o, "docs", &JsValue::from_str(p.docs));
            if let Some(fix) = &p.fix {
                let f = Object::new();
                #[allow(clippy::cast_precision_loss)] // offsets are far below 2^53
                {
                    set(&f, "from", &JsValue::from_f64(fix.from as f64));
                    set(&f, "to", &JsValue::from_f64(fix.to as f64));
                }
                set(&f, "insert", &JsValue::from_str(&fix.insert));
                set(&f, "title", &JsValue::from_str(&fix.title));
                set(&o, "fix", &f);
            }
            list.push(&o);
        }
        self.set_diagnostics_js(&list);
    }
}
