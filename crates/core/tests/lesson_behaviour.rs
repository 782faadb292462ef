//! The lesson steps whose goals check what the cluster does (issue 8): for each, the
//! starter fails the behaviour goal for the reason the lesson teaches, and the solution
//! meets it, with the observed detail a learner reads.

use kubeplay_core::lesson::{self, GoalResult, Lesson, StepResult};

fn lessons() -> Vec<Lesson> {
    match lesson::builtin() {
        Ok(l) => l,
        Err(e) => panic!("a lesson does not parse: {e}"),
    }
}

/// Evaluates the starter and the solution of a step: (starter, solution).
fn step(id: &str, n: usize) -> (StepResult, StepResult) {
    let all = lessons();
    let l = all.iter().find(|l| l.id == id).expect("lesson");
    let s = &l.steps[n - 1];
    (
        lesson::evaluate(s, &s.starter),
        lesson::evaluate(s, &s.solution),
    )
}

/// The result of the goal whose text starts with `text`.
fn goal<'a>(r: &'a StepResult, text: &str) -> &'a GoalResult {
    r.goals
        .iter()
        .find(|g| g.text.starts_with(text))
        .unwrap_or_else(|| panic!("no goal `{text}` in {:#?}", r.goals))
}

/// The goal fails on the starter and passes on the solution; returns both details.
fn fails_then_passes(id: &str, n: usize, text: &str) -> (String, String) {
    let (starter, solution) = step(id, n);
    let (a, b) = (goal(&starter, text), goal(&solution, text));
    assert!(
        !a.passed,
        "{id} step {n} starter passes `{text}`: {}",
        a.detail
    );
    assert!(
        b.passed,
        "{id} step {n} solution fails `{text}`: {}",
        b.detail
    );
    (a.detail.clone(), b.detail.clone())
}

#[test]
fn node_port_is_checked_by_a_request_to_a_node() {
    let (starter, solution) = fails_then_passes("05-services-dns", 2, "A request from outside");
    assert!(
        starter.contains("connection refused: no Service has node port 30080"),
        "{starter}"
    );
    assert!(solution.contains("node-2:30080/ → 200 (web-"), "{solution}");
    // Without `nodePort` the API server picks a free port: 30080 stays closed.
    let all = lessons();
    let s = &all
        .iter()
        .find(|l| l.id == "05-services-dns")
        .expect("lesson")
        .steps[1];
    let no_port = s.solution.replace("      nodePort: 30080\n", "");
    let r = lesson::evaluate(s, &no_port);
    assert!(!goal(&r, "A request from outside").passed);
}

#[test]
fn api_url_must_resolve_from_the_callers_namespace() {
    let (starter, solution) =
        fails_then_passes("05-services-dns", 3, "From the frontend's namespace");
    assert!(
        starter.contains("`api` does not resolve from namespace web"),
        "{starter}"
    );
    assert!(
        solution.contains("resolves to api.shop.svc.cluster.local (Service shop/api), port 8080, 2 ready endpoints"),
        "{solution}"
    );
    let all = lessons();
    let s = &all
        .iter()
        .find(|l| l.id == "05-services-dns")
        .expect("lesson")
        .steps[2];
    // The short cross-namespace form works too; a wrong port does not.
    let short = s
        .solution
        .replace("api.shop.svc.cluster.local:8080", "api.shop:8080");
    assert!(
        goal(
            &lesson::evaluate(s, &short),
            "From the frontend's namespace"
        )
        .passed
    );
    let wrong_port = s.solution.replace("cluster.local:8080", "cluster.local:80");
    let r = lesson::evaluate(s, &wrong_port);
    let g = goal(&r, "From the frontend's namespace");
    assert!(
        !g.passed && g.detail.contains("has no port 80"),
        "{}",
        g.detail
    );
}

