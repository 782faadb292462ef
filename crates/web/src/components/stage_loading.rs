//! In the page's first stage, where the playground will be: says it is loading, starts
//! loading it once this stage has rendered, and says so if it cannot be loaded (the editor
//! and its checks keep working). See `crate::stage`.

use yew::prelude::*;

#[component]
pub fn StageLoading() -> Html {
    let failed = use_state(|| None::<String>);
    {
        let failed = failed.clone();
        use_effect_with((), move |()| {
            crate::stage::load_full(move |reason| failed.set(Some(reason)));
        });
    }
    html! {
        <section class="playground stage-loading" aria-label="Playground" aria-busy={failed.is_none().to_string()}>
            if let Some(reason) = &*failed {
                <div class="stage-failed" role="alert">
                    <p>{"The cluster simulator could not be loaded, so the playground and the lessons are not available. The editor and its checks keep working, and your text is saved as usual. Reload to try again."}</p>
                    <p class="muted">{reason.clone()}</p>
                </div>
            } else {
                <p class="stage-note" role="status">{"Loading the cluster simulator…"}</p>
            }
        </section>
    }
}
