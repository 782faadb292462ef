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

    #[wasm_bindgen(method, js_name = setSchema)]
    fn set_schema_js(
        this: &EditorHandle,
        hover: &Closure<dyn Fn(String, f64) -> JsValue>,
        complete: &Closure<dyn Fn(String, f64) -> JsValue>,
    );

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

/// The byte offset of a UTF-16 offset (clamped to the text, rounded down to a character).
fn byte_offset(text: &str, utf16: f64) -> usize {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // clamped, integral
    let target = utf16.max(0.0) as usize;
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > target {
            return i;
        }
    }
    text.len()
}

fn strings(values: &[&str]) -> Array {
    values.iter().map(|v| JsValue::from_str(v)).collect()
}

/// The schema hover for the field name at a UTF-16 offset: `{path, type, description,
/// required, values}` or null.
fn hover(text: &str, utf16: f64) -> JsValue {
    let Some(f) = kubeplay_core::schema::at_offset(text, byte_offset(text, utf16)) else {
        return JsValue::NULL;
    };
    let o = Object::new();
    set(&o, "path", &JsValue::from_str(&f.path));
    set(&o, "type", &JsValue::from_str(&f.ty));
    set(&o, "description", &JsValue::from_str(f.description));
    set(&o, "required", &JsValue::from_bool(f.required));
    set(&o, "values", &strings(f.values));
    o.into()
}

/// The field names the mapping at a UTF-16 offset may hold: `[{name, type, description,
/// required}]`.
fn complete(text: &str, utf16: f64) -> JsValue {
    let list: Array = kubeplay_core::schema::completions(text, byte_offset(text, utf16))
        .into_iter()
        .map(|c| {
            let o = Object::new();
            set(&o, "name", &JsValue::from_str(c.name));
            set(&o, "type", &JsValue::from_str(&c.ty));
            set(&o, "description", &JsValue::from_str(c.description));
            set(&o, "required", &JsValue::from_bool(c.required));
            JsValue::from(o)
        })
        .collect();
    list.into()
}

/// The schema callbacks handed to the editor; they must live as long as it does.
pub struct SchemaHooks {
    _hover: Closure<dyn Fn(String, f64) -> JsValue>,
    _complete: Closure<dyn Fn(String, f64) -> JsValue>,
}

impl EditorHandle {
    /// Gives the editor field-name hover and completion from the schema.
    #[must_use]
    pub fn enable_schema(&self) -> SchemaHooks {
        let hover_cb = Closure::<dyn Fn(String, f64) -> JsValue>::new(|text: String, at: f64| {
            hover(&text, at)
        });
        let complete_cb =
            Closure::<dyn Fn(String, f64) -> JsValue>::new(|text: String, at: f64| {
                complete(&text, at)
            });
        self.set_schema_js(&hover_cb, &complete_cb);
        SchemaHooks {
            _hover: hover_cb,
            _complete: complete_cb,
        }
    }

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

#[cfg(test)]
mod tests {
    use super::byte_offset;

    #[test]
    fn utf16_offsets_become_byte_offsets() {
        let text = "é😀a";
        assert_eq!(byte_offset(text, 0.0), 0);
        assert_eq!(byte_offset(text, 1.0), 2);
        // Inside the surrogate pair: rounded down to the emoji's start.
        assert_eq!(byte_offset(text, 2.0), 2);
        assert_eq!(byte_offset(text, 3.0), 6);
        assert_eq!(byte_offset(text, 9.0), 7);
        assert_eq!(byte_offset(text, -1.0), 0);
    }
}
