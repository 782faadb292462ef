//! The compiled-in lessons: every lesson parses, every solution meets every goal, every
//! starter fails at least one, every concept of the curriculum is taught, and the prose is
//! Markdown without raw HTML.

use std::collections::BTreeSet;

use kubeplay_core::lesson::{self, Lesson};

fn lessons() -> Vec<Lesson> {
    match lesson::builtin() {
        Ok(l) => l,
        Err(e) => panic!("a lesson does not parse: {e}"),
    }
}

#[test]
fn every_lesson_parses_and_has_3_to_8_steps() {
    let all = lessons();
    assert!(all.len() >= 16, "only {} lessons", all.len());
    assert_eq!(all.len(), lesson::builtin_ids().len());
    for l in &all {
        assert!(
            (3..=8).contains(&l.steps.len()),
            "{} has {} steps",
            l.id,
            l.steps.len()
        );
        assert!(!l.concepts.is_empty(), "{} names no concept", l.id);
        for (i, s) in l.steps.iter().enumerate() {
            let n = i + 1;
            assert!(
                (2..=3).contains(&s.hints.len()),
                "{} step {n}: {} hints (2 or 3, progressive)",
                l.id,
                s.hints.len()
            );
            assert!(!s.why.trim().is_empty(), "{} step {n} has no why", l.id);
            assert!(!s.goals.is_empty());
        }
    }
}

