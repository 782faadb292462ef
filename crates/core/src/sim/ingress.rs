//! Ingress routing as an Ingress controller does it, then the Service and one of its ready
//! endpoints.
//!
//! Semantics (`k8s.io/api` `networking/v1/types.go` `PathType`, and the website's
//! `content/en/docs/concepts/services-networking/ingress.md`: "Path types", the "Examples"
//! table, "Multiple matches", "Hostname wildcards", "Default backend"):
//! - `Exact` matches the path exactly, case-sensitively; `Prefix` matches element by element
//!   after splitting on `/` and ignoring empty elements (`/aaa/bbb` matches `/aaa/bbb/ccc`
//!   but not `/aaa/bbbxyz`); `ImplementationSpecific` is treated as `Prefix` here (the
//!   playground's controller chooses so).
//! - The longest matching path wins; on equal length `Exact` beats `Prefix`. YAML order
//!   does not matter.
//! - Hosts: an exact host equals the request's host; `*.foo.com` matches exactly one more
//!   DNS label; a rule without host matches every host. Like ingress-nginx's virtual servers,
//!   an exact host is preferred over a wildcard, and a wildcard over host-less rules; a
//!   request whose host selected rules does not fall back to less specific ones.
//! - Nothing matches: `spec.defaultBackend`, else 404.
//! - A Service with no ready endpoint answers 503 (ingress-nginx's answer), and so does a
//!   missing Service or Service port.
//! - Endpoints are chosen round-robin, deterministically, per Service.
//! - The controller is a pod in namespace `ingress-nginx`: a NetworkPolicy isolating the
//!   endpoints for ingress must allow it, else the connection times out and the next
//!   endpoint is tried (ingress-nginx's `proxy_next_upstream`); none reachable → 504.

use super::engine::Sim;
use super::netpol::controller_may_reach;
use super::network::{NetPod, NetService, Network};
use super::timeline::{MatchedRule, RequestResult};
use crate::yaml::Node;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathType {
    Exact,
    Prefix,
    ImplementationSpecific,
}

/// A Service port named in a backend: `port.number` or `port.name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortRef {
    Number(i64),
    Name(String),
}

