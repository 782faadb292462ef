//! ## What it does
//! Checks a CronJob's `schedule` with the parser the API server uses (robfig/cron v3
//! `ParseStandard`: five fields, ranges, steps, names, `@hourly`-style descriptors and
//! `@every`), forbids `TZ=`/`CRON_TZ=` inside the schedule (`validateScheduleFormat`: use
//! `timeZone`), checks `timeZone`'s syntax and `Local` (`validateTimeZone`), and the
//! 52-character name limit (`ValidateCronJob`: Job names get an 11-character suffix).
//!
//! ## Why
//! The schedule is parsed once when the CronJob is created; a sixth field (seconds), a
//! day-of-week 7 (robfig counts 0–6) or `*/0` would leave the controller nothing to run.
//!
//! ## Example
//! ```yaml
//! schedule: "0 */5 * * * *"
//! ```
//! ## Fix
//! Five fields: minute hour day-of-month month day-of-week, e.g. `*/5 * * * *`.

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "cronjob-schedule",
    severity: Severity::Error,
    source: Source::Api,
    title: "CronJob schedule or time zone invalid",
    why: "The API server parses the schedule when the CronJob is created: five fields \
          (minute, hour, day of month, month, day of week), each a value, range, list or \
          step inside its bounds, or a descriptor such as `@hourly`. Time zones go in \
          `spec.timeZone`, not in the schedule.",
    fix: "Write five fields, e.g. `30 2 * * 1-5` (02:30 on weekdays), and set \
          `timeZone: Europe/Paris` instead of `CRON_TZ=`.",
    docs: "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in api::objects(ctx) {
        if kind != "CronJob" {
            continue;
        }
        if let Some(name) = object.name.as_deref()
            && name.len() > 52
            && let Some(n) = root.at("metadata.name")
        {
            let body = api::invalid(&api::q(name), "must be no more than 52 characters");
            out.push(
                api::error(ctx, &RULE, object, n.range, "metadata.name", &body)
                    .help("Each Job gets the CronJob's name plus an 11-character suffix, which must fit in 63: shorten the name to 52 characters."),
            );
        }
        let Some(spec) = root.get("spec") else {
            continue;
        };
        let time_zone = spec.get("timeZone").filter(|n| !n.is_null());
        if let Some(n) = spec.get("schedule")
            && let Some(schedule) = n.as_str()
        {
            if let Err(e) = parse_standard(schedule) {
                let body = api::invalid(&api::q(schedule), &e);
                out.push(api::error(
                    ctx,
                    &RULE,
                    object,
                    n.range,
                    "spec.schedule",
                    &body,
                ));
            }
            if schedule.contains("TZ") {
                let body = api::invalid(
                    &api::q(schedule),
                    "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
                );
                out.push(
                    api::error(ctx, &RULE, object, n.range, "spec.schedule", &body)
                        .help("Move the zone to `spec.timeZone` (e.g. `timeZone: Etc/UTC`) and keep five fields in `schedule`."),
                );
            }
        }
        if let Some(n) = time_zone
            && let Some(tz) = n.as_str()
        {
            let detail = time_zone_error(tz);
            if let Some(detail) = detail {
                let body = api::invalid(&api::q(tz), &detail);
                out.push(
                    api::error(ctx, &RULE, object, n.range, "spec.timeZone", &body)
                        .help("Use an IANA zone name such as `Europe/Paris`, `America/New_York` or `Etc/UTC`."),
                );
            }
        }
    }
}

/// `validateTimeZone` without the time zone database (`time.LoadLocation` is not run).
fn time_zone_error(tz: &str) -> Option<String> {
    if tz.is_empty() {
        return Some("timeZone must be nil or non-empty string".to_owned());
    }
    let valid_part = |p: &str| {
        p != "."
            && p != ".."
            && !p.starts_with('-')
            && !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-'))
    };
    if !tz.split('/').all(valid_part) {
        return Some(format!("unknown time zone {tz}"));
    }
    if tz.eq_ignore_ascii_case("local") {
        return Some(
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
                .to_owned(),
        );
    }
    None
}

