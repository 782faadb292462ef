//! The Job and CronJob controllers (`pkg/controller/job/job_controller.go`,
//! `pkg/controller/cronjob/cronjob_controllerv2.go`).
//!
//! Job: keeps `min(parallelism, completions − succeeded)` pods active (with no
//! `completions`, `parallelism` until one pod succeeds); a pod that exits 0 has succeeded;
//! failed pods (restartPolicy Never) count against `backoffLimit`, and with OnFailure the
//! container restarts of active pods do (`pastBackoffLimitOnFailure`). After failures new
//! pods wait 10 s doubling, capped at 6 minutes. Conditions follow v1.31+: SuccessCriteriaMet
//! then Complete (reason CompletionsReached), FailureTarget then Failed (reason
//! BackoffLimitExceeded) once the remaining pods are gone.
//!
//! CronJob: five-field schedules in UTC (minute hour day-of-month month day-of-week, with
//! `*`, lists, ranges, steps, month and weekday names and the `@hourly`-style macros; when
//! both day fields are restricted either may match, as robfig/cron does). Simulated time 0 is
//! 2026-01-01T00:00:00Z (a Thursday). Jobs are named `<cronjob>-<scheduled time in minutes
//! since the Unix epoch>` (`getJobName`); concurrencyPolicy Allow, Forbid or Replace; the
//! newest 3 successful and 1 failed Jobs are kept.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::app::Millis;
use super::cluster::{ContainerStatus, Owner, Pod};
use super::engine::{Key, MAX_PODS, Sim};
use super::spec::{PodTemplate, pod_template};
use super::timeline::{ConditionView, CronJobView, JobView};
use crate::yaml::Node;

/// Unix time of simulated time 0: 2026-01-01T00:00:00Z.
pub const EPOCH_UNIX: i64 = 1_767_225_600;
/// `DefaultJobPodFailureBackOff` and the cap the docs give (6 minutes).
const POD_FAILURE_BACKOFF: Millis = 10_000;
const MAX_POD_FAILURE_BACKOFF: Millis = 360_000;

#[derive(Clone, Debug)]
pub struct Job {
    pub name: String,
    pub namespace: String,
    pub template: Rc<PodTemplate>,
    /// `None`: any successful pod completes the Job (a work queue).
    pub completions: Option<i64>,
    pub parallelism: i64,
    pub backoff_limit: i64,
    /// `activeDeadlineSeconds`, from the Job's start.
    pub active_deadline: Option<Millis>,
    pub owner: Option<String>,
    pub created: Millis,
    pub pods: Vec<u64>,
    pub succeeded: i64,
    pub failed: i64,
    /// Failures since the last success, and when the last one happened (pod back-off).
    pub recent_failures: i64,
    pub last_failure: Millis,
    pub conditions: Vec<ConditionView>,
    pub finished: Option<Millis>,
}

impl Job {
    fn condition(&self, kind: &str) -> bool {
        self.conditions.iter().any(|c| c.kind == kind)
    }

    /// Complete or Failed.
    #[must_use]
    pub fn done(&self) -> Option<&'static str> {
        if self.condition("Complete") {
            Some("Complete")
        } else if self.condition("Failed") {
            Some("Failed")
        } else {
            None
        }
    }
}

#[derive(Clone, Debug)]
pub struct CronJob {
    pub name: String,
    pub namespace: String,
    pub schedule: Option<Schedule>,
    pub schedule_text: String,
    pub concurrency: String,
    pub suspend: bool,
    pub job: JobSpec,
    pub next_at: Option<Millis>,
    pub last_schedule: Option<Millis>,
    pub successful_history: i64,
    pub failed_history: i64,
}

/// The Job part of a Job or a CronJob's `jobTemplate`.
#[derive(Clone, Debug)]
pub struct JobSpec {
    pub template: Rc<PodTemplate>,
    pub completions: Option<i64>,
    pub parallelism: i64,
    pub backoff_limit: i64,
    pub active_deadline: Option<Millis>,
}

