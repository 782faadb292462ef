//! Lesson files: any `lesson.yaml` text loads into a lesson or a clear error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let read = |path: &str| -> Option<String> {
        if path.ends_with("lesson.yaml") { Some(text.to_string()) } else { Some(String::new()) }
    };
    let _ = kubeplay_core::lesson::load("fuzz", &read);
});
