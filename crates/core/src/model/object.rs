//! The identity of each document: apiVersion, kind, name and namespace, with its range.

use serde::Serialize;

use crate::diagnostic::ObjectRef;
use crate::facts::Facts;
use crate::text::{LineIndex, Span, TextRange};
use crate::yaml::{Document, Node};

/// One Kubernetes object (one non-empty YAML document) as written.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Object {
    /// Index of the YAML document in the stream.
    pub document: usize,
    #[serde(rename = "apiVersion")]
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub name: Option<String>,
    pub namespace: Option<String>,
    #[serde(skip)]
    pub range: TextRange,
    pub span: Span,
    /// What the cluster will make of it (QoS, rollout bounds, probes, what it selects).
    pub facts: Facts,
}

impl Object {
    /// `Deployment/web`-style reference for diagnostics.
    #[must_use]
    pub fn reference(&self) -> Option<ObjectRef> {
        Some(ObjectRef {
            kind: self.kind.clone()?,
            name: self.name.clone().unwrap_or_default(),
        })
    }

    /// The object's name for messages, `""` if none.
    #[must_use]
    pub fn name_or_empty(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }
}

/// The objects of the stream: every document whose root is a mapping.
#[must_use]
pub fn objects_of(text: &str, index: &LineIndex, documents: &[Document]) -> Vec<Object> {
    documents
        .iter()
        .filter_map(|doc| {
            let root = doc.root.as_ref()?;
            root.as_mapping()?;
            let meta = root.get("metadata");
            let string = |n: Option<&Node>| n.and_then(Node::as_str).map(str::to_owned);
            Some(Object {
                document: doc.index,
                api_version: string(root.get("apiVersion")),
                kind: string(root.get("kind")),
                name: string(meta.and_then(|m| m.get("name"))),
                namespace: string(meta.and_then(|m| m.get("namespace"))),
                range: root.range,
                span: index.span(text, root.range),
                facts: Facts::default(),
            })
        })
        .collect()
}
