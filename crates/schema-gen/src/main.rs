//! Rewrites `crates/core/src/schema/generated.rs` from the Kubernetes OpenAPI.

fn main() {
    let text = kubeplay_schema_gen::generate();
    if let Err(e) = std::fs::write(kubeplay_schema_gen::OUTPUT, text) {
        eprintln!("cannot write {}: {e}", kubeplay_schema_gen::OUTPUT);
        std::process::exit(1);
    }
}
