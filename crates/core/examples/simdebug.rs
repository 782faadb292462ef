use kubeplay_core::sim::{parse_scenario, simulate};

fn main() {
    let path = std::env::args().nth(1).expect("scenario path");
    let text = std::fs::read_to_string(&path).expect("read");
    let dir = std::path::Path::new(&path).parent().unwrap().to_owned();
    let scenario = parse_scenario(&text).expect("scenario");
    let tl = simulate(&scenario, &|p| {
        std::fs::read_to_string(dir.join(p)).map_err(|e| e.to_string())
    });
    for e in &tl.events {
        println!(
            "{:>7.1} {:<8} {:<18} {:<40} {}",
            e.t, e.kind, e.reason, e.object, e.message
        );
    }
    for s in &tl.timeline {
        let d: Vec<String> = s
            .deployments
            .iter()
            .map(|d| {
                format!(
                    "{} r{} upd{} rdy{} av{} rev{}",
                    d.name,
                    d.replicas,
                    d.updated_replicas,
                    d.ready_replicas,
                    d.available_replicas,
                    d.revision
                )
            })
            .collect();
        let rs: Vec<String> = s
            .replica_sets
            .iter()
            .map(|r| format!("{}={}/{}", r.name, r.replicas, r.available_replicas))
            .collect();
        println!("t={:>6.1} pods={} {:?} {:?}", s.t, s.pods.len(), d, rs);
    }
    for w in &tl.warnings {
        println!("WARN {w}");
    }
}
