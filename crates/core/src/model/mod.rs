//! The Kubernetes object model: which kinds exist in which API versions, and the identity
//! (apiVersion, kind, name, namespace) of each document in the analysed text.

mod int_or_string;
mod kinds;
mod object;
mod quantity;
mod selector;
mod workload;

pub use int_or_string::IntOrPercent;
pub use kinds::{ApiKind, KINDS, KindLookup, Removed, lookup_kind};
pub use object::{Object, objects_of};
pub use quantity::{Format as QuantityFormat, Quantity, QuantityError};
pub use selector::{Requirement, Selector};
pub use workload::{Container, ContainerPath, containers, pod_spec};
