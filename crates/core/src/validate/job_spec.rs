//! ## What it does
//! Checks the counts of a Job (and of a CronJob's job template and history limits) as the
//! API server does (`pkg/apis/batch/validation/validation.go` `validateJobSpec`,
//! `ValidateCronJobSpec`): `parallelism`, `completions`, `backoffLimit`,
//! `activeDeadlineSeconds`, `ttlSecondsAfterFinished`, `startingDeadlineSeconds` and the
//! history limits not negative; `completionMode: Indexed` needs `completions`.
//!
//! ## Why
//! These count pods, retries and seconds; a negative value has no meaning. An Indexed Job
//! gives each pod an index from 0 to `completions - 1`, so it must know how many.
//!
//! ## Example
//! ```yaml
//! spec:
//!   completionMode: Indexed
//!   parallelism: 3
//! ```
//! ## Fix
//! Add `completions: 5` (or the number of indexes), keep counts at 0 or more.

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::Object;
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "job-spec",
    severity: Severity::Error,
    source: Source::Api,
    title: "Job counts or completion mode invalid",
    why: "A Job's parallelism, completions, retry limit and deadlines count pods, attempts \
          and seconds, so the API server refuses negative values; an Indexed Job needs \
          `completions` to know its indexes.",
    fix: "Use 0 or a positive number; with `completionMode: Indexed`, set `completions`.",
    docs: "https://kubernetes.io/docs/concepts/workloads/controllers/job/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

const JOB_COUNTS: [&str; 5] = [
    "parallelism",
    "completions",
    "backoffLimit",
    "activeDeadlineSeconds",
    "ttlSecondsAfterFinished",
];
const CRON_COUNTS: [&str; 3] = [
    "startingDeadlineSeconds",
    "successfulJobsHistoryLimit",
    "failedJobsHistoryLimit",
];

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in api::objects(ctx) {
        match kind {
            "Job" => {
                if let Some(spec) = root.get("spec") {
                    job(ctx, object, spec, "spec", out);
                }
            }
            "CronJob" => {
                let Some(spec) = root.get("spec") else {
                    continue;
                };
                negatives(ctx, object, spec, "spec", &CRON_COUNTS, out);
                if let Some(js) = spec.at("jobTemplate.spec") {
                    job(ctx, object, js, "spec.jobTemplate.spec", out);
                }
            }
            _ => {}
        }
    }
}

fn negatives(
    ctx: &Context<'_>,
    object: &Object,
    spec: &Node,
    path: &str,
    fields: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    for f in fields {
        if let Some((n, v)) = api::int_at(spec, f)
            && v < 0
        {
            let body = api::invalid(&v.to_string(), "must be greater than or equal to 0");
            out.push(api::error(
                ctx,
                &RULE,
                object,
                n.range,
                &format!("{path}.{f}"),
                &body,
            ));
        }
    }
}

fn job(ctx: &Context<'_>, object: &Object, spec: &Node, path: &str, out: &mut Vec<Diagnostic>) {
    negatives(ctx, object, spec, path, &JOB_COUNTS, out);
    if let Some(m) = spec.get("completionMode")
        && m.as_str() == Some("Indexed")
        && spec.get("completions").is_none_or(Node::is_null)
    {
        let body = api::required("when completion mode is Indexed");
        out.push(
            api::error(ctx, &RULE, object, m.range, &format!("{path}.completions"), &body)
                .help("Set `completions`: an Indexed Job runs one successful pod per index 0..completions-1."),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const JOB: &str = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: work\nspec:\n  completions: 5\n  parallelism: 2\n  completionMode: Indexed\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: work\n          image: busybox:1.36\n";

    #[test]
    fn good_indexed_job() {
        assert!(lines_of(JOB, "job-spec").is_empty());
    }

    #[test]
    fn bad_indexed_without_completions_and_negative_parallelism() {
        let text = JOB
            .replace("  completions: 5\n", "")
            .replace("parallelism: 2", "parallelism: -1");
        assert_eq!(lines_of(&text, "job-spec"), vec![6, 7]);
    }
}
