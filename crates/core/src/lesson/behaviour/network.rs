//! Goals about reaching a workload: a URL in an environment variable resolved by cluster
//! DNS, a DNS name, the certificate an https request got, the status of a request.

use super::pods::last_running;
use crate::lesson::evaluate::{Outcome, plural, split_ref};
use crate::sim::Sim;
use crate::sim::dns::{Answer, resolve};
use crate::sim::network::Network;

/// `http://api.shop:8080/x` → (`api.shop`, 8080); a bare `host[:port]` defaults to 80.
fn host_port(url: &str) -> Option<(String, i64)> {
    let (rest, default) = match url.split_once("://") {
        Some(("https", r)) => (r, 443),
        Some((_, r)) => (r, 80),
        None => (url, 80),
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    match authority.rsplit_once(':') {
        Some((h, p)) => Some((h.to_owned(), p.parse().ok()?)),
        None => Some((authority.to_owned(), default)),
    }
    .filter(|(h, _)| !h.is_empty())
}

pub(super) fn env_resolves(sim: &Sim, workload: &str, env: &str, service: &str) -> Outcome {
    let pod = last_running(sim, workload)?;
    let value = pod
        .template
        .0
        .containers
        .iter()
        .find_map(|c| c.env.iter().find(|(k, _)| k == env).map(|(_, v)| v.clone()))
        .ok_or_else(|| format!("the containers of {workload} have no variable {env}"))?;
    let (host, port) =
        host_port(&value).ok_or_else(|| format!("{env}={value} is not a URL or host name"))?;
    let found = resolve(sim, &pod.namespace, &host)
        .map_err(|e| format!("{env}={value}: {e}; the goal needs {service}"))?;
    let Answer::Service {
        namespace, name, ..
    } = &found.answer
    else {
        return Err(format!(
            "{env}={value}: {host} is a pod's name ({}), not the Service {service}",
            found.fqdn
        ));
    };
    let got = format!("{namespace}/{name}");
    let said = format!(
        "from namespace {}, {host} resolves to {} (Service {got})",
        pod.namespace, found.fqdn
    );
    if got != service {
        return Err(format!("{env}={value}: {said}; the goal needs {service}"));
    }
    let svc = sim
        .service(namespace, name)
        .ok_or_else(|| format!("{said}, which no longer exists"))?;
    if !svc.ports.iter().any(|p| p.port == port) {
        let ports: Vec<String> = svc.ports.iter().map(|p| p.port.to_string()).collect();
        return Err(format!(
            "{env}={value}: {said}, but it has no port {port} (its ports: {})",
            ports.join(", ")
        ));
    }
    if svc.endpoints.is_empty() {
        return Err(format!(
            "{env}={value}: {said}, but it has no ready endpoints"
        ));
    }
    Ok(format!(
        "{env}={value}: {said}, port {port}, {}",
        plural(svc.endpoints.len(), "ready endpoint", "ready endpoints")
    ))
}

pub(super) fn resolves(
    sim: &Sim,
    name: &str,
    namespace: &str,
    pod: Option<&str>,
    service: Option<&str>,
) -> Outcome {
    let found = resolve(sim, namespace, name)?;
    let (ok, what) = match &found.answer {
        Answer::Pod { name: p, .. } => (pod == Some(p.as_str()), format!("Pod `{p}`")),
        Answer::Service {
            name: s, headless, ..
        } => (
            service == Some(s.as_str()),
            format!(
                "Service `{s}`{}",
                if *headless { " (headless)" } else { "" }
            ),
        ),
    };
    let said = format!("`{name}` resolves to {} ({what})", found.fqdn);
    if ok {
        Ok(said)
    } else {
        Err(format!(
            "{said}; the goal needs {}",
            pod.map_or_else(
                || format!("Service `{}`", service.unwrap_or_default()),
                |p| format!("Pod `{p}`")
            )
        ))
    }
}

pub(super) fn tls_certificate(sim: &Sim, host: &str, secret: &str) -> Outcome {
    let requests: Vec<_> = sim
        .timeline
        .requests
        .iter()
        .filter(|r| r.tls.is_some() && r.request.contains(host))
        .collect();
    let Some(r) = requests.last() else {
        return Err(format!(
            "no https request to {host} was sent (the step's scenario sends them)"
        ));
    };
    let Some(tls) = &r.tls else {
        return Err(format!("{} was not an https request", r.request));
    };
    let uses = tls
        .secret
        .as_deref()
        .is_some_and(|s| split_ref(s).1 == secret);
    if uses && (200..300).contains(&r.status) {
        Ok(format!("{} → {}: {}", r.request, r.status, tls.reason))
    } else if uses {
        Err(format!(
            "{} was served with secret {secret}, but got {}: {}",
            r.request, r.status, r.reason
        ))
    } else {
        Err(format!("{}: {}", r.request, tls.reason))
    }
}

pub(super) fn request_status(sim: &Sim, host: Option<&str>, path: &str, status: i64) -> Outcome {
    let last = sim
        .timeline
        .requests
        .iter()
        .rfind(|r| r.request.contains(path) && host.is_none_or(|h| r.request.contains(h)))
        .ok_or_else(|| {
            format!(
                "no request to {}{path} was sent (the step's scenario sends them)",
                host.unwrap_or("")
            )
        })?;
    let said = format!("{} got {}: {}", last.request, last.status, last.reason);
    if i64::from(last.status) == status {
        Ok(said)
    } else {
        Err(format!("{said}; the goal needs {status}"))
    }
}

#[cfg(test)]
mod tests {
    use super::host_port;

    #[test]
    fn urls() {
        assert_eq!(
            host_port("http://api.shop.svc.cluster.local:8080/v1"),
            Some(("api.shop.svc.cluster.local".into(), 8080))
        );
        assert_eq!(host_port("https://api"), Some(("api".into(), 443)));
        assert_eq!(host_port("api:9000"), Some(("api".into(), 9000)));
        assert_eq!(host_port("http://"), None);
    }
}