impl std::fmt::Display for PortRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Number(n) => write!(f, "{n}"),
            Self::Name(n) => write!(f, "{n}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backend {
    pub service: String,
    pub port: Option<PortRef>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngressPath {
    pub path: String,
    pub path_type: PathType,
    pub backend: Option<Backend>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngressRule {
    pub host: Option<String>,
    pub paths: Vec<IngressPath>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ingress {
    pub name: String,
    pub namespace: String,
    pub default_backend: Option<Backend>,
    pub rules: Vec<IngressRule>,
    /// `spec.tls`: the hosts each certificate Secret is for (see `tls`).
    pub tls: Vec<IngressTls>,
}

/// One entry of `spec.tls`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngressTls {
    pub hosts: Vec<String>,
    pub secret: Option<String>,
}

fn backend(node: Option<&Node>) -> Option<Backend> {
    let svc = node?.get("service")?;
    let port = svc.get("port").and_then(|p| {
        p.get("number")
            .and_then(Node::as_i64)
            .map(PortRef::Number)
            .or_else(|| {
                p.get("name")
                    .and_then(Node::as_str)
                    .map(|s| PortRef::Name(s.to_owned()))
            })
    });
    Some(Backend {
        service: svc.get("name").and_then(Node::as_str)?.to_owned(),
        port,
    })
}

#[must_use]
pub fn parse_ingress(namespace: &str, name: &str, root: &Node) -> Ingress {
    let spec = root.get("spec");
    let rules = spec
        .and_then(|s| s.get("rules"))
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .map(|r| IngressRule {
            host: r
                .get("host")
                .and_then(Node::as_str)
                .filter(|h| !h.is_empty())
                .map(str::to_ascii_lowercase),
            paths: r
                .at("http.paths")
                .and_then(Node::as_sequence)
                .unwrap_or_default()
                .iter()
                .map(|p| IngressPath {
                    path: p
                        .get("path")
                        .and_then(Node::as_str)
                        .unwrap_or("/")
                        .to_owned(),
                    path_type: match p.get("pathType").and_then(Node::as_str) {
                        Some("Exact") => PathType::Exact,
                        Some("Prefix") => PathType::Prefix,
                        _ => PathType::ImplementationSpecific,
                    },
                    backend: backend(p.get("backend")),
                })
                .collect(),
        })
        .collect();
    let tls = spec
        .and_then(|s| s.get("tls"))
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .map(|t| IngressTls {
            hosts: t
                .get("hosts")
                .and_then(Node::as_sequence)
                .unwrap_or_default()
                .iter()
                .filter_map(|h| h.as_str().map(str::to_ascii_lowercase))
                .collect(),
            secret: t
                .get("secretName")
                .and_then(Node::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        })
        .collect();
    Ingress {
        name: name.to_owned(),
        namespace: namespace.to_owned(),
        default_backend: backend(spec.and_then(|s| s.get("defaultBackend"))),
        rules,
        tls,
    }
}

/// Whether `path` (of type `path_type`) matches the request path.
#[must_use]
pub fn path_matches(path_type: &PathType, path: &str, request: &str) -> bool {
    match path_type {
        PathType::Exact => path == request,
        PathType::Prefix | PathType::ImplementationSpecific => {
            let mut req = request.split('/').filter(|e| !e.is_empty());
            path.split('/')
                .filter(|e| !e.is_empty())
                .all(|e| req.next() == Some(e))
        }
    }
}

/// How specifically a rule's host matches the request's host: 2 exact, 1 wildcard, 0 no
/// host on the rule; `None` when it does not match.
#[must_use]
pub fn host_match(rule: Option<&str>, request: Option<&str>) -> Option<u8> {
    let Some(rule) = rule else {
        return Some(0);
    };
    let request = request?;
    if rule == request {
        return Some(2);
    }
    let suffix = rule.strip_prefix("*.")?;
    let (label, rest) = request.split_once('.')?;
    (!label.is_empty() && rest == suffix).then_some(1)
}

/// Which Ingress path a request selects, before the Service is looked at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteMatch<'a> {
    pub ingress: &'a Ingress,
    /// The matched rule's host (`None`: a rule without host, or the default backend).
    pub host: Option<&'a str>,
    /// `None` for the default backend.
    pub path: Option<&'a IngressPath>,
    pub backend: Option<&'a Backend>,
}

/// Picks the Ingress path for a request over every Ingress (in namespace/name order, which
/// only breaks exact ties).
#[must_use]
pub fn select<'a>(
    ingresses: impl Iterator<Item = &'a Ingress> + Clone,
    host: Option<&str>,
    path: &str,
) -> Option<RouteMatch<'a>> {
    let host = host.map(|h| {
        h.rsplit_once(':')
            .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
            .map_or(h, |(h, _)| h)
            .to_ascii_lowercase()
    });
    let host = host.as_deref();
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let best_host = ingresses
        .clone()
        .flat_map(|i| i.rules.iter())
        .filter_map(|r| host_match(r.host.as_deref(), host))
        .max();
    let mut best: Option<(usize, bool, RouteMatch<'a>)> = None;
    let mut host_ingress = None;
    if let Some(level) = best_host {
        for ing in ingresses.clone() {
            for rule in &ing.rules {
                if host_match(rule.host.as_deref(), host) != Some(level) {
                    continue;
                }
                host_ingress.get_or_insert(ing);
                for p in &rule.paths {
                    if !path_matches(&p.path_type, &p.path, path) {
                        continue;
                    }
                    let rank = (p.path.len(), p.path_type == PathType::Exact);
                    if best.as_ref().is_none_or(|(l, e, _)| rank > (*l, *e)) {
                        best = Some((
                            rank.0,
                            rank.1,
                            RouteMatch {
                                ingress: ing,
                                host: rule.host.as_deref(),
                                path: Some(p),
                                backend: p.backend.as_ref(),
                            },
                        ));
                    }
                }
            }
        }
    }
    if let Some((_, _, m)) = best {
        return Some(m);
    }
    // The default backend: the matched host's Ingress first, else any Ingress's.
    let with_default = host_ingress
        .filter(|i| i.default_backend.is_some())
        .or_else(|| ingresses.clone().find(|i| i.default_backend.is_some()))?;
    Some(RouteMatch {
        ingress: with_default,
        host: None,
        path: None,
        backend: with_default.default_backend.as_ref(),
    })
}

impl PathType {
    /// As written in the manifest.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Exact => "Exact",
            Self::Prefix => "Prefix",
            Self::ImplementationSpecific => "ImplementationSpecific",
        }
    }
}

