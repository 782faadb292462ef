//! The editor pane: mounts the JS editor once and pushes state changes into it
//! (problems, theme, selection requests, reset). The editor reports edits back.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::editor::{EditorHandle, SchemaHooks};
use crate::problem::Problem;
use crate::state::{Action, EditorKind, Reveal, State};

#[derive(Properties, PartialEq)]
pub struct CodeEditorProps {
    /// Read when mounting and after a reset; the editor owns the text in between.
    pub text: Rc<str>,
    pub problems: Rc<[Problem]>,
    /// Bumped by every analysis. The editor maps squiggles through edits, so it needs the
    /// fresh positions after each analysis even when they equal the previous ones.
    pub analyzed_revision: u64,
    pub dark: bool,
    pub reveal: Option<Reveal>,
    pub reset_seq: u32,
    pub dispatcher: UseReducerDispatcher<State>,
}

/// The JS editor and the callbacks it holds; kept for the life of the page.
struct Mounted {
    handle: EditorHandle,
    _on_change: Closure<dyn FnMut(String)>,
    _on_ready: Closure<dyn FnMut(String)>,
    _schema: SchemaHooks,
}

#[component]
pub fn CodeEditor(props: &CodeEditorProps) -> Html {
    let host = use_node_ref();
    let mounted = use_mut_ref(|| None::<Mounted>);

    {
        let host = host.clone();
        let mounted = mounted.clone();
        let text = props.text.clone();
        let dark = props.dark;
        let dispatcher = props.dispatcher.clone();
        use_effect_with((), move |()| {
            if let Some(el) = host.cast::<web_sys::HtmlElement>() {
                let on_change = {
                    let dispatcher = dispatcher.clone();
                    Closure::<dyn FnMut(String)>::new(move |text: String| {
                        dispatcher.dispatch(Action::Edited(text));
                    })
                };
                let on_ready = Closure::<dyn FnMut(String)>::new(move |kind: String| {
                    let kind = if kind == "codemirror" {
                        EditorKind::CodeMirror
                    } else {
                        EditorKind::Textarea
                    };
                    dispatcher.dispatch(Action::EditorReady(kind));
                });
                let handle = EditorHandle::new(&el, &text, &on_change, dark, &on_ready);
                let schema = handle.enable_schema();
                *mounted.borrow_mut() = Some(Mounted {
                    handle,
                    _on_change: on_change,
                    _on_ready: on_ready,
                    _schema: schema,
                });
            }
        });
    }
    {
        let mounted = mounted.clone();
        let problems = props.problems.clone();
        use_effect_with(props.analyzed_revision, move |_| {
            if let Some(m) = &*mounted.borrow() {
                m.handle.set_problems(&problems);
            }
        });
    }
    {
        let mounted = mounted.clone();
        use_effect_with(props.dark, move |&dark| {
            if let Some(m) = &*mounted.borrow() {
                m.handle.set_theme(dark);
            }
        });
    }
    {
        let mounted = mounted.clone();
        use_effect_with(props.reveal, move |reveal| {
            if let (Some(m), Some(r)) = (&*mounted.borrow(), reveal) {
                #[allow(clippy::cast_precision_loss)] // offsets are far below 2^53
                m.handle.select(r.from as f64, r.to as f64);
            }
        });
    }
    {
        let text = props.text.clone();
        use_effect_with(props.reset_seq, move |&seq| {
            if seq > 0
                && let Some(m) = &*mounted.borrow()
            {
                m.handle.set_text(&text);
            }
        });
    }

    html! {
        <section class="editor-pane" aria-label="Editor">
            <div class="editor-host" ref={host} />
        </section>
    }
}