#[test]
fn ingress_tls_and_host_are_checked_by_requests() {
    let (starter, solution) =
        fails_then_passes("06-ingress", 3, "The controller answers shop.example.com");
    assert!(
        starter.contains("no Ingress lists shop.example.com under spec.tls"),
        "{starter}"
    );
    assert!(
        solution.contains("with the certificate in secret/default/shop-tls"),
        "{solution}"
    );
    let (starter, _) = fails_then_passes("06-ingress", 3, "A request for another host");
    assert!(starter.contains("www.example.org/ got 200"), "{starter}");
    // A secretName that names no Secret: the controller's fake certificate.
    let all = lessons();
    let s = &all
        .iter()
        .find(|l| l.id == "06-ingress")
        .expect("lesson")
        .steps[2];
    let typo = s
        .solution
        .replace("secretName: shop-tls", "secretName: shop-cert");
    let r = lesson::evaluate(s, &typo);
    let g = goal(&r, "The controller answers shop.example.com");
    assert!(
        !g.passed
            && g.detail
                .contains("local SSL certificate default/shop-cert was not found"),
        "{}",
        g.detail
    );
}

#[test]
fn pre_stop_is_checked_by_how_long_deleted_pods_keep_running() {
    let (starter, solution) =
        fails_then_passes("09-graceful-shutdown", 1, "In the release at t=30s");
    assert!(starter.contains("after 0s; the goal needs 5s"), "{starter}");
    assert!(
        solution.contains("3 pods of deployment/web deleted; each kept running for at least 5s"),
        "{solution}"
    );
}

#[test]
fn default_deny_is_checked_by_reachability_both_ways_and_egress() {
    fails_then_passes("14-network-policies", 2, "`web` can no longer open");
    let all = lessons();
    let s = &all
        .iter()
        .find(|l| l.id == "14-network-policies")
        .expect("lesson")
        .steps[1];
    // Egress denied too: cluster DNS is cut off.
    let both = s
        .solution
        .replace("    - Ingress\n", "    - Ingress\n    - Egress\n");
    let r = lesson::evaluate(s, &both);
    assert!(!goal(&r, "Outgoing traffic is untouched").passed);
    // A policy for one app only leaves the other open.
    let one = s.solution.replace(
        "  podSelector: {}\n",
        "  podSelector:\n    matchLabels: {app: api}\n",
    );
    let r = lesson::evaluate(s, &one);
    assert!(goal(&r, "`web` can no longer open").passed);
    assert!(!goal(&r, "Nor `api` to `web`").passed);
}

#[test]
fn rbac_is_checked_as_the_workloads_service_account() {
    let (starter, solution) = fails_then_passes("15-rbac", 1, "The config-watcher pods can list");
    assert!(
        starter.contains("--as system:serviceaccount:default:default: no"),
        "{starter}"
    );
    assert!(
        solution.contains("--as system:serviceaccount:default:reader: yes"),
        "{solution}"
    );
    // Naming the ServiceAccount without creating it: the pods are refused.
    let all = lessons();
    let s = &all
        .iter()
        .find(|l| l.id == "15-rbac")
        .expect("lesson")
        .steps[0];
    let no_sa = s
        .solution
        .split("---\n")
        .nth(1)
        .expect("the Deployment")
        .to_owned();
    let r = lesson::evaluate(s, &no_sa);
    let g = goal(&r, "The config-watcher pods can list");
    assert!(
        !g.passed
            && g.detail
                .contains("error looking up service account default/reader"),
        "{}",
        g.detail
    );
    let (starter, _) = fails_then_passes("15-rbac", 3, "A person who logs in as `reader`");
    assert!(starter.contains("--as reader: yes"), "{starter}");
}

