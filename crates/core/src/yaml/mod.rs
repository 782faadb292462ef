//! YAML with positions: the multi-document parser, the positioned tree, the limits, and the
//! diagnostics for text that is not valid YAML.

mod diagnostics;
mod limits;
mod node;
mod parse;

pub use diagnostics::{DUPLICATE_KEY, LIMIT, SYNTAX, diagnostics};
pub use limits::{Limit, Limits};
pub use node::{Entry, Node, NodeKind, Resolved, Scalar, ScalarStyle, resolve_scalar};
pub use parse::{Document, Stream, YamlError, parse};
