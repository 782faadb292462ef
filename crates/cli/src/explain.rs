//! `kubeplay explain RESOURCE[.field.path]`: field documentation from the schema, laid out
//! like `kubectl explain`.

use std::io::{self, Write};

/// Writes the explanation of `query`, or returns kubectl's message when the resource or a
/// field does not exist.
pub fn write(out: &mut dyn Write, query: &str) -> io::Result<Result<(), String>> {
    match kubeplay_core::schema::explain(query) {
        Ok(explained) => {
            write!(out, "{explained}")?;
            Ok(Ok(()))
        }
        Err(message) => Ok(Err(message)),
    }
}
