//! The manifest corpus (`tests/corpus/<kind>/*.yaml`): manifests a learner would write, built
//! from the Kubernetes documentation's examples (each file cites its source) and broken the
//! ways learners break them. Each file lists every error it must produce:
//!
//! ```yaml
//! # expect: unknown-field line 21 spec.template.spec.containers[0].imagePullPolcy
//! # expect: no errors
//! ```
//!
//! The test asserts that the error-severity diagnostics are exactly those (code, line, field
//! path): nothing missing and nothing extra, so a valid manifest never gets an error.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kubeplay_core::{Severity, analyze};

type Expected = BTreeSet<(String, u32, String)>;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

fn expected(text: &str) -> Result<Expected, String> {
    let mut set = Expected::new();
    let mut declared = false;
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        let Some(rest) = line.strip_prefix("# expect: ") else {
            continue;
        };
        declared = true;
        if rest == "no errors" {
            continue;
        }
        let parts: Vec<&str> = rest.split_whitespace().collect();
        match parts.as_slice() {
            [code, "line", n, field] => {
                let n = n
                    .parse()
                    .map_err(|_| format!("bad line number in {line:?}"))?;
                set.insert(((*code).to_owned(), n, (*field).to_owned()));
            }
            _ => return Err(format!("cannot read {line:?}")),
        }
    }
    if declared {
        Ok(set)
    } else {
        Err("no `# expect:` line".to_owned())
    }
}

#[test]
fn corpus_cases_produce_exactly_their_expected_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut paths = Vec::new();
    files(&root, &mut paths);
    paths.sort();
    assert!(paths.len() >= 100, "corpus has {} cases", paths.len());
    let mut failures = Vec::new();
    for path in &paths {
        let name = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        let text = std::fs::read_to_string(path).expect("corpus file is UTF-8");
        let want = match expected(&text) {
            Ok(w) => w,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let analysis = analyze(&text);
        let got: Expected = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| {
                (
                    d.code.to_owned(),
                    d.span.start.line,
                    d.field.clone().unwrap_or_default(),
                )
            })
            .collect();
        if got != want {
            let missing: Vec<_> = want.difference(&got).collect();
            let extra: Vec<_> = got.difference(&want).collect();
            failures.push(format!(
                "{name}:\n  missing {missing:?}\n  unexpected {extra:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus cases disagree:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}
