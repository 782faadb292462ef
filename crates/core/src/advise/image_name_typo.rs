//! ## What it does
//! Flags a Docker Hub image whose name is one or two typing mistakes away from a well-known
//! official image: `ngnix`, `nignx`, `reddis`, `postgress`.
//!
//! ## Why
//! Docker Hub has no official image by that name, so the pull fails: the container shows
//! `ErrImagePull`, then `ImagePullBackOff`, and retries with growing delays forever.
//!
//! ## Example
//! ```yaml
//! image: ngnix:1.27
//! ```
//! ## Fix
//! ```yaml
//! image: nginx:1.27
//! ```

use super::container_util::{image_ref, images, name_of, range_in};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "image-name-typo",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Image name looks like a misspelt official image",
    why: "An image name without a registry comes from Docker Hub, where single names are the \
          official images. A misspelt name does not exist there, so the kubelet's pull fails \
          with `ErrImagePull`; it then retries with growing delays and the pod sits in \
          `ImagePullBackOff`, never starting.",
    fix: "Correct the repository name (for example `nginx:1.27` instead of `ngnix:1.27`).",
    docs: "https://kubernetes.io/docs/concepts/containers/images/#image-names",
};

pub static CHECK: Check = Check { rule: &RULE, run };

/// Images learners use most, checked for near misses.
const WELL_KNOWN: &[&str] = &[
    "nginx",
    "redis",
    "postgres",
    "mysql",
    "mongo",
    "busybox",
    "alpine",
    "ubuntu",
    "debian",
    "node",
    "python",
    "httpd",
    "memcached",
    "rabbitmq",
    "traefik",
    "golang",
    "openjdk",
    "eclipse-temurin",
    "mariadb",
    "haproxy",
    "elasticsearch",
    "wordpress",
    "tomcat",
    "grafana/grafana",
    "prom/prometheus",
];

/// Other official images whose names are close to the well-known ones: never flagged.
const ALSO_REAL: &[&str] = &[
    "nats",
    "ruby",
    "rust",
    "perl",
    "php",
    "caddy",
    "kong",
    "mono",
    "nats-streaming",
    "redmine",
    "rakudo-star",
    "python2",
    "pypy",
    "mongo-express",
    "postgis",
    "percona",
    "ubuntu-debootstrap",
    "amazoncorretto",
    "amazonlinux",
    "fedora",
    "centos",
    "photon",
    "oraclelinux",
    "clojure",
    "gradle",
    "maven",
    "jetty",
    "tomee",
    "vault",
    "consul",
    "registry",
    "docker",
    "bash",
    "gcc",
    "julia",
    "swift",
    "dart",
    "erlang",
    "elixir",
    "haskell",
    "groovy",
    "kibana",
    "logstash",
    "neo4j",
    "couchdb",
    "cassandra",
    "solr",
    "ghost",
    "drupal",
    "joomla",
    "odoo",
    "influxdb",
    "telegraf",
    "nextcloud",
    "sonarqube",
    "zookeeper",
    "varnish",
    "adminer",
    "phpmyadmin",
    "hello-world",
    "archlinux",
    "rockylinux",
    "almalinux",
    "alpinelinux",
    "node-red",
];

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring letters each count one (`ngnix` is one swap from `nginx`).
fn osa_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// The well-known image `name` probably meant, if it is a near miss on Docker Hub.
pub fn meant(name: &str) -> Option<&'static str> {
    // Only Docker Hub: no registry host before the first `/`.
    let (host, _) = name.split_once('/').unwrap_or(("", name));
    if host.contains(['.', ':']) || host == "localhost" {
        return None;
    }
    let short = name.strip_prefix("docker.io/").unwrap_or(name);
    let short = short.strip_prefix("library/").unwrap_or(short);
    let lower = short.to_ascii_lowercase();
    if WELL_KNOWN.contains(&lower.as_str()) || ALSO_REAL.contains(&lower.as_str()) {
        return None;
    }
    // Short names tolerate one mistake, longer ones two.
    let allowed = if lower.chars().count() <= 5 { 1 } else { 2 };
    WELL_KNOWN
        .iter()
        .map(|k| (osa_distance(&lower, k), *k))
        .filter(|(d, k)| *d >= 1 && *d <= allowed && k.contains('/') == lower.contains('/'))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        for (c, node, image) in images(p.spec, p.path) {
            let r = image_ref(image);
            let Some(right) = meant(r.name) else {
                continue;
            };
            let fixed = format!("{right}{}", &image[r.name.len()..]);
            let mut d = ctx
                .diag(
                    &RULE,
                    p.object,
                    node.range,
                    format!(
                        "container \"{}\": image \"{}\" does not exist on Docker Hub; did you mean \"{right}\"?",
                        name_of(&c),
                        r.name
                    ),
                )
                .field(format!("{}.image", c.path));
            if let Some(range) = range_in(ctx.text, node, image) {
                d = d.edit(Edit {
                    start: range.start,
                    end: range.end,
                    insert: fixed,
                    title: format!("Change to {right}"),
                });
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::meant;
    use crate::testing::{diagnostics_of, lines_of};

    #[test]
    fn near_misses() {
        assert_eq!(meant("ngnix"), Some("nginx"));
        assert_eq!(meant("nignx"), Some("nginx"));
        assert_eq!(meant("reddis"), Some("redis"));
        assert_eq!(meant("postgress"), Some("postgres"));
        assert_eq!(meant("library/ngnix"), Some("nginx"));
        assert_eq!(meant("pyhton"), Some("python"));
        assert_eq!(meant("busybx"), Some("busybox"));
        assert_eq!(meant("nginx"), None);
        assert_eq!(meant("nats"), None);
        assert_eq!(meant("ruby"), None);
        assert_eq!(meant("bitnami/redis"), None);
        assert_eq!(meant("registry.example.com/ngnix"), None);
        assert_eq!(meant("my-api"), None);
        assert_eq!(meant("mysql"), None);
    }

    #[test]
    fn bad_ngnix_with_edit() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: \"ngnix:1.27\"\n";
        assert_eq!(lines_of(text, "image-name-typo"), vec![8]);
        let d = diagnostics_of(text);
        let e = d
            .iter()
            .find(|d| d.code == "image-name-typo")
            .and_then(|d| d.edit.clone())
            .unwrap();
        assert_eq!(
            (&text[e.start..e.end], e.insert.as_str()),
            ("ngnix:1.27", "nginx:1.27")
        );
    }

    #[test]
    fn good_real_images() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: a\n      image: nginx:1.27\n    - name: b\n      image: redis:7.4\n    - name: c\n      image: ghcr.io/example/ngnix-proxy:1.0\n    - name: d\n      image: eclipse-temurin:21-jre\n";
        assert!(lines_of(text, "image-name-typo").is_empty());
    }
}
