//! One component per file.

pub mod app;
pub mod code_editor;
pub mod header;
pub mod notices;
pub mod problems;
