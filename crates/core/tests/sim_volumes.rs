//! PersistentVolumeClaims of a StatefulSet (the StatefulSet docs, "Stable Storage" and
//! "PersistentVolumeClaim retention"): one claim per pod named `<template>-<set>-<ordinal>`,
//! created before the pod, kept when the set scales down and reused when it scales up;
//! bound when the cluster can provision it.

mod common;

use common::run;
use kubeplay_core::sim::Timeline;

fn db(storage_class: &str, modes: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 3
  selector:
    matchLabels: {{app: db}}
  template:
    metadata:
      labels: {{app: db}}
    spec:
      containers:
        - name: postgres
          image: postgres:16.4
          volumeMounts:
            - name: data
              mountPath: /var/lib/postgresql/data
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
{storage_class}        accessModes: [{modes}]
        resources:
          requests:
            storage: 10Gi
"
    )
}

fn claims(tl: &Timeline) -> Vec<(String, &'static str, String)> {
    tl.timeline
        .last()
        .expect("snapshot")
        .persistent_volume_claims
        .iter()
        .map(|c| (c.name.clone(), c.phase, c.storage.clone()))
        .collect()
}

#[test]
fn one_claim_per_pod_created_before_it_and_kept_on_scale_down() {
    let steps = "  - at: 60s\n    scale: {statefulset: db, replicas: 1}\n";
    let tl = run(&db("", "ReadWriteOnce"), "", steps, "120s");
    let bound = |n: &str| (n.to_owned(), "Bound", "10Gi".to_owned());
    assert_eq!(
        claims(&tl),
        vec![bound("data-db-0"), bound("data-db-1"), bound("data-db-2")]
    );
    let last = tl.timeline.last().expect("snapshot");
    assert_eq!(last.pods.len(), 1, "scaled down to db-0");
    // The claim's event comes first, in the controller's words.
    let created: Vec<&str> = tl
        .events
        .iter()
        .filter(|e| e.reason == "SuccessfulCreate" && e.object == "statefulset/db")
        .map(|e| e.message.as_str())
        .take(2)
        .collect();
    assert_eq!(
        created,
        [
            "create Claim data-db-0 Pod db-0 in StatefulSet db success",
            "create Pod db-0 in StatefulSet db successful"
        ]
    );
    // Scaling up again reuses the kept claims: no second claim event.
    let steps = "  - at: 60s\n    scale: {statefulset: db, replicas: 1}\n  - at: 120s\n    scale: {statefulset: db, replicas: 3}\n";
    let tl = run(&db("", "ReadWriteOnce"), "", steps, "200s");
    let claim_events = tl
        .events
        .iter()
        .filter(|e| e.message.starts_with("create Claim"))
        .count();
    assert_eq!(claim_events, 3);
    assert_eq!(tl.timeline.last().expect("snapshot").pods.len(), 3);
}

#[test]
fn claims_stay_pending_when_nothing_can_provision_them() {
    let tl = run(
        &db("        storageClassName: fast-ssd\n", "ReadWriteOnce"),
        "",
        "",
        "30s",
    );
    assert_eq!(claims(&tl)[0].1, "Pending");
    let failed = tl
        .events
        .iter()
        .find(|e| e.reason == "ProvisioningFailed")
        .expect("ProvisioningFailed");
    assert_eq!(failed.object, "persistentvolumeclaim/data-db-0");
    assert_eq!(
        failed.message,
        "storageclass.storage.k8s.io \"fast-ssd\" not found"
    );
    // The default class makes block disks: one node at a time.
    let tl = run(&db("", "ReadWriteMany"), "", "", "30s");
    assert_eq!(claims(&tl)[0].1, "Pending");
    let failed = tl
        .events
        .iter()
        .find(|e| e.reason == "ProvisioningFailed")
        .expect("ProvisioningFailed");
    assert!(
        failed
            .message
            .starts_with("failed to provision volume with StorageClass \"standard\""),
        "{}",
        failed.message
    );
    // A class the manifest creates is taken to provision anything.
    let class = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast-ssd\nprovisioner: pd.csi.storage.gke.io\n---\n";
    let with_class = format!(
        "{class}{}",
        db("        storageClassName: fast-ssd\n", "ReadWriteOnce")
    );
    let tl = run(&with_class, "", "", "30s");
    assert_eq!(claims(&tl)[0].1, "Bound");
}

