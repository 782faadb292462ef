//! A generated 1,000-document corpus (500 Deployments, 250 Services, 250 ConfigMaps across
//! 7 namespaces) with planted mistakes: every planted mistake is found at its line, and no
//! healthy object is flagged by the same code.

use std::collections::BTreeSet;

use kubeplay_core::analyze;

struct Corpus {
    text: String,
    /// (code, line) of every planted mistake.
    planted: BTreeSet<(&'static str, u32)>,
}

fn corpus() -> Corpus {
    let mut text = String::new();
    let mut planted = BTreeSet::new();
    let line = |text: &String| text.lines().count() as u32 + 1;
    for i in 0..500 {
        let ns = format!("team-{}", i % 7);
        // Every 10th Deployment: the selector does not match the template's labels (a typo).
        let template_app = if i % 10 == 3 {
            format!("ap1-{i}")
        } else {
            format!("api-{i}")
        };
        text.push_str("---\n");
        let start = line(&text);
        text.push_str(&format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api-{i}\n  namespace: {ns}\n  labels:\n    app: api-{i}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: api-{i}\n  template:\n    metadata:\n      labels:\n        app: {template_app}\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/api:1.{i}.0\n          ports:\n            - containerPort: 8080\n          resources:\n            requests: {{cpu: 100m, memory: 128Mi}}\n            limits: {{memory: 128Mi}}\n          readinessProbe:\n            httpGet: {{path: /ready, port: 8080}}\n"
        ));
        if i % 10 == 3 {
            // Reported on the template's labels mapping (its first line, `app: ...`).
            planted.insert(("selector-mismatch", start + 15));
        }
        if i % 2 == 0 {
            let j = i / 2;
            // Every 7th Service selects nothing: its selector has a typo.
            let selector = if j % 7 == 5 {
                format!("apii-{i}")
            } else {
                format!("api-{i}")
            };
            text.push_str("---\n");
            let svc = line(&text);
            text.push_str(&format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: api-{i}\n  namespace: {ns}\n  labels:\n    app: api-{i}\nspec:\n  selector:\n    app: {selector}\n  ports:\n    - port: 80\n      targetPort: 8080\n"
            ));
            if j % 7 == 5 {
                // Reported on the selector mapping (its first line, `app: ...`).
                planted.insert(("service-selects-nothing", svc + 9));
            }
            text.push_str(&format!(
                "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api-{i}-config\n  namespace: {ns}\ndata:\n  LOG_LEVEL: info\n"
            ));
        }
    }
    Corpus { text, planted }
}

#[test]
fn every_planted_mistake_is_found_and_nothing_else_by_the_same_codes() {
    let c = corpus();
    let a = analyze(&c.text);
    assert_eq!(a.objects.len(), 1000);
    let codes: BTreeSet<&str> = c.planted.iter().map(|(code, _)| *code).collect();
    let found: BTreeSet<(&'static str, u32)> = a
        .diagnostics
        .iter()
        .filter(|d| codes.contains(d.code))
        .map(|d| (d.code, d.span.start.line))
        .collect();
    let missed: Vec<_> = c.planted.difference(&found).collect();
    let extra: Vec<_> = found.difference(&c.planted).collect();
    assert!(missed.is_empty(), "planted but not found: {missed:?}");
    assert!(extra.is_empty(), "flagged on healthy objects: {extra:?}");
    assert_eq!(c.planted.len(), 50 + 35);
    // The healthy majority raises no error at all.
    let errors: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.severity == kubeplay_core::Severity::Error && d.code != "selector-mismatch")
        .map(|d| (d.code, d.span.start.line, d.message.clone()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
