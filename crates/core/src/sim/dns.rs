//! Cluster DNS as a pod sees it (the DNS for Services and Pods docs, and CoreDNS's
//! `kubernetes` plugin): a Service is `<service>.<namespace>.svc.cluster.local`; a pod with
//! a hostname and a subdomain that names a headless Service of its namespace is
//! `<hostname>.<subdomain>.<namespace>.svc.cluster.local` while it is one of that Service's
//! ready endpoints (any selected pod with `publishNotReadyAddresses`).
//!
//! A pod's `/etc/resolv.conf` (kubelet, `dnsPolicy: ClusterFirst`) searches
//! `<namespace>.svc.cluster.local svc.cluster.local cluster.local` with `ndots:5`: a name
//! with fewer than five dots is tried with each search domain first, then as written; a
//! name ending in `.` only as written. So `api` from namespace `web` is
//! `api.web.svc.cluster.local`, and `api.shop` is `api.shop.svc.cluster.local`.

use super::network::Network;

/// The cluster domain (kubelet `--cluster-domain`).
pub const CLUSTER_DOMAIN: &str = "cluster.local";
const NDOTS: usize = 5;

/// What a name resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A Service (its cluster IP, or for a headless one its ready pods).
    Service {
        namespace: String,
        name: String,
        headless: bool,
    },
    /// One pod of a headless Service, by its hostname.
    Pod { namespace: String, name: String },
}

/// A successful lookup: the fully qualified name that answered, and what it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub fqdn: String,
    pub answer: Answer,
}

/// The names a pod of `namespace` queries for `name`, in order.
#[must_use]
pub fn candidates(namespace: &str, name: &str) -> Vec<String> {
    let name = name.to_ascii_lowercase();
    if let Some(absolute) = name.strip_suffix('.') {
        return vec![absolute.to_owned()];
    }
    let search = [
        format!("{namespace}.svc.{CLUSTER_DOMAIN}"),
        format!("svc.{CLUSTER_DOMAIN}"),
        CLUSTER_DOMAIN.to_owned(),
    ];
    let searched = search.iter().map(|d| format!("{name}.{d}"));
    if name.matches('.').count() >= NDOTS {
        std::iter::once(name.clone()).chain(searched).collect()
    } else {
        searched.chain(std::iter::once(name.clone())).collect()
    }
}

/// Resolves `name` as a pod of `namespace` would. `Err` lists the names tried (NXDOMAIN).
///
/// # Errors
/// No name tried exists in the cluster.
pub fn resolve(net: &impl Network, namespace: &str, name: &str) -> Result<Resolved, String> {
    let tried = candidates(namespace, name);
    for fqdn in &tried {
        if let Some(answer) = lookup(net, fqdn) {
            return Ok(Resolved {
                fqdn: fqdn.clone(),
                answer,
            });
        }
    }
    Err(format!(
        "`{name}` does not resolve from namespace {namespace} (tried {})",
        tried.join(", ")
    ))
}

/// One fully qualified name against the cluster's records.
fn lookup(net: &impl Network, fqdn: &str) -> Option<Answer> {
    let rest = fqdn.strip_suffix(&format!(".svc.{CLUSTER_DOMAIN}"))?;
    let labels: Vec<&str> = rest.split('.').collect();
    let headless = |ns: &str, svc: &str| {
        net.objects()
            .headless
            .contains(&(ns.to_owned(), svc.to_owned()))
    };
    match labels.as_slice() {
        [svc, ns] => net.service(ns, svc).map(|s| Answer::Service {
            namespace: s.namespace.to_owned(),
            name: s.name.to_owned(),
            headless: headless(ns, svc),
        }),
        [host, svc, ns] if headless(ns, svc) => {
            let service = net.service(ns, svc)?;
            net.pods()
                .filter(|p| p.namespace == *ns)
                .find(|p| {
                    let t = p.template;
                    let hostname = t
                        .hostname
                        .as_deref()
                        .or(t.hostname_is_name.then_some(p.name));
                    hostname == Some(*host)
                        && t.subdomain.as_deref() == Some(*svc)
                        && service.endpoints.iter().any(|e| e == p.name)
                })
                .map(|p| Answer::Pod {
                    namespace: p.namespace.to_owned(),
                    name: p.name.to_owned(),
                })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::candidates;

    #[test]
    fn search_path_and_ndots() {
        assert_eq!(
            candidates("web", "api"),
            [
                "api.web.svc.cluster.local",
                "api.svc.cluster.local",
                "api.cluster.local",
                "api"
            ]
        );
        // `api.shop` is first tried as `api.shop.web.svc...`, then found as a Service.
        assert_eq!(
            candidates("web", "api.shop")[..2],
            [
                "api.shop.web.svc.cluster.local",
                "api.shop.svc.cluster.local"
            ]
        );
        // Four dots: still searched first, so the full name is tried fourth.
        assert_eq!(
            candidates("web", "api.shop.svc.cluster.local")[3],
            "api.shop.svc.cluster.local"
        );
        assert_eq!(
            candidates("web", "api.shop.svc.cluster.local."),
            ["api.shop.svc.cluster.local"]
        );
    }
}
