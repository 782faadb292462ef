//! The Kubernetes object model: which kinds exist in which API versions, and the identity
//! (apiVersion, kind, name, namespace) of each document in the analysed text.

mod kinds;
mod object;
mod quantity;
mod workload;

pub use kinds::{ApiKind, KINDS, KindLookup, Removed, lookup_kind};
pub use object::{Object, objects_of};
pub use quantity::{Format as QuantityFormat, Quantity, QuantityError};
pub use workload::{Container, containers, pod_spec};
