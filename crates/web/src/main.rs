//! kubeplay in the browser: a Yew app around `kubeplay-core` with a CodeMirror editor.
//! Built by trunk from the repository's `index.html`.

mod bench;
mod chart;
mod components;
mod editor;
mod lesson;
mod markdown;
mod panic;
mod play;
mod problem;
mod session;
mod share;
mod state;
mod storage;

pub use bench::{bench_analyze, bench_simulate, simulate_crash};

fn main() {
    panic::install();
    yew::Renderer::<components::app::App>::new().render();
}
