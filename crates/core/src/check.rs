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
    /// The schema walk's findings, computed once and shared by the schema checks.
    pub schema: crate::schema::Findings,
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

/// A pod spec found in an object: a Pod's `spec` or a workload's template spec.
#[derive(Clone, Copy)]
pub struct PodSpecRef<'a> {
    pub object: &'a Object,
    pub root: &'a Node,
    pub kind: &'a str,
    pub spec: &'a Node,
    /// Field path of the spec (`spec.template.spec`).
    pub path: &'static str,
}

impl<'a> Context<'a> {
    /// Every pod spec in the files, with its object.
    pub fn pod_specs(&self) -> impl Iterator<Item = PodSpecRef<'a>> + '_ {
        self.objects_with_root().filter_map(|(object, root, kind)| {
            let (spec, path) = crate::model::pod_spec(kind, root)?;
            Some(PodSpecRef {
                object,
                root,
                kind,
                spec,
                path,
            })
        })
    }

    /// Every regular container (not init containers) of every pod spec.
    pub fn app_containers(
        &self,
    ) -> impl Iterator<Item = (PodSpecRef<'a>, crate::model::Container<'a>)> + '_ {
        self.pod_specs().flat_map(|p| {
            crate::model::containers(p.spec, p.path)
                .into_iter()
                .filter(|c| !c.init)
                .map(move |c| (p, c))
                .collect::<Vec<_>>()
        })
    }

    /// The first object of `kind` named `name` in `namespace` (`""` = unset).
    #[must_use]
    pub fn find(&self, kind: &str, name: &str, namespace: &str) -> Option<(&'a Object, &'a Node)> {
        self.objects_with_root()
            .find(|(o, _, k)| {
                *k == kind
                    && o.name.as_deref() == Some(name)
                    && o.namespace.as_deref().unwrap_or("") == namespace
            })
            .map(|(o, r, _)| (o, r))
    }
}

/// One registered check.
pub struct Check {
    pub rule: &'static Rule,
    pub run: fn(&Context<'_>, &mut Vec<Diagnostic>),
}
