//! How the simulated application behaves, declared per pod template with annotations under
//! `sim.kubeplay.dev/` (documented with their defaults in docs/simulation.md). Times count
//! from each container start, so they apply afresh after every restart.

use std::collections::BTreeMap;

use crate::model::Quantity;

pub const PREFIX: &str = "sim.kubeplay.dev/";

/// Milliseconds, the simulator's time unit.
pub type Millis = i64;

#[derive(Clone, Debug, PartialEq)]
pub struct AppBehaviour {
    /// Image pull time, paid on a node's first pull of an image (and on every start with
    /// `imagePullPolicy: Always`).
    pub pull: Millis,
    /// From container start until the app serves.
    pub start: Millis,
    /// The process exits this long after start (never if `None`).
    pub crash_after: Option<Millis>,
    pub exit_code: i32,
    /// Liveness starts failing this long after start.
    pub unhealthy_after: Option<Millis>,
    /// Readiness starts failing this long after start.
    pub unready_after: Option<Millis>,
    /// How long a probe takes to answer.
    pub probe: Millis,
    /// Memory in use at start, in bytes (`None`: what the container requests).
    pub memory: Option<i64>,
    /// Memory added per minute, in bytes (a leak).
    pub memory_growth: i64,
    /// CPU in use per pod, in millicores (`None`: what it requests); `load` steps override it.
    pub cpu_milli: Option<i64>,
    /// Time the app needs after SIGTERM before it exits.
    pub shutdown: Millis,
    /// The image does not exist: ErrImagePull, then ImagePullBackOff.
    pub image_missing: bool,
}

impl Default for AppBehaviour {
    fn default() -> Self {
        Self {
            pull: 2_000,
            start: 2_000,
            crash_after: None,
            exit_code: 1,
            unhealthy_after: None,
            unready_after: None,
            probe: 0,
            memory: None,
            memory_growth: 0,
            cpu_milli: None,
            shutdown: 0,
            image_missing: false,
        }
    }
}

fn seconds(v: &str) -> Option<Millis> {
    let f: f64 = v.trim().trim_end_matches('s').parse().ok()?;
    (f.is_finite() && f >= 0.0).then(|| (f * 1000.0).round().min(1e15) as Millis)
}

fn bytes(v: &str) -> Option<i64> {
    Quantity::parse(v.trim())
        .ok()
        .map(|q| i64::try_from(q.units()).unwrap_or(i64::MAX))
}

impl AppBehaviour {
    #[must_use]
    pub fn from_annotations(annotations: &BTreeMap<String, String>) -> Self {
        let mut app = Self::default();
        for (key, value) in annotations {
            let Some(name) = key.strip_prefix(PREFIX) else {
                continue;
            };
            match name {
                "pull-seconds" => app.pull = seconds(value).unwrap_or(app.pull),
                "start-seconds" => app.start = seconds(value).unwrap_or(app.start),
                "crash-after-seconds" => app.crash_after = seconds(value),
                "exit-code" => app.exit_code = value.trim().parse().unwrap_or(app.exit_code),
                "unhealthy-after-seconds" => app.unhealthy_after = seconds(value),
                "unready-after-seconds" => app.unready_after = seconds(value),
                "probe-seconds" => app.probe = seconds(value).unwrap_or(app.probe),
                "memory" => app.memory = bytes(value),
                "memory-growth" => app.memory_growth = bytes(value).unwrap_or(0),
                "cpu" => {
                    app.cpu_milli = Quantity::parse(value.trim())
                        .ok()
                        .map(|q| i64::try_from(q.millis()).unwrap_or(i64::MAX));
                }
                "shutdown-seconds" => app.shutdown = seconds(value).unwrap_or(app.shutdown),
                "image-pull" => app.image_missing = value.trim() == "fail",
                _ => {}
            }
        }
        app
    }
}

/// Well-known images whose near-misses do not exist on the registry (`ngnix`).
const KNOWN: &[&str] = &[
    "nginx",
    "redis",
    "postgres",
    "mysql",
    "mongo",
    "busybox",
    "alpine",
    "ubuntu",
    "node",
    "python",
    "httpd",
    "memcached",
    "rabbitmq",
    "traefik",
    "golang",
    "debian",
];

/// Whether pulling `image` fails because its name is a near-miss of a well-known image.
#[must_use]
pub fn is_typo_image(image: &str) -> bool {
    let repo = image.split(['@', ':']).next().unwrap_or(image);
    if repo.contains('/') && !repo.starts_with("library/") && !repo.starts_with("docker.io/") {
        return false;
    }
    let name = repo.rsplit('/').next().unwrap_or(repo);
    !KNOWN.contains(&name)
        && KNOWN.iter().any(|k| {
            let d = crate::suggest::edit_distance(name, k);
            d > 0 && d <= 2 && k.len() >= 4
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_annotations_with_defaults() {
        let mut a = BTreeMap::new();
        a.insert("sim.kubeplay.dev/start-seconds".to_owned(), "30".to_owned());
        a.insert("sim.kubeplay.dev/memory".to_owned(), "300Mi".to_owned());
        a.insert(
            "sim.kubeplay.dev/crash-after-seconds".to_owned(),
            "0".to_owned(),
        );
        a.insert("other/annotation".to_owned(), "x".to_owned());
        let app = AppBehaviour::from_annotations(&a);
        assert_eq!(app.start, 30_000);
        assert_eq!(app.memory, Some(300 * 1024 * 1024));
        assert_eq!(app.crash_after, Some(0));
        assert_eq!(app.pull, 2_000);
    }

    #[test]
    fn typo_images() {
        assert!(is_typo_image("ngnix:1.27"));
        assert!(is_typo_image("reddis"));
        assert!(!is_typo_image("nginx:1.27"));
        assert!(!is_typo_image("registry.example.com/team/ngnix:1.0"));
    }
}
