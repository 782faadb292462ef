//! kubeplay in the browser: a Yew app around `kubeplay-core` with a CodeMirror editor.
//! Built by trunk from the repository's `index.html`, twice: the first stage without the
//! `play` feature (editor, analysis, problems) and the whole playground with it (`stage`).

// The first stage compiles every module but reaches only the editor's part of them; the
// rest is left out of its build by the linker.
#![cfg_attr(not(feature = "play"), allow(dead_code, unused_imports))]

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
mod stage;
mod state;
mod storage;

#[cfg(feature = "play")]
pub use bench::bench_simulate;
pub use bench::{bench_analyze, simulate_crash};
pub use stage::start;