struct Bounds {
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const MONTHS: &[&str] = &[
    "", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const FIELDS: [Bounds; 5] = [
    Bounds {
        min: 0,
        max: 59,
        names: &[],
    },
    Bounds {
        min: 0,
        max: 23,
        names: &[],
    },
    Bounds {
        min: 1,
        max: 31,
        names: &[],
    },
    Bounds {
        min: 1,
        max: 12,
        names: MONTHS,
    },
    Bounds {
        min: 0,
        max: 6,
        names: DAYS,
    },
];

/// robfig/cron v3 `ParseStandard`, returning its error text.
pub fn parse_standard(spec: &str) -> Result<(), String> {
    if spec.is_empty() {
        return Err("empty spec string".to_owned());
    }
    let mut spec = spec;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        // The zone itself is resolved by `time.LoadLocation`; kubeplay only strips it.
        spec = spec.find(' ').map_or("", |i| spec[i..].trim());
    }
    if let Some(d) = spec.strip_prefix('@') {
        return match d {
            "yearly" | "annually" | "monthly" | "weekly" | "daily" | "midnight" | "hourly" => {
                Ok(())
            }
            _ if d.starts_with("every ") => {
                let dur = &d["every ".len()..];
                if go_duration_ok(dur) {
                    Ok(())
                } else {
                    Err(format!(
                        "failed to parse duration @every {dur}: time: invalid duration {}",
                        api::q(dur)
                    ))
                }
            }
            _ => Err(format!("unrecognized descriptor: {spec}")),
        };
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    for (field, bounds) in fields.iter().zip(FIELDS.iter()) {
        for expr in field.split(',') {
            range(expr, bounds)?;
        }
    }
    Ok(())
}

fn go_duration_ok(s: &str) -> bool {
    let mut rest = s;
    if rest.is_empty() {
        return false;
    }
    if rest == "0" {
        return true;
    }
    while !rest.is_empty() {
        let digits = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ns", "us", "µs", "ms", "s", "m", "h"]
            .iter()
            .find(|u| rest.starts_with(**u) && !(**u == "m" && rest.starts_with("ms")));
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    true
}

fn int_or_name(expr: &str, b: &Bounds) -> Result<u32, String> {
    let lower = expr.to_ascii_lowercase();
    if let Some(i) = b.names.iter().position(|n| !n.is_empty() && *n == lower) {
        return Ok(u32::try_from(i).unwrap_or(0));
    }
    must_int(expr)
}

fn must_int(expr: &str) -> Result<u32, String> {
    let digits = expr.strip_prefix(['+', '-']).unwrap_or(expr);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing {}: invalid syntax",
            api::q(expr)
        ));
    }
    let n: i64 = expr.parse().map_err(|_| {
        format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing {}: value out of range",
            api::q(expr)
        )
    })?;
    if n < 0 {
        return Err(format!("negative number ({n}) not allowed: {expr}"));
    }
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// robfig/cron `getRange`.
fn range(expr: &str, b: &Bounds) -> Result<(), String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let (start, mut end);
    if low_and_high[0] == "*" || low_and_high[0] == "?" {
        start = b.min;
        end = b.max;
    } else {
        start = int_or_name(low_and_high[0], b)?;
        end = match low_and_high.len() {
            1 => start,
            2 => int_or_name(low_and_high[1], b)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let s = must_int(range_and_step[1])?;
            if single {
                end = b.max;
            }
            s
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < b.min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            b.min
        ));
    }
    if end > b.max {
        return Err(format!(
            "end of range ({end}) above maximum ({}): {expr}",
            b.max
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_standard;
    use crate::testing::lines_of;

    // robfig/cron parser_test.go TestParseScheduleErrors and TestStandardSpecSchedule.
    #[test]
    fn parser_agrees_with_robfig() {
        for good in [
            "* * * * *",
            "*/5 * * * *",
            "0 0 1 1 *",
            "5 4 * * sun",
            "0 22 * * 1-5",
            "0 0,12 1 */2 *",
            "@hourly",
            "@every 1h30m",
            "CRON_TZ=UTC 0 6 * * ?",
            "0 9-17/2 * JAN-MAR mon-fri",
        ] {
            assert_eq!(parse_standard(good), Ok(()), "{good}");
        }
        assert_eq!(
            parse_standard("* * * * * *").unwrap_err(),
            "expected exactly 5 fields, found 6: [* * * * * *]"
        );
        assert_eq!(
            parse_standard("0 0 * * 7").unwrap_err(),
            "end of range (7) above maximum (6): 7"
        );
        assert_eq!(
            parse_standard("60 * * * *").unwrap_err(),
            "end of range (60) above maximum (59): 60"
        );
        assert_eq!(
            parse_standard("*/0 * * * *").unwrap_err(),
            "step of range should be a positive number: */0"
        );
        assert_eq!(
            parse_standard("@fortnightly").unwrap_err(),
            "unrecognized descriptor: @fortnightly"
        );
        assert!(
            parse_standard("a * * * *")
                .unwrap_err()
                .starts_with("failed to parse int from a")
        );
        assert!(
            parse_standard("0 0 0 * *")
                .unwrap_err()
                .starts_with("beginning of range (0) below minimum (1)")
        );
    }

    #[test]
    fn bad_tz_in_schedule() {
        let text = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: hello\nspec:\n  schedule: \"CRON_TZ=Europe/Paris 0 6 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - name: hello\n              image: busybox:1.36\n";
        assert_eq!(lines_of(text, "cronjob-schedule"), vec![6]);
    }
}
