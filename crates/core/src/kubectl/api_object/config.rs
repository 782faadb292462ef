//! ConfigMaps and Secrets as stored: the applied manifest, with a Secret's `stringData`
//! folded into `data` as base64 (`pkg/registry/core/secret/strategy.go` `dropDisabledFields`
//! and the v1 conversion: the API never stores `stringData`) and `type: Opaque` by default
//! (`SetDefaults_Secret`). base64 is an encoding, not encryption: anyone who can read the
//! Secret reads its values, and `kubectl apply`'s last-applied annotation keeps `stringData`
//! in clear text.

use super::{Ctx, meta, object};
use crate::value::{Value, base64};

/// Every stored object of `kind` in the namespace (`ConfigMap` or `Secret`).
pub(super) fn stored_kind(ctx: &Ctx<'_>, kind: &str) -> Vec<Value> {
    ctx.snap
        .stored
        .iter()
        .filter(|((k, ns, name), _)| k == kind && ns == ctx.view.namespace && ctx.wants(name))
        .map(|((_, ns, name), stored)| {
            #[allow(clippy::cast_precision_loss)]
            let created = stored.created as f64 / 1000.0;
            let key = (kind.to_owned(), ns.clone(), name.clone());
            let version = ctx.version(|s| s.stored.get(&key) == Some(stored));
            let mut m = meta::metadata(kind, ns, name, created, version);
            meta::applied(&mut m, &stored.source, ns);
            let mut obj = object("v1", kind, m);
            for field in ["data", "binaryData", "immutable"] {
                if let Some(v) = stored.source.get(field).filter(|v| !v.is_zero()) {
                    obj.set(field, v.clone());
                }
            }
            if kind == "Secret" {
                if let Some(Value::Map(clear)) = stored.source.get("stringData") {
                    let data = obj.map_mut("data");
                    for (k, v) in clear {
                        let text = match v {
                            Value::Str(s) => s.clone(),
                            other => super::super::json_out::to_json_compact(other),
                        };
                        data.set(k, base64(text.as_bytes()));
                    }
                }
                let kind = stored
                    .source
                    .get("type")
                    .and_then(Value::as_str)
                    .filter(|t| !t.is_empty())
                    .unwrap_or("Opaque");
                obj.set("type", kind);
            }
            obj
        })
        .collect()
}