/// Routes a request through the Ingress controller as the cluster `net` is, without moving
/// the round-robin: what the request tester shows, and what a `request` step records.
#[must_use]
pub fn route(net: &impl Network, t: f64, host: Option<&str>, path: &str) -> RequestResult {
    let request = match host {
        Some(h) => format!("{h}{path}"),
        None => path.to_owned(),
    };
    let mut result = RequestResult::sent(t, request, 404);
    let Some(m) = select(net.ingresses(), host, path) else {
        result.reason = if net.ingresses().next().is_none() {
            "no Ingress exists, so the Ingress controller answers 404".into()
        } else {
            format!(
                "no Ingress rule matches host {} and path {path}, and no Ingress has a defaultBackend",
                host.unwrap_or("(none)")
            )
        };
        return result;
    };
    result.ingress = Some(m.ingress.name.clone());
    result.rule = Some(MatchedRule {
        host: m.host.map(str::to_owned),
        path: m.path.map(|p| (p.path.clone(), p.path_type.as_str())),
    });
    let how = match m.path {
        Some(p) => format!("path {} ({})", p.path, p.path_type.as_str()),
        None => "the defaultBackend".into(),
    };
    let Some(backend) = m.backend else {
        result.status = 503;
        result.reason = format!("ingress/{} {how} has no Service backend", m.ingress.name);
        return result;
    };
    result.service = Some(backend.service.clone());
    let Some(svc) = net.service(&m.ingress.namespace, &backend.service) else {
        result.status = 503;
        result.reason = format!(
            "ingress/{} {how} sends to service/{} in namespace {}, which does not exist",
            m.ingress.name, backend.service, m.ingress.namespace
        );
        return result;
    };
    to_service(
        net,
        &svc,
        backend.port.as_ref(),
        &format!("ingress/{} {how}", m.ingress.name),
        result,
        true,
    )
}

