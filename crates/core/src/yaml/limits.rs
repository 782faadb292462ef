//! Limits that keep parsing linear and bounded: past each one the parser stops with a
//! diagnostic instead of hanging or exhausting memory.

/// The bounds applied to one analysed text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest text analysed, in bytes. The API server refuses request bodies over 3 MiB;
    /// a file of many objects may be larger, so this is more generous.
    pub max_bytes: usize,
    /// Deepest nesting of mappings and sequences (Kubernetes manifests rarely pass 20).
    pub max_depth: usize,
    /// Most documents in one text.
    pub max_documents: usize,
    /// Most nodes that alias expansion may create (a "billion laughs" document stops here).
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 8 * 1024 * 1024,
            max_depth: 128,
            max_documents: 10_000,
            max_alias_nodes: 100_000,
        }
    }
}

/// Which limit was reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    Bytes,
    Depth,
    Documents,
    AliasNodes,
}
