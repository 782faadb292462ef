//! The `claim` goal: a PersistentVolumeClaim at the end of the run.

use crate::lesson::evaluate::Outcome;
use crate::model::Quantity;
use crate::sim::Sim;

pub(super) fn claim(sim: &Sim, name: &str, storage: Option<&str>, mode: Option<&str>) -> Outcome {
    let last = sim
        .timeline
        .timeline
        .last()
        .ok_or_else(|| "the simulation produced nothing".to_owned())?;
    let Some(c) = last
        .persistent_volume_claims
        .iter()
        .find(|c| c.name == name)
    else {
        let names: Vec<&str> = last
            .persistent_volume_claims
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        return Err(if names.is_empty() {
            format!("there is no PersistentVolumeClaim `{name}` (no claim was created)")
        } else {
            format!(
                "there is no PersistentVolumeClaim `{name}`; the claims are {}",
                names.join(", ")
            )
        });
    };
    let said = format!(
        "claim {name}: {} {} {} (StorageClass {})",
        c.phase,
        c.storage,
        c.access_modes.join(","),
        c.storage_class
    );
    if c.phase != "Bound" {
        let why = sim
            .timeline
            .events
            .iter()
            .rev()
            .find(|e| e.reason == "ProvisioningFailed" && e.object.ends_with(&format!("/{name}")))
            .map(|e| format!(": {}", e.message))
            .unwrap_or_default();
        return Err(format!("{said}{why}"));
    }
    if let Some(want) = storage {
        let same = match (Quantity::parse(want), Quantity::parse(&c.storage)) {
            (Ok(a), Ok(b)) => a.units() == b.units(),
            _ => false,
        };
        if !same {
            return Err(format!("{said}; the goal needs {want}"));
        }
    }
    if let Some(m) = mode
        && !c.access_modes.iter().any(|a| a == m)
    {
        return Err(format!("{said}; the goal needs {m}"));
    }
    Ok(said)
}
