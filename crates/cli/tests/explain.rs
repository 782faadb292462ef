//! End-to-end tests of `kubeplay explain`.

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

#[test]
fn explains_a_field_like_kubectl() {
    let out = run(&["explain", "deploy.spec.strategy"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        text.starts_with("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n"),
        "{text}"
    );
    assert!(
        text.contains("FIELD: strategy <DeploymentStrategy>"),
        "{text}"
    );
    assert!(
        text.contains("  rollingUpdate\t<RollingUpdateDeployment>"),
        "{text}"
    );
    assert!(
        text.contains("  type\t<string>\n  enum: Recreate, RollingUpdate"),
        "{text}"
    );
}

#[test]
fn explains_a_kind_by_short_name() {
    let out = run(&["explain", "svc"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("KIND:       Service"), "{text}");
    assert!(text.contains("  spec\t<ServiceSpec>"), "{text}");
}

#[test]
fn unknown_resource_or_field_is_a_usage_error() {
    let out = run(&["explain", "deploy.spec.strategi"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("field \"strategi\" does not exist"));
    let out = run(&["explain", "widgets"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("the server doesn't have a resource type \"widgets\"")
    );
}
