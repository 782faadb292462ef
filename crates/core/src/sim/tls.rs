//! TLS at the Ingress controller, as ingress-nginx does it (`internal/ingress/controller`
//! `createServers`, `store.GetLocalSSLCert`; the Ingress docs' "TLS" section):
//! - an `https` request for a host presents the certificate of the Secret that a `spec.tls`
//!   entry names for that host (exact or `*.` wildcard host), in the Ingress's namespace;
//!   the Secret must hold `tls.crt` and `tls.key` (what `type: kubernetes.io/tls`
//!   guarantees). A missing or incomplete Secret, or a host no `tls` entry lists, gets the
//!   controller's default "Kubernetes Ingress Controller Fake Certificate", which clients
//!   reject;
//! - a plain `http` request for a host with a certificate is answered with
//!   `308 Permanent Redirect` to https (`ssl-redirect`, on by default).

use serde::Serialize;

use super::ingress::{host_match, route};
use super::network::Network;
use super::timeline::RequestResult;

/// How an https request's TLS handshake went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TlsView {
    /// The Secret whose certificate was presented (`namespace/name`); `None`: the
    /// controller's fake certificate.
    pub secret: Option<String>,
    pub reason: String,
}

/// The certificate the Ingress controller presents for `host`, as the cluster `net` is.
#[must_use]
pub fn certificate_for(net: &impl Network, host: Option<&str>) -> TlsView {
    let fake = "the controller's default certificate (Kubernetes Ingress Controller Fake Certificate), which clients reject";
    let Some(host) = host.map(str::to_ascii_lowercase) else {
        return TlsView {
            secret: None,
            reason: format!("a request without a host name (SNI) gets {fake}"),
        };
    };
    let entry = net.ingresses().find_map(|ing| {
        ing.tls
            .iter()
            .find(|t| {
                t.hosts
                    .iter()
                    .any(|h| host_match(Some(h), Some(&host)).is_some_and(|m| m > 0))
            })
            .map(|t| (ing, t))
    });
    let Some((ing, tls)) = entry else {
        return TlsView {
            secret: None,
            reason: format!("no Ingress lists {host} under spec.tls, so it gets {fake}"),
        };
    };
    let Some(name) = &tls.secret else {
        return TlsView {
            secret: None,
            reason: format!(
                "ingress/{} lists {host} under spec.tls without a secretName, so it gets {fake}",
                ing.name
            ),
        };
    };
    let key = (ing.namespace.clone(), name.clone());
    let id = format!("{}/{name}", ing.namespace);
    match net.objects().tls_secrets.get(&key) {
        Some(true) => TlsView {
            secret: Some(id.clone()),
            reason: format!(
                "ingress/{} terminates TLS for {host} with the certificate in secret/{id}",
                ing.name
            ),
        },
        Some(false) => TlsView {
            secret: None,
            reason: format!(
                "secret/{id} has no tls.crt and tls.key (a kubernetes.io/tls Secret has both), so {host} gets {fake}"
            ),
        },
        None => TlsView {
            secret: None,
            reason: format!(
                "Error getting SSL certificate \"{id}\": local SSL certificate {id} was not found. Using default certificate: {host} gets {fake}"
            ),
        },
    }
}

/// A request through the Ingress controller over http or https, as the cluster `net` is,
/// without moving the round-robin: https presents a certificate, and plain http to a host
/// with one is redirected (308) to https.
#[must_use]
pub fn request(
    net: &impl Network,
    t: f64,
    host: Option<&str>,
    path: &str,
    https: bool,
) -> RequestResult {
    let cert = certificate_for(net, host);
    let mut result = if !https && cert.secret.is_some() {
        let mut r = route(net, t, host, path);
        r.status = 308;
        r.service = None;
        r.pod = None;
        r.reason = format!(
            "308 Permanent Redirect to https://{}{path}: ingress-nginx redirects plain HTTP for a host with a TLS certificate (ssl-redirect)",
            host.unwrap_or_default()
        );
        r
    } else {
        route(net, t, host, path)
    };
    if https {
        result.request = format!("https://{}", result.request);
        result.tls = Some(cert);
    }
    result
}
