//! `analyze` speed: the 1,000-line budget (< 1 ms native) and pathological inputs that must
//! stay linear.

use criterion::{Criterion, criterion_group, criterion_main};
use kubeplay_core::analyze;
use std::hint::black_box;

/// A realistic multi-document manifest of about `lines` lines: Deployments, Services and
/// ConfigMaps as a team would write them, some with mistakes.
fn manifest(lines: usize) -> String {
    let mut out = String::new();
    let mut i = 0;
    while out.lines().count() < lines {
        out.push_str(&format!(
            "---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-{i}
  namespace: team-{ns}
  labels:
    app: api-{i}
spec:
  replicas: 3
  selector:
    matchLabels:
      app: api-{i}
  template:
    metadata:
      labels:
        app: api-{i}
    spec:
      containers:
        - name: api
          image: registry.example.com/api:{tag}
          ports:
            - containerPort: 8080
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: api-{i}
  namespace: team-{ns}
spec:
  selector:
    app: api-{i}
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: api-{i}-config
  namespace: team-{ns}
data:
  LOG_LEVEL: info
  GREETING: \"hello 😀\"
",
            ns = i % 7,
            tag = if i % 5 == 0 {
                "latest".to_owned()
            } else {
                format!("1.{i}.0")
            },
        ));
        i += 1;
    }
    out
}

fn bench(c: &mut Criterion) {
    let text = manifest(1_000);
    c.bench_function("analyze 1000-line manifest", |b| {
        b.iter(|| analyze(black_box(&text)))
    });

    let big = manifest(20_000);
    c.bench_function("analyze 20000-line manifest", |b| {
        b.iter(|| analyze(black_box(&big)))
    });

    let mut laughs = String::from("a0: &a0 [x,x,x,x,x,x,x,x,x]\n");
    for i in 1..10 {
        let p = i - 1;
        laughs.push_str(&format!(
            "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    c.bench_function("billion laughs", |b| b.iter(|| analyze(black_box(&laughs))));

    let brackets = "[".repeat(100_000);
    c.bench_function("100k nested brackets", |b| {
        b.iter(|| analyze(black_box(&brackets)))
    });

    let empty_docs = "---\n".repeat(50_000);
    c.bench_function("50k empty documents", |b| {
        b.iter(|| analyze(black_box(&empty_docs)))
    });

    let long_value = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: \"{}\"\n",
        "x".repeat(1_000_000)
    );
    c.bench_function("1 MB string", |b| {
        b.iter(|| analyze(black_box(&long_value)))
    });

    // Every key unknown to the schema: one diagnostic each, with a did-you-mean search.
    let mut unknown = String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n");
    for i in 0..10_000 {
        unknown.push_str(&format!("  field{i}: {i}\n"));
    }
    c.bench_function("10k unknown fields", |b| {
        b.iter(|| analyze(black_box(&unknown)))
    });

    // A 1 MB Secret value that is not base64 (decoded to the end, as the API server does).
    let secret = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: big\ndata:\n  blob: {}\n",
        "QUJD".repeat(250_000)
    );
    c.bench_function("1 MB Secret data", |b| {
        b.iter(|| analyze(black_box(&secret)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
