//! Visible warnings: autosave not possible, editor fell back to a text area.

use yew::prelude::*;

use crate::state::EditorKind;
use crate::storage::{MAX_SAVED_CHARS, SaveStatus};

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub save: SaveStatus,
    pub editor: EditorKind,
}

#[component]
pub fn Notices(props: &NoticesProps) -> Html {
    let save = match props.save {
        SaveStatus::Saved => None,
        SaveStatus::Unavailable => Some(
            "This browser does not let kubeplay store data, so your text is not saved. \
             Copy it somewhere before you close the tab."
                .to_owned(),
        ),
        SaveStatus::TooLarge => Some(format!(
            "Your text is longer than {MAX_SAVED_CHARS} characters, so it is no longer autosaved."
        )),
        SaveStatus::Failed => Some(
            "The browser refused to save your text (storage full?). Recent changes are not saved."
                .to_owned(),
        ),
    };
    let fallback = props.editor == EditorKind::Textarea;
    // Always rendered (empty when all is well) so screen readers announce what appears.
    html! {
        <div class="notices" role="status">
            if let Some(text) = save {
                <p class="notice notice-warning" id="save-warning">{text}</p>
            }
            if fallback {
                <p class="notice notice-info" id="editor-fallback">
                    {"The code editor could not be loaded; you are using a plain text area. \
                      Problems are still checked as you type."}
                </p>
            }
        </div>
    }
}