#[test]
fn statefulset_identity_order_and_claims() {
    let (starter, solution) = fails_then_passes("16-statefulsets", 1, "`db-0.db` resolves");
    assert!(
        starter.contains("does not resolve from namespace default"),
        "{starter}"
    );
    assert!(
        solution.contains("db-0.db.default.svc.cluster.local (Pod `db-0`)"),
        "{solution}"
    );
    let (_, solution) = step("16-statefulsets", 1);
    let order = goal(&solution, "db-0 starts first");
    assert!(
        order.passed && order.detail.starts_with("db-0 created t=0s, Ready t="),
        "{}",
        order.detail
    );
    // `Parallel` creates both at once: not in order.
    let all = lessons();
    let s = &all
        .iter()
        .find(|l| l.id == "16-statefulsets")
        .expect("lesson")
        .steps[0];
    let parallel = s.solution.replace(
        "  serviceName: db\n",
        "  serviceName: db\n  podManagementPolicy: Parallel\n",
    );
    let r = lesson::evaluate(s, &parallel);
    let g = goal(&r, "db-0 starts first");
    assert!(
        !g.passed
            && g.detail
                .starts_with("pod db-1 was created at t=0s, before db-0 was Ready"),
        "{}",
        g.detail
    );
    let (starter, solution) = fails_then_passes("16-statefulsets", 2, "db-0 has its own claim");
    assert!(starter.contains("Pending 10Gi ReadWriteOnce (StorageClass fast-ssd): storageclass.storage.k8s.io \"fast-ssd\" not found"), "{starter}");
    assert!(
        solution.contains("Bound 10Gi ReadWriteOnce (StorageClass standard)"),
        "{solution}"
    );
    // Fixing only the size in step 3 still leaves a claim no block disk can satisfy.
    let s = &all
        .iter()
        .find(|l| l.id == "16-statefulsets")
        .expect("lesson")
        .steps[2];
    let size_only = s.starter.replace("10 GB", "10Gi");
    let r = lesson::evaluate(s, &size_only);
    let g = goal(&r, "`data-db-0` is Bound");
    assert!(
        !g.passed && g.detail.contains("not ReadWriteMany"),
        "{}",
        g.detail
    );
}

#[test]
fn jobs_are_checked_by_how_they_end() {
    let (_, solution) = fails_then_passes("17-jobs-cronjobs", 1, "The failing migration");
    assert!(
        solution.contains("became Failed (BackoffLimitExceeded) with 0 pods succeeded, 4 failed"),
        "{solution}"
    );
    // The default backoffLimit (6) is still retrying at 3 minutes.
    let all = lessons();
    let s = &all
        .iter()
        .find(|l| l.id == "17-jobs-cronjobs")
        .expect("lesson")
        .steps[0];
    let default_limit = s.solution.replace("  backoffLimit: 3\n", "");
    let r = lesson::evaluate(s, &default_limit);
    let g = goal(&r, "The failing migration");
    assert!(
        !g.passed && g.detail.contains("was still running"),
        "{}",
        g.detail
    );
    // OnFailure restarts the container in place: no failed pods are left behind.
    let on_failure = s
        .solution
        .replace("restartPolicy: Never", "restartPolicy: OnFailure");
    assert!(!goal(&lesson::evaluate(s, &on_failure), "The failing migration").passed);

    let (starter, solution) = fails_then_passes("17-jobs-cronjobs", 2, "All 12 batches");
    assert!(
        starter.contains("with 1 pod succeeded, 0 failed; the goal needs 12 succeeded"),
        "{starter}"
    );
    assert!(solution.contains("12 pods succeeded"), "{solution}");
    let (_, solution) = step("17-jobs-cronjobs", 2);
    let most = goal(&solution, "Never more than 4 at once");
    assert!(
        most.passed
            && most
                .detail
                .starts_with("at most 4 pods of job/thumbnails ran at once"),
        "{}",
        most.detail
    );
    let s = &all
        .iter()
        .find(|l| l.id == "17-jobs-cronjobs")
        .expect("lesson")
        .steps[1];
    let six = s.solution.replace("parallelism: 4", "parallelism: 6");
    assert!(!goal(&lesson::evaluate(s, &six), "Never more than 4 at once").passed);
}

#[test]
fn cron_job_is_checked_by_when_it_runs() {
    let (starter, solution) = fails_then_passes("17-jobs-cronjobs", 3, "The first report starts");
    assert!(
        starter.contains("nightly-report-29453762 at t=2m, nightly-report-29455202 at t=24h2m"),
        "{starter}"
    );
    assert_eq!(
        solution,
        "CronJob `nightly-report` created nightly-report-29453880 at t=2h"
    );
    // Allow (the default) starts a second report while the first still runs.
    let all = lessons();
    let s = &all
        .iter()
        .find(|l| l.id == "17-jobs-cronjobs")
        .expect("lesson")
        .steps[2];
    let allow = s.solution.replace("  concurrencyPolicy: Forbid\n", "");
    let r = lesson::evaluate(s, &allow);
    let g = goal(&r, "The first report starts");
    assert!(
        !g.passed && g.detail.contains("nightly-report-29455320 at t=26h"),
        "{}",
        g.detail
    );
}

