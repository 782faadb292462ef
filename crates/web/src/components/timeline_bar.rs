//! The timeline bar: play/pause, step to the next event, speed, a scrub slider and `t=1m30s`.
//! While playing, a requestAnimationFrame loop advances the time only; the timeline itself
//! was computed once per simulation.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::play::{PlayAction, SPEEDS, format_t};
use crate::state::{Action, State};

#[derive(Properties, PartialEq)]
pub struct TimelineBarProps {
    pub t: f64,
    pub until: f64,
    pub playing: bool,
    pub speed: u32,
    pub dispatcher: UseReducerDispatcher<State>,
}

type Frame = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

fn request_frame(f: &Closure<dyn FnMut(f64)>) -> Option<i32> {
    web_sys::window()?
        .request_animation_frame(f.as_ref().unchecked_ref())
        .ok()
}

fn icon(d: &'static str) -> Html {
    html! {
        <svg class="btn-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false"><path d={d} /></svg>
    }
}

#[component]
pub fn TimelineBar(props: &TimelineBarProps) -> Html {
    {
        let dispatcher = props.dispatcher.clone();
        use_effect_with(props.playing, move |&playing| {
            let frame: Frame = Rc::new(RefCell::new(None));
            let id = Rc::new(Cell::new(None::<i32>));
            if playing {
                let last = Cell::new(None::<f64>);
                let again = frame.clone();
                let id2 = id.clone();
                *frame.borrow_mut() = Some(Closure::new(move |ts: f64| {
                    if let Some(prev) = last.get() {
                        // A hidden tab pauses frames: never jump more than 1/4 s at once.
                        let dt = (ts - prev).clamp(0.0, 250.0);
                        dispatcher.dispatch(Action::Play(PlayAction::Advance(dt)));
                    }
                    last.set(Some(ts));
                    if let Some(f) = &*again.borrow() {
                        id2.set(request_frame(f));
                    }
                }));
                if let Some(f) = &*frame.borrow() {
                    id.set(request_frame(f));
                }
            }
            move || {
                if let (Some(w), Some(i)) = (web_sys::window(), id.get()) {
                    let _ = w.cancel_animation_frame(i);
                }
                // Breaks the closure's reference to itself.
                frame.borrow_mut().take();
            }
        });
    }

    let d = &props.dispatcher;
    let toggle = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Play(PlayAction::Toggle)))
    };
    let prev = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Play(PlayAction::StepEvent(-1))))
    };
    let next = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Play(PlayAction::StepEvent(1))))
    };
    let scrub = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().parse::<f64>() {
                d.dispatch(Action::Play(PlayAction::Seek(v)));
            }
        })
    };
    let speed = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(v) = select.value().parse::<u32>() {
                d.dispatch(Action::Play(PlayAction::Speed(v)));
            }
        })
    };
    let (play_label, play_icon) = if props.playing {
        ("Pause", "❚❚")
    } else {
        ("Play", "▶")
    };
    let now = format_t(props.t);
    html! {
        <div class="timeline-bar" role="group" aria-label="Timeline" data-testid="timeline-bar">
            <button type="button" class="btn icon-btn" data-testid="step-prev" aria-label="Previous event" title="Previous event (←)" onclick={prev}>{icon("M11 3v10L4 8zM3 3h1.6v10H3z")}</button>
            <button type="button" class="btn icon-btn play-btn" data-testid="play" aria-label={play_label} aria-pressed={props.playing.to_string()} title={format!("{play_label} (space)")} onclick={toggle}>{play_icon}</button>
            <button type="button" class="btn icon-btn" data-testid="step-next" aria-label="Next event" title="Next event (→)" onclick={next}>{icon("M5 3v10l7-5zM11.4 3H13v10h-1.6z")}</button>
            <label class="speed">
                <span class="visually-hidden">{"Speed"}</span>
                <select data-testid="speed" aria-label="Speed" onchange={speed}>
                    for s in SPEEDS {
                        <option value={s.to_string()} selected={s == props.speed}>{format!("{s}×")}</option>
                    }
                </select>
            </label>
            <input
                type="range"
                class="scrub"
                data-testid="scrub"
                aria-label="Time"
                aria-valuetext={now.clone()}
                min="0"
                max={props.until.to_string()}
                step="1"
                value={props.t.floor().to_string()}
                oninput={scrub}
            />
            <output class="now" data-testid="time" aria-live="off">{now}</output>
        </div>
    }
}
