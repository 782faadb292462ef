//! A Deployment's rollout bounds, resolved as the Deployment controller does
//! (`pkg/controller/deployment/util/deployment_util.go`: `ResolveFenceposts`, `MaxSurge`,
//! `MaxUnavailable`) after `SetDefaults_Deployment` (replicas 1, RollingUpdate, 25%/25%).

use serde::Serialize;

use crate::model::IntOrPercent;
use crate::yaml::Node;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Strategy {
    RollingUpdate,
    Recreate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rollout {
    pub strategy: Strategy,
    pub replicas: i64,
    /// Pods above `replicas` the rollout may create (rounded up from a percentage).
    pub max_surge: i64,
    /// Pods below `replicas` that may be unavailable (rounded down; 1 if both resolve to 0).
    /// For Recreate, every pod goes down: `replicas`.
    pub max_unavailable: i64,
}

const DEFAULT: IntOrPercent = IntOrPercent::Percent(25);

/// The rollout of a Deployment; `None` if the fields cannot be read (validation reports why).
#[must_use]
pub fn rollout_of(root: &Node) -> Option<Rollout> {
    let spec = root.get("spec");
    let replicas = match spec.and_then(|s| s.get("replicas")) {
        None => 1,
        Some(n) if n.is_null() => 1,
        Some(n) => n.as_i64()?,
    };
    let strategy = spec.and_then(|s| s.get("strategy"));
    if strategy.and_then(|s| s.get("type")).and_then(Node::as_str) == Some("Recreate") {
        return Some(Rollout {
            strategy: Strategy::Recreate,
            replicas,
            max_surge: 0,
            max_unavailable: replicas,
        });
    }
    let rolling = strategy.and_then(|s| s.get("rollingUpdate"));
    let field = |name: &str| match rolling.and_then(|r| r.get(name)) {
        None => Some(DEFAULT),
        Some(n) if n.is_null() => Some(DEFAULT),
        Some(n) => IntOrPercent::from_node(n),
    };
    let (max_surge, max_unavailable) =
        resolve_fenceposts(field("maxSurge")?, field("maxUnavailable")?, replicas);
    Some(Rollout {
        strategy: Strategy::RollingUpdate,
        replicas,
        max_surge,
        // MaxUnavailable: 0 for 0 replicas, and never more than replicas.
        max_unavailable: if replicas == 0 {
            0
        } else {
            max_unavailable.min(replicas)
        },
    })
}

/// `ResolveFenceposts`: surge rounds up, unavailable rounds down, and both zero makes
/// unavailable 1 so that a rollout can always progress.
#[must_use]
pub fn resolve_fenceposts(
    surge: IntOrPercent,
    unavailable: IntOrPercent,
    desired: i64,
) -> (i64, i64) {
    let s = surge.scaled(desired, true);
    let u = unavailable.scaled(desired, false);
    if s == 0 && u == 0 { (0, 1) } else { (s, u) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, parse};
    use IntOrPercent::{Int, Percent};

    // TestResolveFenceposts (deployment_util_test.go).
    #[test]
    fn upstream_fenceposts() {
        assert_eq!(resolve_fenceposts(Percent(0), Percent(0), 0), (0, 1));
        assert_eq!(resolve_fenceposts(Percent(39), Percent(39), 10), (4, 3));
        assert_eq!(resolve_fenceposts(Int(0), Percent(39), 10), (0, 3));
        assert_eq!(resolve_fenceposts(Percent(39), Int(0), 10), (4, 0));
        assert_eq!(resolve_fenceposts(Int(0), Int(0), 10), (0, 1));
    }

    fn rollout(spec: &str) -> Rollout {
        let text = format!("kind: Deployment\nspec:\n{spec}");
        rollout_of(
            &parse(&text, &Limits::default())
                .documents
                .remove(0)
                .root
                .unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn defaults_and_clamping() {
        // 25%/25% of 3 replicas: surge 1 (0.75 up), unavailable 0 (0.75 down).
        let r = rollout("  replicas: 3\n");
        assert_eq!((r.max_surge, r.max_unavailable), (1, 0));
        let r = rollout("  replicas: 10\n");
        assert_eq!((r.max_surge, r.max_unavailable), (3, 2));
        // No replicas field: defaults to 1.
        let r = rollout("  selector: {}\n");
        assert_eq!((r.replicas, r.max_surge, r.max_unavailable), (1, 1, 0));
        // TestMaxUnavailable: (10, 50%) → 5; (5, 100%) → 5 (clamped); 0 replicas → 0.
        let r = rollout("  replicas: 10\n  strategy:\n    rollingUpdate: {maxUnavailable: 50%}\n");
        assert_eq!(r.max_unavailable, 5);
        let r = rollout("  replicas: 5\n  strategy:\n    rollingUpdate: {maxUnavailable: 10}\n");
        assert_eq!(r.max_unavailable, 5);
        let r = rollout("  replicas: 0\n");
        assert_eq!(r.max_unavailable, 0);
    }

    #[test]
    fn recreate_takes_everything_down() {
        let r = rollout("  replicas: 4\n  strategy:\n    type: Recreate\n");
        assert_eq!(
            (r.strategy, r.max_surge, r.max_unavailable),
            (Strategy::Recreate, 0, 4)
        );
    }
}