/// From a Service port to one of its ready endpoints. From the Ingress controller
/// (`from_controller`), the next endpoint is tried when a NetworkPolicy drops the
/// connection.
pub(crate) fn to_service(
    net: &impl Network,
    svc: &NetService<'_>,
    port: Option<&PortRef>,
    via: &str,
    mut result: RequestResult,
    from_controller: bool,
) -> RequestResult {
    let sp = svc.ports.iter().find(|p| match port {
        Some(PortRef::Number(n)) => p.port == *n,
        Some(PortRef::Name(n)) => p.name.as_deref() == Some(n.as_str()),
        None => true,
    });
    let Some(sp) = sp else {
        result.status = 503;
        result.reason = format!(
            "service/{} has no port {}",
            svc.name,
            port.map_or_else(|| "at all".to_owned(), ToString::to_string)
        );
        return result;
    };
    // A named targetPort resolves per pod (by container port name): pods without the
    // name are not endpoints of this port (`FindPort`).
    let candidates: Vec<(NetPod<'_>, i64)> = svc
        .endpoints
        .iter()
        .filter_map(|name| {
            let pod = net.pod(svc.namespace, name)?;
            let target = match sp.target.parse::<i64>() {
                Ok(n) => n,
                Err(_) => pod.named_port(&sp.target)?,
            };
            Some((pod, target))
        })
        .collect();
    if candidates.is_empty() {
        result.status = 503;
        result.reason = if svc.selector.is_none() {
            format!("service/{} has no selector, so no endpoints", svc.name)
        } else if svc.endpoints.is_empty() {
            format!(
                "service/{} has no ready endpoints (no Ready pod matches its selector)",
                svc.name
            )
        } else {
            format!(
                "service/{} targetPort {} names no container port of its ready pods",
                svc.name, sp.target
            )
        };
        return result;
    }
    let turn = net.turn(svc.namespace, svc.name);
    // A NetworkPolicy may drop the controller's connection: like ingress-nginx
    // (`proxy_next_upstream error timeout`), the next endpoint is tried; when every one
    // times out, the answer is 504.
    let mut blocked = None;
    let isolated = from_controller && net.policies().next().is_some();
    for k in 0..candidates.len() {
        let i = (turn + k) % candidates.len();
        let (pod, target) = candidates[i];
        if isolated && let Err(why) = controller_may_reach(net, &pod, target) {
            blocked.get_or_insert(why);
            continue;
        }
        result.status = 200;
        result.pod = Some(pod.name.to_owned());
        result.service = Some(svc.name.to_owned());
        result.reason = format!(
            "{via} → service/{}:{} → pod/{}:{target} ({} of {} ready endpoints, round-robin)",
            svc.name,
            sp.port,
            pod.name,
            i + 1,
            candidates.len()
        );
        return result;
    }
    result.status = 504;
    result.reason = format!(
        "the Ingress controller cannot connect to any endpoint of service/{}: {}",
        svc.name,
        blocked.unwrap_or_default()
    );
    result
}

impl Sim {
    /// Routes a request as the cluster is now, without recording it or moving the
    /// round-robin: what the request tester shows.
    #[must_use]
    pub fn route(&self, host: Option<&str>, path: &str) -> RequestResult {
        route(self, self.seconds(), host, path)
    }

    /// A `request` step: routes, records the result and moves the Service's round-robin on.
    /// Over https the controller presents a certificate (`tls`); over http a host with a
    /// certificate is redirected to https.
    pub(crate) fn request(&mut self, host: Option<&str>, path: &str, https: bool) {
        let result = super::tls::request(self, self.seconds(), host, path, https);
        if result.status == 200
            && let Some(m) = select(self.objects.ingresses.values(), host, path)
            && let Some(b) = m.backend
        {
            let key = (m.ingress.namespace.clone(), b.service.clone());
            self.turn_round_robin(key);
        }
        self.record_request(result);
    }

    /// Moves a Service's round-robin to its next endpoint.
    pub(crate) fn turn_round_robin(&mut self, key: super::engine::Key) {
        *self.objects.round_robin.entry(key).or_insert(0) += 1;
        self.network_changed();
    }

    pub(crate) fn record_request(&mut self, result: RequestResult) {
        if self.timeline.requests.len() < super::engine::MAX_EVENTS {
            self.timeline.requests.push(result);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The "Examples" table of the Kubernetes docs
    /// (website `content/en/docs/concepts/services-networking/ingress.md`, "Examples"):
    /// kind, rule paths, request path, the rule path that wins (None: no match).
    #[test]
    fn docs_examples_table() {
        use PathType::{Exact, Prefix};
        type Case<'a> = (&'a [(PathType, &'a str)], &'a str, Option<&'a str>);
        let cases: &[Case<'_>] = &[
            (&[(Prefix, "/")], "/anything/at/all", Some("/")),
            (&[(Exact, "/foo")], "/foo", Some("/foo")),
            (&[(Exact, "/foo")], "/bar", None),
            (&[(Exact, "/foo")], "/foo/", None),
            (&[(Exact, "/foo/")], "/foo", None),
            (&[(Prefix, "/foo")], "/foo", Some("/foo")),
            (&[(Prefix, "/foo")], "/foo/", Some("/foo")),
            (&[(Prefix, "/foo/")], "/foo", Some("/foo/")),
            (&[(Prefix, "/foo/")], "/foo/", Some("/foo/")),
            (&[(Prefix, "/aaa/bb")], "/aaa/bbb", None),
            (&[(Prefix, "/aaa/bbb")], "/aaa/bbb", Some("/aaa/bbb")),
            (&[(Prefix, "/aaa/bbb/")], "/aaa/bbb", Some("/aaa/bbb/")),
            (&[(Prefix, "/aaa/bbb")], "/aaa/bbb/", Some("/aaa/bbb")),
            (&[(Prefix, "/aaa/bbb")], "/aaa/bbb/ccc", Some("/aaa/bbb")),
            (&[(Prefix, "/aaa/bbb")], "/aaa/bbbxyz", None),
            (&[(Prefix, "/"), (Prefix, "/aaa")], "/aaa/ccc", Some("/aaa")),
            (
                &[(Prefix, "/"), (Prefix, "/aaa"), (Prefix, "/aaa/bbb")],
                "/aaa/bbb",
                Some("/aaa/bbb"),
            ),
            (
                &[(Prefix, "/"), (Prefix, "/aaa"), (Prefix, "/aaa/bbb")],
                "/ccc",
                Some("/"),
            ),
            (&[(Prefix, "/aaa")], "/ccc", None),
        ];
        for (paths, request, want) in cases {
            let ing = Ingress {
                name: "i".into(),
                namespace: "default".into(),
                default_backend: None,
                tls: Vec::new(),
                rules: vec![IngressRule {
                    host: None,
                    paths: paths
                        .iter()
                        .map(|(t, p)| IngressPath {
                            path: (*p).to_owned(),
                            path_type: t.clone(),
                            backend: None,
                        })
                        .collect(),
                }],
            };
            let got = select([&ing].into_iter(), None, request)
                .and_then(|m| m.path)
                .map(|p| p.path.as_str());
            assert_eq!(got, *want, "{paths:?} {request}");
        }
        // Mixed: `/foo` Prefix and `/foo` Exact, request `/foo`: Exact wins, in either order.
        for order in [[Prefix, Exact], [Exact, Prefix]] {
            let ing = Ingress {
                name: "i".into(),
                namespace: "default".into(),
                default_backend: None,
                tls: Vec::new(),
                rules: vec![IngressRule {
                    host: None,
                    paths: order
                        .iter()
                        .map(|t| IngressPath {
                            path: "/foo".into(),
                            path_type: t.clone(),
                            backend: None,
                        })
                        .collect(),
                }],
            };
            let m = select([&ing].into_iter(), None, "/foo").unwrap();
            assert_eq!(m.path.unwrap().path_type, Exact);
        }
    }

    /// "Hostname wildcards" in the same page: `*.foo.com` matches `bar.foo.com`, not
    /// `baz.bar.foo.com` nor `foo.com`.
    #[test]
    fn hostname_wildcards() {
        assert_eq!(host_match(Some("*.foo.com"), Some("bar.foo.com")), Some(1));
        assert_eq!(host_match(Some("*.foo.com"), Some("baz.bar.foo.com")), None);
        assert_eq!(host_match(Some("*.foo.com"), Some("foo.com")), None);
        assert_eq!(
            host_match(Some("foo.bar.com"), Some("foo.bar.com")),
            Some(2)
        );
        assert_eq!(host_match(Some("foo.bar.com"), Some("bar.foo.com")), None);
        assert_eq!(host_match(None, Some("anything.example")), Some(0));
        assert_eq!(host_match(Some("foo.bar.com"), None), None);
    }
}
