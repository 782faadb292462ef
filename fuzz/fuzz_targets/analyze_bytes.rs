//! Raw bytes (as the CLI would read them, lossily decoded) into `analyze`.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "check.rs"]
mod check;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let a = kubeplay_core::analyze(&text);
    check::spans_inside(&text, &a);
});
