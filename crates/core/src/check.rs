//! The check mechanism: one check is one file holding its [`Rule`] and a `run` function;
//! the registry (`registry.rs`) lists them. Checks read the whole analysed stream through
//! [`Context`] and push diagnostics.

use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rule::Rule;
use crate::text::{LineIndex, Span, TextRange};
use crate::yaml::{Document, Node};

/// Everything a check may look at.
pub struct Context<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub documents: &'a [Document],
    pub objects: &'a [Object],
}

impl<'a> Context<'a> {
    #[must_use]
    pub fn span(&self, range: TextRange) -> Span {
        self.index.span(self.text, range)
    }

    /// A diagnostic of `rule` at `range`, attached to `object`.
    #[must_use]
    pub fn diag(
        &self,
        rule: &'static Rule,
        object: &Object,
        range: TextRange,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(rule, self.span(range), message).object(object.reference())
    }

    /// The root node of an object.
    #[must_use]
    pub fn root(&self, object: &Object) -> Option<&'a Node> {
        self.documents.get(object.document)?.root.as_ref()
    }

    /// Objects with their root mapping and a known kind.
    pub fn objects_with_root(&self) -> impl Iterator<Item = (&'a Object, &'a Node, &'a str)> + '_ {
        self.objects.iter().filter_map(|o| {
            let root = self.root(o)?;
            Some((o, root, o.kind.as_deref()?))
        })
    }
}

/// One registered check.
pub struct Check {
    pub rule: &'static Rule,
    pub run: fn(&Context<'_>, &mut Vec<Diagnostic>),
}