/// VolumeBinding: a pod whose claim is not Bound stays Pending with the scheduler's
/// message, and OrderedReady waits for it; once a StorageClass that can serve the claim is
/// applied, the claim binds and the pods start.
#[test]
fn a_pod_waits_for_its_claim_to_bind() {
    let class = "  - at: 60s\n    apply: |\n      apiVersion: storage.k8s.io/v1\n      kind: StorageClass\n      metadata:\n        name: fast-ssd\n      provisioner: pd.csi.storage.gke.io\n";
    let tl = run(
        &db("        storageClassName: fast-ssd\n", "ReadWriteOnce"),
        "",
        class,
        "120s",
    );
    let at_50 = tl.at(50.0).expect("snapshot");
    assert_eq!(at_50.pods.len(), 1, "db-1 waits for db-0");
    assert_eq!(
        at_50.pods[0].reason.as_deref(),
        Some(
            "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        )
    );
    let last = tl.timeline.last().expect("snapshot");
    assert_eq!(last.pods.iter().filter(|p| p.ready).count(), 3);
    assert!(
        last.persistent_volume_claims
            .iter()
            .all(|c| c.phase == "Bound")
    );
}

fn kubectl(tl: &Timeline, t: f64, line: &str) -> String {
    let command = kubeplay_core::kubectl::parse(line).expect("kubectl line");
    let view = kubeplay_core::kubectl::View {
        timeline: tl,
        t,
        namespace: "default",
    };
    kubeplay_core::kubectl::run(&command, &view)
}

/// `kubectl get pvc` as kubectl prints it (`printPersistentVolumeClaim`): a Bound claim
/// names its provisioned volume (`pvc-<uid>`), capacity and short access modes; a Pending
/// one leaves those empty. `-o yaml` shows the same claim as stored.
#[test]
fn get_pvc_prints_kubectls_columns() {
    let tl = run(&db("", "ReadWriteOnce"), "", "", "60s");
    let out = kubectl(&tl, 60.0, "get pvc");
    let mut lines = out.lines();
    let header = lines.next().unwrap_or_default();
    assert!(
        header.starts_with("NAME")
            && header.contains("STATUS")
            && header.contains("ACCESS MODES")
            && header.contains("VOLUMEATTRIBUTESCLASS"),
        "{out}"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows.len(), 3, "{out}");
    let first = &rows[0];
    assert_eq!(&first[..2], ["data-db-0", "Bound"], "{out}");
    assert!(
        first[2].starts_with("pvc-") && first[2].len() == 40,
        "{out}"
    );
    assert_eq!(
        &first[3..7],
        ["10Gi", "RWO", "standard", "<unset>"],
        "{out}"
    );
    let yaml = kubectl(&tl, 60.0, "get pvc data-db-0 -o yaml");
    assert!(yaml.contains("kind: PersistentVolumeClaim"), "{yaml}");
    assert!(
        yaml.contains(&format!("volumeName: {}", first[2])),
        "{yaml}"
    );
    assert!(yaml.contains("phase: Bound"), "{yaml}");

    let pending = run(
        &db("        storageClassName: fast-ssd\n", "ReadWriteOnce"),
        "",
        "",
        "30s",
    );
    let out = kubectl(&pending, 30.0, "get persistentvolumeclaims data-db-0");
    let row: Vec<&str> = out
        .lines()
        .nth(1)
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    assert_eq!(
        row,
        ["data-db-0", "Pending", "fast-ssd", "<unset>", "30s"],
        "{out}"
    );
    assert_eq!(
        kubectl(&pending, 30.0, "get pvc nope"),
        "Error from server (NotFound): persistentvolumeclaims \"nope\" not found\n"
    );
}
