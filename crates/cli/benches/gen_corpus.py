#!/usr/bin/env python3
"""Generates the `kubeplay check` benchmark corpus: 1,000 documents a real team would keep.

500 Deployments, 250 Services and 250 ConfigMaps across 7 namespaces, written as one file
per application (a Deployment with its Service or its ConfigMap) under one directory per
namespace, plus the same documents concatenated into `all.yaml`. Deterministic: the same
corpus on every run. About one application in ten carries a learner's mistake (an
unpinned image, missing requests, a wrong apiVersion, an invalid name) so the checks have
something to report.

Usage: python3 crates/cli/benches/gen_corpus.py OUT_DIR
Then:  kubeplay check OUT_DIR/namespaces       (500 files)
       kubeplay check OUT_DIR/all.yaml         (one file)
"""

import os
import random
import sys

NAMESPACES = ["shop", "payments", "search", "identity", "media", "analytics", "platform"]
IMAGES = ["nginx:1.27.3", "redis:7.4.1", "ghcr.io/acme/api:2.3.0", "python:3.12.7-slim",
          "registry.example.com/team/worker:1.0.14", "node:22.11.0-alpine"]


def deployment(name, ns, rng, mistake):
    api_version = "v1" if mistake == "apiVersion" else "apps/v1"
    image = IMAGES[rng.randrange(len(IMAGES))]
    if mistake == "latest":
        image = image.split(":")[0] + ":latest"
    meta_name = name.replace("-", "_").title() if mistake == "name" else name
    resources = "" if mistake == "requests" else f"""
          resources:
            requests:
              cpu: {rng.choice(["50m", "100m", "250m", "500m"])}
              memory: {rng.choice(["64Mi", "128Mi", "256Mi", "512Mi"])}
            limits:
              memory: {rng.choice(["256Mi", "512Mi", "1Gi"])}"""
    return f"""apiVersion: {api_version}
kind: Deployment
metadata:
  name: {meta_name}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/part-of: {ns}
spec:
  replicas: {rng.randint(1, 6)}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
        app.kubernetes.io/part-of: {ns}
    spec:
      containers:
        - name: {name}
          image: {image}
          ports:
            - name: http
              containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
          readinessProbe:
            httpGet:
              path: /ready
              port: http
            periodSeconds: 5
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            initialDelaySeconds: 10{resources}
"""


def service(name, ns):
    return f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: {name}
  ports:
    - name: http
      port: 80
      targetPort: http
"""


def configmap(name, ns, rng):
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
  namespace: {ns}
data:
  LOG_LEVEL: info
  CACHE_TTL_SECONDS: "{rng.randint(30, 600)}"
  FEATURE_FLAGS: "checkout-v2,fast-search"
  app.properties: |
    server.port=8080
    server.shutdown=graceful
    spring.lifecycle.timeout-per-shutdown-phase=20s
"""


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    rng = random.Random(1036)
    mistakes = ["latest", "requests", "apiVersion", "name"]
    documents = []
    for i in range(500):
        ns = NAMESPACES[i % len(NAMESPACES)]
        name = f"app-{i:03d}"
        mistake = mistakes[(i // 10) % len(mistakes)] if i % 10 == 7 else None
        docs = [deployment(name, ns, rng, mistake)]
        docs.append(service(name, ns) if i % 2 == 0 else configmap(name, ns, rng))
        folder = os.path.join(out, "namespaces", ns)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{name}.yaml"), "w", encoding="utf-8") as f:
            f.write("---\n".join(docs))
        documents.extend(docs)
    with open(os.path.join(out, "all.yaml"), "w", encoding="utf-8") as f:
        f.write("---\n".join(documents))
    print(f"{len(documents)} documents in {out}")


if __name__ == "__main__":
    main()