fn job_spec(text: &str, spec: &Node) -> Option<JobSpec> {
    let tpl = spec.get("template")?;
    let template = pod_template(text, tpl.get("metadata"), tpl.get("spec")?);
    let int = |k: &str| spec.get(k).and_then(Node::as_i64);
    // SetDefaults_Job: both unset → 1 and 1; parallelism defaults to 1; backoffLimit 6.
    let (completions, parallelism) = match (int("completions"), int("parallelism")) {
        (None, None) => (Some(1), 1),
        (c, p) => (
            c.map(|c| c.clamp(0, MAX_PODS)),
            p.unwrap_or(1).clamp(0, MAX_PODS),
        ),
    };
    Some(JobSpec {
        template: Rc::new(template),
        completions,
        parallelism,
        backoff_limit: int("backoffLimit").unwrap_or(6).max(0),
        active_deadline: int("activeDeadlineSeconds")
            .filter(|s| *s > 0)
            .map(|s| s.min(7 * 86_400) * 1000),
    })
}

/// Reads a Job.
#[must_use]
pub fn parse_job(text: &str, namespace: &str, name: &str, root: &Node) -> Option<JobSpec> {
    let _ = (namespace, name);
    job_spec(text, root.get("spec")?)
}

/// Reads a CronJob.
#[must_use]
pub fn parse_cronjob(text: &str, namespace: &str, name: &str, root: &Node) -> Option<CronJob> {
    let spec = root.get("spec")?;
    let schedule_text = spec.get("schedule").and_then(Node::as_str)?.to_owned();
    let job = job_spec(text, spec.at("jobTemplate.spec")?)?;
    Some(CronJob {
        name: name.to_owned(),
        namespace: namespace.to_owned(),
        schedule: Schedule::parse(&schedule_text).ok(),
        schedule_text,
        concurrency: spec
            .get("concurrencyPolicy")
            .and_then(Node::as_str)
            .unwrap_or("Allow")
            .to_owned(),
        suspend: spec.get("suspend").and_then(Node::as_bool).unwrap_or(false),
        job,
        next_at: None,
        last_schedule: None,
        successful_history: spec
            .get("successfulJobsHistoryLimit")
            .and_then(Node::as_i64)
            .unwrap_or(3)
            .max(0),
        failed_history: spec
            .get("failedJobsHistoryLimit")
            .and_then(Node::as_i64)
            .unwrap_or(1)
            .max(0),
    })
}

/// A parsed cron schedule: the allowed values of each field as bit sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    minute: u64,
    hour: u64,
    dom: u64,
    month: u64,
    dow: u64,
    /// Whether the day fields were `*` (robfig/cron's starBit).
    dom_star: bool,
    dow_star: bool,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

fn field(text: &str, min: u32, max: u32, names: &[&str]) -> Result<(u64, bool), String> {
    let value = |s: &str| -> Result<u32, String> {
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
            return Ok(min + i as u32);
        }
        s.parse::<u32>()
            .map_err(|_| format!("failed to parse int from {s}"))
    };
    let mut bits = 0u64;
    let mut star = false;
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (
                r,
                Some(
                    s.parse::<u32>()
                        .map_err(|_| format!("failed to parse int from {s}"))?,
                ),
            ),
            None => (part, None),
        };
        let (lo, hi) = if range == "*" || range == "?" {
            star = step.is_none_or(|s| s <= 1);
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            (value(a)?, value(b)?)
        } else {
            let v = value(range)?;
            (v, if step.is_some() { max } else { v })
        };
        if lo < min || hi > max {
            return Err(format!("end of range ({hi}) above maximum ({max}): {part}"));
        }
        if lo > hi {
            return Err(format!(
                "beginning of range ({lo}) beyond end of range ({hi}): {part}"
            ));
        }
        let step = step.unwrap_or(1);
        if step == 0 {
            return Err(format!("step of range should be a positive number: {part}"));
        }
        let mut v = lo;
        while v <= hi {
            bits |= 1 << v;
            v += step;
        }
    }
    Ok((bits, star))
}

