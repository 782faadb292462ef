//! Analyses a generated 1,000-line manifest many times (for profilers).
fn main() {
    let mut text = String::new();
    let mut i = 0;
    while text.lines().count() < 1000 {
        text.push_str(&format!("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api-{i}\n  namespace: team-{ns}\n  labels:\n    app: api-{i}\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: api-{i}\n  template:\n    metadata:\n      labels:\n        app: api-{i}\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/api:1.{i}.0\n          ports:\n            - containerPort: 8080\n          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n          readinessProbe:\n            httpGet:\n              path: /healthz\n              port: 8080\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api-{i}\n  namespace: team-{ns}\nspec:\n  selector:\n    app: api-{i}\n  ports:\n    - port: 80\n      targetPort: 8080\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api-{i}-config\n  namespace: team-{ns}\ndata:\n  LOG_LEVEL: info\n", ns = i % 7));
        i += 1;
    }
    let n = 100;
    let t = std::time::Instant::now();
    let mut d = 0;
    for _ in 0..n {
        d += kubeplay_core::analyze(&text).diagnostics.len();
    }
    eprintln!(
        "{:?} per analyze, {} diagnostics",
        t.elapsed() / n,
        d / n as usize
    );
}
