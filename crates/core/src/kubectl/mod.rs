//! The kubectl bar: command lines become either queries answered from the simulated
//! timeline (printed as kubectl prints them) or scenario steps that change the cluster.

mod api_object;
mod describe_node;
pub mod json_out;
mod parse;
mod render;
mod tabbed;
mod table;
pub mod yaml_out;

pub use parse::{Command, Output, Resource, parse};
pub use render::{View, pod_status, run, step_output};
pub use table::{human_duration, table};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::simulate_manifest;

    const WEB: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 80}]
          resources:
            requests: {cpu: 100m, memory: 64Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
";

    fn ask(line: &str, t: f64) -> String {
        let tl = simulate_manifest(WEB, 120_000);
        let view = View {
            timeline: &tl,
            t,
            namespace: "default",
        };
        run(&parse(line).unwrap(), &view)
    }

    #[test]
    fn get_pods_prints_kubectls_table() {
        let out = ask("kubectl get pods", 90.0);
        let mut lines = out.lines();
        assert_eq!(
            lines.next().unwrap().split_whitespace().collect::<Vec<_>>(),
            ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
        );
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), 2);
        for r in rows {
            let cols: Vec<&str> = r.split_whitespace().collect();
            assert!(cols[0].starts_with("web-"), "{r}");
            assert_eq!(&cols[1..], ["1/1", "Running", "0", "90s"], "{r}");
        }
    }

    #[test]
    fn get_deploy_and_endpoints() {
        let out = ask("get deploy", 60.0);
        let row: Vec<&str> = out.lines().nth(1).unwrap().split_whitespace().collect();
        assert_eq!(row, ["web", "2/2", "2", "2", "60s"], "{out}");
        let out = ask("get endpoints web", 60.0);
        assert!(out.contains("10.244."), "{out}");
        assert_eq!(
            ask("get pods nope", 60.0),
            "Error from server (NotFound): pods \"nope\" not found\n"
        );
    }

    #[test]
    fn get_endpoints_and_describe_service_show_ready_addresses_with_ports() {
        let out = ask("get endpoints web", 60.0);
        let row: Vec<&str> = out.lines().nth(1).unwrap().split_whitespace().collect();
        assert_eq!(row[0], "web", "{out}");
        let addresses: Vec<&str> = row[1].split(',').collect();
        assert_eq!(addresses.len(), 2, "{out}");
        assert!(
            addresses
                .iter()
                .all(|a| a.starts_with("10.244.") && a.ends_with(":80")),
            "{out}"
        );
        let out = ask("describe svc web", 60.0);
        assert!(out.starts_with("Name:                     web\n"), "{out}");
        assert!(
            out.contains("Port:                     <unset>  80/TCP\n"),
            "{out}"
        );
        assert!(out.contains("TargetPort:               80/TCP\n"), "{out}");
        assert!(
            out.contains(&format!("Endpoints:                {}\n", row[1])),
            "{out}"
        );
        // Before any pod is ready: none.
        let early = ask("describe svc web", 0.0);
        assert!(
            early.contains("Endpoints:                <none>\n"),
            "{early}"
        );
    }

    #[test]
    fn pending_pods_before_anything_happened() {
        let out = ask("get pods", 0.0);
        assert!(out.contains("ContainerCreating"), "{out}");
    }

    #[test]
    fn events_and_rollout_status() {
        let out = ask("get events", 60.0);
        assert!(out.starts_with("LAST SEEN   TYPE     REASON"), "{out}");
        assert!(
            out.contains("ScalingReplicaSet") && out.contains("deployment/web"),
            "{out}"
        );
        assert_eq!(
            ask("rollout status deployment/web", 60.0),
            "deployment \"web\" successfully rolled out\n"
        );
    }

    #[test]
    fn step_commands_answer_like_kubectl() {
        let Command::Step(action) = parse("scale deploy web --replicas 3").unwrap() else {
            panic!("step")
        };
        assert_eq!(
            step_output(&action, "default"),
            "deployment.apps/web scaled\n"
        );
        let Command::Step(action) = parse("delete pod web-abc").unwrap() else {
            panic!("step")
        };
        assert_eq!(
            step_output(&action, "default"),
            "pod \"web-abc\" deleted from default namespace\n"
        );
    }
}