impl Schedule {
    /// Parses a standard five-field schedule or a macro, as robfig/cron's standard parser.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let expanded = match text {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            t if t.starts_with('@') => return Err(format!("unrecognized descriptor: {t}")),
            t => t,
        };
        let fields: Vec<&str> = expanded.split_whitespace().collect();
        if fields.len() != 5 {
            return Err(format!(
                "expected exactly 5 fields, found {}: {text}",
                fields.len()
            ));
        }
        let (minute, _) = field(fields[0], 0, 59, &[])?;
        let (hour, _) = field(fields[1], 0, 23, &[])?;
        let (dom, dom_star) = field(fields[2], 1, 31, &[])?;
        let (month, _) = field(fields[3], 1, 12, &MONTHS)?;
        let (mut dow, dow_star) = field(fields[4], 0, 7, &DAYS)?;
        // 7 is Sunday too.
        if dow & (1 << 7) != 0 {
            dow = (dow | 1) & 0x7f;
        }
        Ok(Self {
            minute,
            hour,
            dom,
            month,
            dow,
            dom_star,
            dow_star,
        })
    }

    /// Whether the schedule fires at `minute` (minutes since the Unix epoch, UTC).
    #[must_use]
    pub fn matches(&self, minute: i64) -> bool {
        let days = minute.div_euclid(1440);
        let in_day = minute.rem_euclid(1440);
        let (_, m, d) = civil_from_days(days);
        let weekday = (days + 4).rem_euclid(7); // 1970-01-01 was a Thursday.
        let bit = |set: u64, v: i64| set & (1 << v) != 0;
        if !bit(self.minute, in_day % 60) || !bit(self.hour, in_day / 60) || !bit(self.month, m) {
            return false;
        }
        let dom = bit(self.dom, d);
        let dow = bit(self.dow, weekday);
        if self.dom_star || self.dow_star {
            dom && dow
        } else {
            dom || dow
        }
    }

    /// The first firing strictly after `after` (simulated ms), within `horizon` ms.
    #[must_use]
    pub fn next_after(&self, after: Millis, horizon: Millis) -> Option<Millis> {
        let base = EPOCH_UNIX * 1000;
        let start = (base + after).div_euclid(60_000) + 1;
        let end = (base + after + horizon).div_euclid(60_000);
        (start..=end)
            .find(|m| self.matches(*m))
            .map(|m| m * 60_000 - base)
    }
}