#[test]
fn every_solution_passes_and_every_starter_fails() {
    let mut failures = Vec::new();
    for l in lessons() {
        for (n, problems) in lesson::check_lesson(&l) {
            for p in problems {
                failures.push(format!("{} step {n}: {p}", l.id));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The curriculum of issue 8, each concept mapped to the id used in `concepts:`.
const CURRICULUM: &[(&str, &[&str])] = &[
    ("pods and their phases", &["pods", "pod-phases"]),
    ("labels and selectors", &["labels", "selectors"]),
    (
        "Deployments and ReplicaSets",
        &["deployments", "replicasets"],
    ),
    (
        "rolling updates and rollback",
        &["rolling-updates", "rollback"],
    ),
    (
        "Services (types, DNS)",
        &["services", "service-types", "dns"],
    ),
    ("Ingress", &["ingress"]),
    ("ConfigMaps", &["configmaps"]),
    ("Secrets", &["secrets"]),
    (
        "liveness/readiness/startup probes",
        &["liveness", "readiness", "startup"],
    ),
    ("graceful shutdown with preStop", &["graceful-shutdown"]),
    (
        "requests and limits and their units",
        &["requests-limits", "units"],
    ),
    ("QoS classes and eviction", &["qos", "eviction"]),
    ("the HPA", &["hpa"]),
    ("PodDisruptionBudgets", &["pdb"]),
    (
        "namespaces and ResourceQuota",
        &["namespaces", "resourcequota"],
    ),
    ("NetworkPolicy", &["networkpolicy"]),
    ("RBAC and ServiceAccounts", &["rbac", "serviceaccounts"]),
    ("StatefulSets and PVCs", &["statefulsets", "pvc"]),
    ("Jobs and CronJobs", &["jobs", "cronjobs"]),
    ("the control plane on apply", &["control-plane"]),
    (
        "the kubectl debugging workflow",
        &[
            "debugging",
            "pending",
            "crashloopbackoff",
            "oomkilled",
            "imagepullbackoff",
            "no-endpoints",
        ],
    ),
];

#[test]
fn every_concept_is_covered_by_a_lesson() {
    let all = lessons();
    let mut missing = Vec::new();
    let mut known = BTreeSet::new();
    for (topic, ids) in CURRICULUM {
        for id in *ids {
            known.insert(*id);
            let by: Vec<&str> = all
                .iter()
                .filter(|l| l.concepts.iter().any(|c| c == id))
                .map(|l| l.id.as_str())
                .collect();
            if by.is_empty() {
                missing.push(format!("{topic}: `{id}` is taught by no lesson"));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    // And no lesson claims a concept outside the map (a typo would hide a gap).
    for l in &all {
        for c in &l.concepts {
            assert!(
                known.contains(c.as_str()),
                "{}: unknown concept `{c}`",
                l.id
            );
        }
    }
}

#[test]
fn the_path_starts_with_a_pod_and_ends_with_an_incident() {
    let all = lessons();
    assert!(all[0].concepts.iter().any(|c| c == "pods"));
    let last = &all[all.len() - 1];
    assert!(last.concepts.iter().any(|c| c == "debugging"));
}

/// `<tag`, `</tag`, `<!--`: anything a Markdown renderer would pass through as HTML.
fn raw_html(text: &str) -> Option<String> {
    let mut in_code = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        // Inline code spans may show `<`.
        let outside: String = line.split('`').step_by(2).collect();
        let bytes = outside.as_bytes();
        for (j, b) in bytes.iter().enumerate() {
            if *b == b'<'
                && bytes
                    .get(j + 1)
                    .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'/' || *n == b'!')
            {
                return Some(format!("line {}: {line}", i + 1));
            }
        }
    }
    None
}

#[test]
fn prose_hints_and_notes_have_no_raw_html() {
    for l in lessons() {
        for (i, s) in l.steps.iter().enumerate() {
            let texts = std::iter::once(&s.prose)
                .chain(&s.hints)
                .chain(std::iter::once(&s.why));
            for t in texts {
                if let Some(at) = raw_html(t) {
                    panic!("{} step {}: raw HTML at {at}", l.id, i + 1);
                }
            }
        }
    }
}

#[test]
fn raw_html_detector_works() {
    assert!(raw_html("a <b>bold</b> claim").is_some());
    assert!(raw_html("<!-- hidden -->").is_some());
    assert!(raw_html("`<service>.<namespace>` is fine in code").is_none());
    assert!(raw_html("3 < 4 and 5 > 2").is_none());
}

#[test]
fn one_step_evaluates_fast_enough_for_a_debounce() {
    let all = lessons();
    // The heaviest kind of step: a rollout scenario with several goals over time.
    let step = all
        .iter()
        .find(|l| l.id.contains("rolling"))
        .and_then(|l| l.steps.get(2))
        .expect("rolling-updates step 3");
    let start = std::time::Instant::now();
    let runs = 10;
    for _ in 0..runs {
        let r = lesson::evaluate(step, &step.solution);
        assert!(r.passed);
    }
    let each = start.elapsed() / runs;
    eprintln!("evaluate(rolling-updates step 3): {each:?} per run");
    let mut slowest = (std::time::Duration::ZERO, String::new());
    for l in &all {
        for (i, s) in l.steps.iter().enumerate() {
            let t = std::time::Instant::now();
            let _ = lesson::evaluate(s, &s.solution);
            let took = t.elapsed();
            if took > slowest.0 {
                slowest = (took, format!("{} step {}", l.id, i + 1));
            }
        }
    }
    eprintln!("slowest step: {} in {:?}", slowest.1, slowest.0);
    let t = std::time::Instant::now();
    let mut steps = 0u32;
    for l in &all {
        for s in &l.steps {
            let _ = lesson::evaluate(s, &s.solution);
            steps += 1;
        }
    }
    eprintln!(
        "all {steps} solutions: {:?}, {:?} per step on average",
        t.elapsed(),
        t.elapsed() / steps.max(1)
    );
    assert!(
        each < std::time::Duration::from_millis(500),
        "evaluate took {each:?}"
    );
}

#[test]
fn bad_lesson_files_give_positioned_errors() {
    let files = |lesson: &'static str| {
        move |name: &str| match name {
            "lesson.yaml" => Some(lesson.to_owned()),
            "step1.md" => Some("# Step".to_owned()),
            "step1.starter.yaml" | "step1.solution.yaml" => Some(String::new()),
            _ => None,
        }
    };
    let unknown_goal = "title: T\nsteps:\n  - title: S\n    goals:\n      - avialable: {deployment: web, atLeast: 1}\n";
    let e = lesson::load("x", &files(unknown_goal)).expect_err("unknown goal");
    assert_eq!(e.line, 5);
    assert!(e.message.contains("did you mean `available`"), "{e}");
    let no_code =
        "title: T\nsteps:\n  - title: S\n    goals:\n      - noDiagnostic: {code: no-such-check}\n";
    let e = lesson::load("x", &files(no_code)).expect_err("unknown code");
    assert!(e.message.contains("no-such-check"), "{e}");
    let bad_param = "title: T\nsteps:\n  - title: S\n    goals:\n      - qos: {workload: web, klass: Guaranteed}\n";
    let e = lesson::load("x", &files(bad_param)).expect_err("bad param");
    assert!(e.message.contains("klass"), "{e}");
    let missing_file = "title: T\nsteps:\n  - title: S\n    goals:\n      - noErrors: {}\n  - title: S2\n    goals:\n      - noErrors: {}\n";
    let e = lesson::load("x", &files(missing_file)).expect_err("missing step2.md");
    assert!(e.message.contains("step2.md"), "{e}");
    // Garbage never panics.
    for junk in [
        "",
        ":",
        "steps: 3",
        "title: [",
        "- - -",
        "title: T\nsteps: [{}]",
    ] {
        assert!(lesson::load("x", &files(junk)).is_err());
    }
}

/// The list of lessons at the end of docs/lessons.md, generated from the lessons.
fn lesson_list(all: &[Lesson]) -> String {
    let mut out = String::from(
        "<!-- generated by `UPDATE_DOCS=1 cargo test -p kubeplay-core --test lessons` -->\n",
    );
    for l in all {
        out.push_str(&format!(
            "\n### {} — {}\n\n{}\n\nConcepts: {}\n\n",
            l.id,
            l.title,
            l.summary,
            l.concepts
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        for (i, s) in l.steps.iter().enumerate() {
            let goals: Vec<&str> = s.goals.iter().map(|g| g.text.as_str()).collect();
            out.push_str(&format!(
                "{}. **{}**: {}\n",
                i + 1,
                s.title,
                goals.join("; ")
            ));
        }
    }
    out
}

#[test]
fn docs_list_every_lesson() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/lessons.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    let marker = "## Curriculum\n\n";
    let Some(at) = doc.find(marker) else {
        panic!("docs/lessons.md has no `## Curriculum` section");
    };
    let head = &doc[..at + marker.len()];
    let want = format!("{head}{}", lesson_list(&lessons()));
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap_or_else(|e| panic!("cannot write docs: {e}"));
    } else {
        assert!(
            doc == want,
            "docs/lessons.md is stale: run UPDATE_DOCS=1 cargo test -p kubeplay-core --test lessons"
        );
    }
}

#[test]
fn lessons_and_results_serialise_for_the_web_app() {
    let all = lessons();
    let json = serde_json::to_value(&all).expect("lessons serialise");
    let goal = &json[0]["steps"][0]["goals"][0];
    assert_eq!(goal["type"], "noErrors");
    assert!(goal["text"].is_string());
    let step = &all[0].steps[1];
    let result = lesson::evaluate(step, &step.starter);
    let json = serde_json::to_value(&result).expect("results serialise");
    assert_eq!(json["passed"], false);
    assert!(json["goals"][0]["detail"].is_string());
}
