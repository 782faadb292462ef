//! kubeplay-core: the engine behind the kubeplay playground and CLI.
//!
//! Pure Rust with no web, clock or file dependencies: text goes in, data comes out.
//! The entry point is [`analyze`]; see `docs/ARCHITECTURE.md` for the map.

pub mod advise;
mod analyze;
pub mod check;
pub mod diagnostic;
pub mod facts;
pub mod kubectl;
pub mod lesson;
pub mod model;
pub mod registry;
pub mod rule;
pub mod schema;
pub mod sim;
pub mod suggest;
pub mod suppress;
pub mod text;
pub mod validate;
pub mod value;
pub mod yaml;

#[cfg(test)]
mod testing;

pub use analyze::{Analysis, analyze, analyze_with};
pub use diagnostic::{Diagnostic, Edit, ObjectRef, Severity, Source};
pub use rule::Rule;
pub use text::{LineIndex, Location, Span, TextRange};

/// The Kubernetes version whose rules, defaults and wording kubeplay follows.
pub const KUBERNETES_VERSION: &str = "1.36";