/// Days since 1970-01-01 → (year, month 1-12, day 1-31) (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// RFC 3339 of a simulated time, as `lastScheduleTime` prints.
#[must_use]
pub fn rfc3339(t: Millis) -> String {
    let secs = EPOCH_UNIX + t.div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

fn cond(kind: &str, reason: &str) -> ConditionView {
    ConditionView {
        kind: kind.into(),
        status: "True".into(),
        reason: reason.into(),
    }
}

impl Sim {
    /// Creates a pod owned by a controller, as the API server would store it.
    pub(crate) fn spawn_pod(
        &mut self,
        name: String,
        namespace: &str,
        owner: Owner,
        template: &Rc<PodTemplate>,
    ) -> Option<u64> {
        if self.pods.len() as i64 >= MAX_PODS {
            if !self
                .timeline
                .warnings
                .iter()
                .any(|w| w.contains("pod limit"))
            {
                self.timeline.warnings.push(format!(
                    "{} wants more pods; the simulator's pod limit is {MAX_PODS}",
                    owner.describe().unwrap_or_default()
                ));
            }
            return None;
        }
        let priority = match &owner {
            Owner::StatefulSet(set) => {
                let object = format!("statefulset/{set}");
                self.admit_controller_pod(&object, namespace, &name, template, |e| {
                    format!("create Pod {name} in StatefulSet {set} failed error: {e}")
                })
            }
            Owner::Job(n) | Owner::DaemonSet(n) | Owner::ReplicaSet(n) => {
                let kind = match owner {
                    Owner::Job(_) => "job",
                    Owner::DaemonSet(_) => "daemonset",
                    _ => "replicaset",
                };
                let object = format!("{kind}/{n}");
                self.admit_controller_pod(&object, namespace, &format!("{n}-"), template, |e| {
                    format!("Error creating: {e}")
                })
            }
            Owner::None => self.admit_new_pod(namespace, &name, template).ok(),
        };
        let priority = priority?;
        let uid = self.next_uid;
        self.next_uid += 1;
        self.pods.insert(
            uid,
            Pod {
                name,
                namespace: namespace.to_owned(),
                uid,
                owner,
                labels: template.labels.clone(),
                template: Rc::clone(template),
                node: None,
                ip: None,
                created: self.now,
                deletion: None,
                phase: "Pending",
                containers: template
                    .containers
                    .iter()
                    .map(|c| ContainerStatus::new(&c.name))
                    .collect(),
                ready_since: None,
                unschedulable: None,
                revision: 0,
                cpu_load: None,
                priority,
            },
        );
        self.touch(uid);
        Some(uid)
    }

    /// `kubectl apply` of a Job.
    pub(crate) fn apply_job(&mut self, key: Key, spec: JobSpec, owner: Option<String>) {
        if self.workloads.jobs.contains_key(&key) {
            // A Job's template is immutable; parallelism may change.
            if let Some(j) = self.workloads.jobs.get_mut(&key) {
                j.parallelism = spec.parallelism;
            }
            return;
        }
        let (namespace, name) = key.clone();
        self.workloads.jobs.insert(
            key,
            Job {
                name,
                namespace,
                template: spec.template,
                completions: spec.completions,
                parallelism: spec.parallelism,
                backoff_limit: spec.backoff_limit,
                active_deadline: spec.active_deadline,
                owner,
                created: self.now,
                pods: Vec::new(),
                succeeded: 0,
                failed: 0,
                recent_failures: 0,
                last_failure: 0,
                conditions: Vec::new(),
                finished: None,
            },
        );
        self.changed = true;
    }

    pub(crate) fn sync_jobs(&mut self) -> bool {
        let keys: Vec<Key> = self.workloads.jobs.keys().cloned().collect();
        let mut acted = false;
        for key in keys {
            acted |= self.sync_job(&key);
        }
        acted
    }

    fn sync_job(&mut self, key: &Key) -> bool {
        let Some(mut job) = self.workloads.jobs.get(key).cloned() else {
            return false;
        };
        let now = self.now;
        let object = format!("job/{}", job.name);
        // Forget pods that are gone; count the finished ones once.
        job.pods.retain(|uid| self.pods.get(uid).is_some());
        let (mut succeeded, mut failed, mut restarts) = (0, 0, 0);
        let mut active = Vec::new();
        for uid in &job.pods {
            let Some(p) = self.pods.get(uid) else {
                continue;
            };
            match p.phase {
                "Succeeded" => succeeded += 1,
                "Failed" => failed += 1,
                _ if !p.terminating() => {
                    active.push(*uid);
                    restarts += i64::from(p.restarts());
                }
                _ => {}
            }
        }
        let mut changed = false;
        if succeeded > job.succeeded {
            job.recent_failures = 0;
        }
        if failed > job.failed {
            job.recent_failures += failed - job.failed;
            job.last_failure = now;
        }
        if (succeeded, failed) != (job.succeeded, job.failed) {
            changed = true;
        }
        job.succeeded = succeeded;
        job.failed = failed;
        let terminating = job
            .pods
            .iter()
            .filter_map(|u| self.pods.get(u))
            .any(|p| p.terminating());
        // Terminal conditions (v1.31+: the interim condition first, the final one when no
        // pod of the Job is still running).
        if job.done().is_none() {
            let complete = match job.completions {
                Some(c) => succeeded >= c,
                None => succeeded > 0 && active.is_empty(),
            };
            let on_failure = job.template.restart_policy == "OnFailure";
            let past_limit = failed > job.backoff_limit
                || (on_failure
                    && if job.backoff_limit == 0 {
                        restarts > 0
                    } else {
                        restarts >= job.backoff_limit
                    });
            let past_deadline = job.active_deadline.is_some_and(|d| now >= job.created + d);
            if let Some(d) = job.active_deadline
                && !past_deadline
            {
                self.wake_controllers(job.created + d);
            }
            if complete && !job.condition("SuccessCriteriaMet") {
                job.conditions
                    .push(cond("SuccessCriteriaMet", "CompletionsReached"));
                changed = true;
            } else if !complete && !job.condition("FailureTarget") {
                // pastActiveDeadline is checked before the backoff limit upstream.
                if past_deadline {
                    job.conditions
                        .push(cond("FailureTarget", "DeadlineExceeded"));
                    changed = true;
                } else if past_limit {
                    job.conditions
                        .push(cond("FailureTarget", "BackoffLimitExceeded"));
                    changed = true;
                }
            }
            if job.condition("FailureTarget") {
                for uid in &active {
                    self.delete_pod(*uid);
                }
                active.clear();
            }
            if active.is_empty() && !terminating {
                if job.condition("SuccessCriteriaMet") {
                    job.conditions.push(cond("Complete", "CompletionsReached"));
                    job.finished = Some(now);
                    self.event(
                        "Normal",
                        "Completed",
                        object.clone(),
                        "Job completed".into(),
                        None,
                    );
                    changed = true;
                } else if let Some(target) = job
                    .conditions
                    .iter()
                    .find(|c| c.kind == "FailureTarget")
                    .map(|c| c.reason.clone())
                {
                    let (reason, message) = if target == "DeadlineExceeded" {
                        (
                            "DeadlineExceeded",
                            "Job was active longer than specified deadline",
                        )
                    } else {
                        (
                            "BackoffLimitExceeded",
                            "Job has reached the specified backoff limit",
                        )
                    };
                    job.conditions.push(cond("Failed", reason));
                    job.finished = Some(now);
                    self.event("Warning", reason, object.clone(), message.into(), None);
                    changed = true;
                }
            }
        }
        let mut acted = false;
        if job.done().is_none()
            && !job.condition("SuccessCriteriaMet")
            && !job.condition("FailureTarget")
        {
            let want = match job.completions {
                Some(c) => job.parallelism.min(c - succeeded).max(0),
                None if succeeded > 0 => 0,
                None => job.parallelism,
            };
            let missing = want - active.len() as i64;
            if missing > 0 {
                // Pod failure back-off: 10 s × 2^(failures − 1), at most 6 minutes.
                let wait = if job.recent_failures > 0 {
                    let shift = (job.recent_failures - 1).min(10) as u32;
                    (POD_FAILURE_BACKOFF << shift).min(MAX_POD_FAILURE_BACKOFF)
                } else {
                    0
                };
                if now < job.last_failure + wait {
                    self.wake_controllers(job.last_failure + wait);
                } else {
                    for _ in 0..missing {
                        let name = format!("{}-{}", job.name, self.random_suffix(5));
                        let Some(uid) = self.spawn_pod(
                            name.clone(),
                            &job.namespace,
                            Owner::Job(job.name.clone()),
                            &job.template,
                        ) else {
                            break;
                        };
                        job.pods.push(uid);
                        self.event(
                            "Normal",
                            "SuccessfulCreate",
                            object.clone(),
                            format!("Created pod: {name}"),
                            None,
                        );
                        acted = true;
                    }
                }
            } else if missing < 0 {
                // Parallelism lowered: the newest pods go.
                for uid in active.iter().rev().take((-missing) as usize) {
                    self.delete_pod(*uid);
                    acted = true;
                }
            }
        }
        self.changed |= changed || acted;
        self.workloads.jobs.insert(key.clone(), job);
        acted || changed
    }

    /// `kubectl apply` of a CronJob.
    pub(crate) fn apply_cronjob(&mut self, key: Key, mut cj: CronJob) {
        if cj.schedule.is_none() {
            self.timeline.warnings.push(format!(
                "cronjob/{}: the schedule {:?} is not a valid cron expression",
                cj.name, cj.schedule_text
            ));
        }
        if let Some(old) = self.workloads.cronjobs.get(&key) {
            cj.last_schedule = old.last_schedule;
        }
        cj.next_at = cj
            .schedule
            .as_ref()
            .and_then(|s| s.next_after(self.now, self.until - self.now + 60_000));
        self.workloads.cronjobs.insert(key, cj);
        self.changed = true;
    }

    pub(crate) fn sync_cronjobs(&mut self) -> bool {
        let keys: Vec<Key> = self.workloads.cronjobs.keys().cloned().collect();
        let mut acted = false;
        for key in keys {
            acted |= self.sync_cronjob(&key);
        }
        acted
    }

    fn sync_cronjob(&mut self, key: &Key) -> bool {
        let Some(mut cj) = self.workloads.cronjobs.get(key).cloned() else {
            return false;
        };
        let now = self.now;
        let object = format!("cronjob/{}", cj.name);
        let mut acted = false;
        // Jobs of this CronJob, oldest first (names sort by scheduled minute).
        let owned: Vec<Key> = self
            .workloads
            .jobs
            .iter()
            .filter(|(_, j)| j.namespace == cj.namespace && j.owner.as_deref() == Some(&cj.name))
            .map(|(k, _)| k.clone())
            .collect();
        // SawCompletedJob, then the history limits.
        let mut finished: Vec<(Key, &'static str, Millis)> = Vec::new();
        for k in &owned {
            if let Some(j) = self.workloads.jobs.get(k)
                && let (Some(done), Some(at)) = (j.done(), j.finished)
            {
                finished.push((k.clone(), done, at));
                if at == now {
                    self.event(
                        "Normal",
                        "SawCompletedJob",
                        object.clone(),
                        format!("Saw completed job: {}, condition: {done}", k.1),
                        None,
                    );
                }
            }
        }
        for (kind, limit) in [
            ("Complete", cj.successful_history),
            ("Failed", cj.failed_history),
        ] {
            let of_kind: Vec<&(Key, &str, Millis)> =
                finished.iter().filter(|f| f.1 == kind).collect();
            let excess = of_kind.len().saturating_sub(limit as usize);
            for (k, _, _) in of_kind.into_iter().take(excess) {
                self.delete_job(k);
                self.event(
                    "Normal",
                    "SuccessfulDelete",
                    object.clone(),
                    format!("Deleted job {}", k.1),
                    None,
                );
                acted = true;
            }
        }
        if let (Some(at), Some(schedule)) = (cj.next_at, cj.schedule.clone())
            && at <= now
        {
            cj.next_at = schedule.next_after(now, self.until - now + 60_000);
            if let Some(next) = cj.next_at {
                self.wake_controllers(next);
            }
            let active: Vec<Key> = owned
                .iter()
                .filter(|k| {
                    self.workloads
                        .jobs
                        .get(k)
                        .is_some_and(|j| j.done().is_none())
                })
                .cloned()
                .collect();
            let run = if cj.suspend {
                false
            } else if cj.concurrency == "Forbid" && !active.is_empty() {
                self.event(
                    "Normal",
                    "JobAlreadyActive",
                    object.clone(),
                    "Not starting job because prior execution is running and concurrency policy is Forbid".into(),
                    None,
                );
                false
            } else {
                if cj.concurrency == "Replace" {
                    for k in &active {
                        self.delete_job(k);
                        self.event(
                            "Normal",
                            "SuccessfulDelete",
                            object.clone(),
                            format!("Deleted job {}", k.1),
                            None,
                        );
                    }
                }
                true
            };
            if run {
                let minutes = (EPOCH_UNIX * 1000 + at).div_euclid(60_000);
                let name = format!("{}-{minutes}", cj.name);
                let job_key = (cj.namespace.clone(), name.clone());
                self.apply_job(job_key, cj.job.clone(), Some(cj.name.clone()));
                cj.last_schedule = Some(at);
                self.event(
                    "Normal",
                    "SuccessfulCreate",
                    object.clone(),
                    format!("Created job {name}"),
                    None,
                );
            }
            acted = true;
        } else if let Some(at) = cj.next_at {
            self.wake_controllers(at);
        }
        self.workloads.cronjobs.insert(key.clone(), cj);
        self.changed |= acted;
        acted
    }

    /// Deletes a Job and (foreground-style) its pods.
    fn delete_job(&mut self, key: &Key) {
        if let Some(job) = self.workloads.jobs.remove(key) {
            for uid in job.pods {
                self.delete_pod(uid);
            }
            self.changed = true;
        }
    }

    pub(crate) fn job_views(&self) -> Vec<JobView> {
        self.workloads
            .jobs
            .values()
            .map(|j| JobView {
                name: j.name.clone(),
                namespace: j.namespace.clone(),
                completions: j.completions,
                parallelism: j.parallelism,
                active: j
                    .pods
                    .iter()
                    .filter_map(|u| self.pods.get(u))
                    .filter(|p| !p.terminating() && p.phase != "Succeeded" && p.phase != "Failed")
                    .count() as i64,
                succeeded: j.succeeded,
                failed: j.failed,
                conditions: j.conditions.clone(),
                owner: j.owner.as_ref().map(|o| format!("CronJob/{o}")),
            })
            .collect()
    }

    pub(crate) fn cronjob_views(&self) -> Vec<CronJobView> {
        self.workloads
            .cronjobs
            .values()
            .map(|c| CronJobView {
                name: c.name.clone(),
                namespace: c.namespace.clone(),
                schedule: c.schedule_text.clone(),
                active: self
                    .workloads
                    .jobs
                    .values()
                    .filter(|j| {
                        j.namespace == c.namespace
                            && j.owner.as_deref() == Some(&c.name)
                            && j.done().is_none()
                    })
                    .count() as i64,
                last_schedule_time: c.last_schedule.map(rfc3339),
            })
            .collect()
    }
}

/// Jobs, CronJobs, StatefulSets and DaemonSets the simulator runs.
#[derive(Clone, Debug, Default)]
pub struct Workloads {
    pub jobs: BTreeMap<Key, Job>,
    pub cronjobs: BTreeMap<Key, CronJob>,
    pub statefulsets: BTreeMap<Key, super::statefulset::StatefulSet>,
    pub daemonsets: BTreeMap<Key, super::daemonset::DaemonSet>,
    /// PersistentVolumeClaims made from StatefulSets' templates (`volumes`).
    pub claims: BTreeMap<Key, super::volumes::Claim>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i64, mo: i64, d: i64, h: i64, mi: i64) -> i64 {
        // Minutes since the epoch for a UTC date, via the inverse of civil_from_days.
        let mut days = 0;
        while civil_from_days(days).0 < y {
            days += 365;
        }
        while civil_from_days(days) > (y, mo, d) {
            days -= 1;
        }
        while civil_from_days(days) < (y, mo, d) {
            days += 1;
        }
        days * 1440 + h * 60 + mi
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(EPOCH_UNIX / 86_400), (2026, 1, 1));
        assert_eq!(rfc3339(0), "2026-01-01T00:00:00Z");
        assert_eq!(rfc3339(90_061_000), "2026-01-02T01:01:01Z");
    }

    #[test]
    fn schedules() {
        let s = Schedule::parse("*/15 * * * *").unwrap_or_else(|e| panic!("{e}"));
        assert!(s.matches(at(2026, 1, 1, 0, 0)));
        assert!(s.matches(at(2026, 1, 1, 0, 45)));
        assert!(!s.matches(at(2026, 1, 1, 0, 10)));
        // Lists, ranges, steps in ranges, names.
        let s = Schedule::parse("0,30 9-17/2 * JAN-MAR mon-fri").unwrap_or_else(|e| panic!("{e}"));
        // 2026-01-01 is a Thursday.
        assert!(s.matches(at(2026, 1, 1, 9, 30)));
        assert!(s.matches(at(2026, 1, 1, 11, 0)));
        assert!(!s.matches(at(2026, 1, 1, 10, 0)));
        assert!(!s.matches(at(2026, 1, 3, 9, 0))); // Saturday
        assert!(!s.matches(at(2026, 4, 1, 9, 0))); // April
        // Both day fields restricted: either matches (the 13th, or any Friday).
        let s = Schedule::parse("0 0 13 * 5").unwrap_or_else(|e| panic!("{e}"));
        assert!(s.matches(at(2026, 1, 2, 0, 0))); // Friday the 2nd
        assert!(s.matches(at(2026, 1, 13, 0, 0))); // Tuesday the 13th
        assert!(!s.matches(at(2026, 1, 14, 0, 0)));
        // 7 is Sunday; macros.
        assert_eq!(Schedule::parse("0 0 * * 7"), Schedule::parse("0 0 * * 0"));
        assert_eq!(Schedule::parse("@hourly"), Schedule::parse("0 * * * *"));
        assert_eq!(Schedule::parse("@daily"), Schedule::parse("0 0 * * *"));
        assert_eq!(Schedule::parse("@weekly"), Schedule::parse("0 0 * * 0"));
        assert_eq!(Schedule::parse("@monthly"), Schedule::parse("0 0 1 * *"));
        assert_eq!(Schedule::parse("@yearly"), Schedule::parse("0 0 1 1 *"));
        // Errors.
        assert!(Schedule::parse("* * * *").is_err());
        assert!(Schedule::parse("60 * * * *").is_err());
        assert!(Schedule::parse("*/0 * * * *").is_err());
        assert!(Schedule::parse("@fortnightly").is_err());
        // Next firing.
        let s = Schedule::parse("*/5 * * * *").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.next_after(0, 3_600_000), Some(300_000));
        assert_eq!(s.next_after(299_999, 3_600_000), Some(300_000));
        assert_eq!(s.next_after(300_000, 3_600_000), Some(600_000));
        let s = Schedule::parse("@yearly").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.next_after(0, 86_400_000), None);
    }
}
