//! End-to-end tests of `kubeplay lessons` and `kubeplay lessons check [DIR]`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_kubeplay");

fn run(args: &[&str]) -> Output {
    let out = Command::new(BIN)
        .args(args)
        .output()
        .expect("kubeplay runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    out
}

fn repo_lessons() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lessons")
}

#[test]
fn every_compiled_in_lesson_checks() {
    let out = run(&["lessons", "check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(", 0 failing"), "{text}");
    assert!(!text.contains("FAIL"), "{text}");
}

#[test]
fn the_lessons_folder_on_disk_checks_too() {
    let dir = repo_lessons();
    let out = run(&["lessons", "check", &dir.to_string_lossy()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
}

#[test]
fn json_lists_lessons_with_steps_and_file_paths() {
    let out = run(&["lessons", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let list = v.as_array().expect("an array");
    assert!(list.len() >= 16);
    let first = &list[0];
    for key in ["id", "title", "concepts", "steps"] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    let step = &first["steps"][0];
    let starter = step["starter"].as_str().expect("starter path");
    let solution = step["solution"].as_str().expect("solution path");
    assert!(starter.starts_with("lessons/") && starter.ends_with(".starter.yaml"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    assert!(root.join(starter).is_file(), "{starter}");
    assert!(root.join(solution).is_file(), "{solution}");
}

#[test]
fn text_lists_every_lesson() {
    let out = run(&["lessons"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("01-first-pod  Your first Pod"), "{text}");
    assert!(text.contains("lessons,"), "{text}");
}

#[test]
fn a_broken_lesson_fails_and_says_why() {
    let dir = std::env::temp_dir().join(format!("kubeplay-lesson-{}", std::process::id()));
    let lesson = dir.join("99-broken");
    std::fs::create_dir_all(&lesson).expect("temp dir");
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: hello\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n";
    let files = [
        (
            "lesson.yaml",
            "title: Broken\nconcepts: [pods]\nsteps:\n  - title: Same text\n    goals:\n      - noErrors: {}\n      - objectExists: {kind: Pod, name: goodbye}\n",
        ),
        ("step1.md", "# Same text"),
        ("step1.starter.yaml", pod),
        ("step1.solution.yaml", pod),
    ];
    for (name, text) in files {
        std::fs::write(lesson.join(name), text).expect("write");
    }
    let out = run(&["lessons", "check", &dir.to_string_lossy()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("FAIL  99-broken step 1"), "{text}");
    assert!(
        text.contains("the solution misses \"There is a Pod named `goodbye`\""),
        "{text}"
    );
    // A lesson that does not parse is a usage error, with its file and line.
    std::fs::write(
        lesson.join("lesson.yaml"),
        "title: Broken\nsteps:\n  - title: S\n    goals:\n      - nope: {}\n",
    )
    .expect("write");
    let out = run(&["lessons", "check", &lesson.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("99-broken/lesson.yaml:5"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
