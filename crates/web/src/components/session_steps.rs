//! The session's kubectl steps (what `scale`, `set image`, `rollout undo`, `drain`… added to
//! the scenario), each at its time: a click scrubs to it, × removes it, Clear removes them
//! all. They are autosaved with the text and carried by share links.

use std::rc::Rc;

use yew::prelude::*;

use crate::play::{PlayAction, SessionStep, format_t};
use crate::state::{Action, State};

#[derive(Properties, PartialEq)]
pub struct SessionStepsProps {
    pub steps: Rc<[SessionStep]>,
    pub dispatcher: UseReducerDispatcher<State>,
}

#[component]
pub fn SessionSteps(props: &SessionStepsProps) -> Html {
    if props.steps.is_empty() {
        return html! {};
    }
    let d = props.dispatcher.clone();
    let clear =
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Play(PlayAction::ClearSteps)));
    html! {
        <section class="session-steps" aria-label="Your kubectl steps" data-testid="session-steps">
            <span class="session-steps-title">{"Your steps"}</span>
            <ol class="session-steps-list">
                for (i, s) in props.steps.iter().enumerate() {
                    {{
                        #[allow(clippy::cast_precision_loss)]
                        let t = s.step.at as f64 / 1000.0;
                        let when = format_t(t);
                        let seek = {
                            let d = props.dispatcher.clone();
                            Callback::from(move |_: MouseEvent| d.dispatch(Action::Play(PlayAction::Seek(t))))
                        };
                        let remove = {
                            let d = props.dispatcher.clone();
                            Callback::from(move |_: MouseEvent| d.dispatch(Action::Play(PlayAction::RemoveStep(i))))
                        };
                        html! {
                            <li class="session-step" data-testid="session-step" key={format!("{i}-{}", s.step.at)}>
                                <button type="button" class="session-step-go" onclick={seek}
                                    title={format!("Go to {when}")}>
                                    <span class="session-step-t">{when.clone()}</span>{" "}
                                    <code>{&s.command}</code>
                                </button>
                                <button type="button" class="session-step-remove" onclick={remove}
                                    aria-label={format!("Remove the step {} at {when}", s.command)}
                                    title="Remove this step">{"×"}</button>
                            </li>
                        }
                    }}
                }
            </ol>
            <button type="button" class="btn btn-small" onclick={clear}
                aria-label="Remove all your kubectl steps">{"Clear steps"}</button>
        </section>
    }
}