/// Each new goal type reads its parameters with positioned errors.
#[test]
fn behaviour_goals_parse_with_positioned_errors() {
    let load = |goal: &str| {
        let text = format!("title: T\nsteps:\n  - title: S\n    goals:\n      - {goal}\n");
        lesson::load("x", &move |name: &str| match name {
            "lesson.yaml" => Some(text.clone()),
            "step1.md" => Some("# Step".to_owned()),
            "step1.starter.yaml" | "step1.solution.yaml" => Some(String::new()),
            _ => None,
        })
    };
    for good in [
        "running: {workload: job/x, atMost: 4, always: true}",
        "jobComplete: {job: x, succeeded: 12, by: 2m}",
        "jobFailed: {job: x, reason: BackoffLimitExceeded, failed: 4, by: 3m}",
        "cronJobRuns: {cronJob: x, at: [2h, 26h]}",
        "keepsServing: {workload: deployment/web, atLeast: 5s}",
        "startsInOrder: {workload: statefulset/db, pods: [db-0, db-1]}",
        "claim: {name: data-db-0, storage: 10Gi, accessMode: ReadWriteOnce}",
        "envResolves: {workload: deployment/f, env: API_URL, service: shop/api}",
        "resolves: {name: db-0.db, pod: db-0}",
        "tlsCertificate: {host: shop.example.com, secret: shop-tls}",
        "requestStatus: {host: a.example, path: /, status: 404}",
    ] {
        if let Err(e) = load(good) {
            panic!("{good}: {e}");
        }
    }
    for (bad, says) in [
        (
            "running: {workload: job/x}",
            "needs `atLeast`, `atMost` or `exactly`",
        ),
        ("jobComplete: {job: x}", "goal `jobComplete` needs `by`"),
        (
            "jobFailed: {job: x, by: soon}",
            "`by` is not a duration: soon",
        ),
        (
            "cronJobRuns: {cronJob: x, at: [2h, later]}",
            "`later` is not a time",
        ),
        (
            "keepsServing: {workload: web, for: 5s}",
            "goal `keepsServing` has no parameter `for`",
        ),
        (
            "startsInOrder: {workload: statefulset/db, pods: []}",
            "`pods` is empty",
        ),
        (
            "claim: {name: d, storage: 10 GB}",
            "`storage: 10 GB` is not a quantity",
        ),
        (
            "envResolves: {workload: w, env: E, service: api}",
            "`service` is NAMESPACE/NAME",
        ),
        ("resolves: {name: db-0.db}", "needs `pod` or `service`"),
        ("tlsCertificate: {host: h}", "needs `secret`"),
        (
            "requestStatus: {path: /, status: ok}",
            "`status` must be a whole number",
        ),
        (
            "jobComplet: {job: x, by: 1m}",
            "did you mean `jobComplete`?",
        ),
    ] {
        let e = load(bad).expect_err(bad);
        assert_eq!(e.line, 5, "{bad}: {e}");
        assert!(e.message.contains(says), "{bad}: {e}");
    }
}

#[test]
fn debug_print_all() {
    if std::env::var("PRINT").is_err() {
        return;
    }
    for l in lessons() {
        for (i, s) in l.steps.iter().enumerate() {
            for (which, text) in [("starter", &s.starter), ("solution", &s.solution)] {
                let r = lesson::evaluate(s, text);
                for g in &r.goals {
                    println!(
                        "{} {} {which} {} {} :: {}",
                        l.id,
                        i + 1,
                        if g.passed { "PASS" } else { "FAIL" },
                        g.text,
                        g.detail
                    );
                }
            }
        }
    }
}
