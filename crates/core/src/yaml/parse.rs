//! Multi-document parsing into the positioned tree, on top of `saphyr-parser`'s event stream.
//!
//! The text is split at `---` lines first (a `---` at column 0 always starts a document in
//! YAML), so a syntax error in one document does not hide the problems of the others.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle, Span as SaphyrSpan};

use super::limits::{Limit, Limits};
use super::node::{Entry, Node, NodeKind, Scalar, ScalarStyle};
use crate::text::{CharCursor, TextRange};

/// One YAML document of the stream.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// 0-based position in the stream (empty documents count).
    pub index: usize,
    /// The document's root, `None` for an empty document.
    pub root: Option<Node>,
    /// The text range the document occupies.
    pub range: TextRange,
}

/// A problem found while parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum YamlError {
    /// The text is not valid YAML; `message` is the parser's own words.
    Syntax { range: TextRange, message: String },
    /// A key appears twice in one mapping; kubectl keeps the last value.
    DuplicateKey {
        key: String,
        range: TextRange,
        first: TextRange,
    },
    /// A limit was reached and parsing stopped there.
    Limit { limit: Limit, range: TextRange },
}

/// The parsed stream: every document, and every problem met on the way.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stream {
    pub documents: Vec<Document>,
    pub errors: Vec<YamlError>,
}

/// Parses a multi-document YAML text. Never panics; problems land in `Stream::errors`.
#[must_use]
pub fn parse(text: &str, limits: &Limits) -> Stream {
    let mut stream = Stream::default();
    if text.len() > limits.max_bytes {
        stream.errors.push(YamlError::Limit {
            limit: Limit::Bytes,
            range: TextRange::new(0, first_line_end(text)),
        });
        return stream;
    }
    let mut alias_budget = limits.max_alias_nodes;
    for chunk in split_documents(text) {
        if stream.documents.len() >= limits.max_documents {
            stream.errors.push(YamlError::Limit {
                limit: Limit::Documents,
                range: TextRange::new(chunk.start, first_line_end_from(text, chunk.start)),
            });
            break;
        }
        let before = stream.documents.len();
        let mut builder = Builder::new(text, chunk, limits, &mut alias_budget, &mut stream);
        builder.run();
        if stream.documents.len() == before {
            // A chunk that failed before any document started still occupies its range.
            stream.documents.push(Document {
                index: before,
                root: None,
                range: chunk,
            });
        }
        for (i, doc) in stream.documents.iter_mut().enumerate().skip(before) {
            doc.index = i;
        }
        if stream.errors.iter().any(|e| {
            matches!(
                e,
                YamlError::Limit {
                    limit: Limit::AliasNodes,
                    ..
                }
            )
        }) {
            break;
        }
    }
    stream
}

fn first_line_end(text: &str) -> usize {
    first_line_end_from(text, 0)
}

fn first_line_end_from(text: &str, from: usize) -> usize {
    let rest = text.get(from..).unwrap_or("");
    let limit = rest.len().min(200);
    let mut end = rest[..floor_boundary(rest, limit)]
        .find('\n')
        .unwrap_or(floor_boundary(rest, limit));
    if end == 0 && !rest.is_empty() {
        end = rest.chars().next().map_or(0, char::len_utf8);
    }
    from + end
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Splits the text into ranges at every line that starts with `---` followed by
/// whitespace or the end of the line.
fn split_documents(text: &str) -> Vec<TextRange> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut line_start = 0;
    let bytes = text.as_bytes();
    while line_start < text.len() {
        let line_end = memchr_newline(bytes, line_start);
        let line = &bytes[line_start..line_end];
        let is_marker = line.starts_with(b"---")
            && line
                .get(3)
                .is_none_or(|c| matches!(c, b' ' | b'\t' | b'\r'));
        if is_marker && line_start > start {
            chunks.push(TextRange::new(start, line_start));
            start = line_start;
        }
        line_start = line_end + 1;
    }
    chunks.push(TextRange::new(start, text.len()));
    chunks
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

enum Frame {
    Map {
        start: usize,
        anchor: usize,
        entries: Vec<Entry>,
        key: Option<Node>,
    },
    Seq {
        start: usize,
        anchor: usize,
        items: Vec<Node>,
    },
}

struct Builder<'t, 's> {
    text: &'t str,
    chunk: TextRange,
    limits: &'s Limits,
    alias_budget: &'s mut usize,
    out: &'s mut Stream,
    cursor: CharCursor<'t>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    doc_start: usize,
    root: Option<Node>,
    in_doc: bool,
}

impl<'t, 's> Builder<'t, 's> {
    fn new(
        text: &'t str,
        chunk: TextRange,
        limits: &'s Limits,
        alias_budget: &'s mut usize,
        out: &'s mut Stream,
    ) -> Self {
        Self {
            text,
            chunk,
            limits,
            alias_budget,
            out,
            cursor: CharCursor::new(&text[chunk.start..chunk.end]),
            stack: Vec::new(),
            anchors: HashMap::new(),
            doc_start: chunk.start,
            root: None,
            in_doc: false,
        }
    }

    fn byte(&mut self, char_index: usize) -> usize {
        self.chunk.start + self.cursor.byte_of(char_index)
    }

    fn range(&mut self, span: &SaphyrSpan) -> TextRange {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        TextRange::new(start, end.max(start))
    }

    fn run(&mut self) {
        let source = &self.text[self.chunk.start..self.chunk.end];
        let mut parser = Parser::new_from_str(source);
        while let Some(next) = parser.next_event() {
            match next {
                Ok((event, span)) => {
                    if !self.on_event(event, &span) {
                        return;
                    }
                }
                Err(err) => {
                    let at = self.byte(err.marker().index());
                    let end = (at + self.text[at..].chars().next().map_or(0, char::len_utf8))
                        .min(self.chunk.end.max(at));
                    self.out.errors.push(YamlError::Syntax {
                        range: TextRange::new(at, end),
                        message: err.info().to_owned(),
                    });
                    self.finish_document(self.chunk.end);
                    return;
                }
            }
        }
    }

    /// Handles one event; `false` stops this chunk.
    fn on_event(&mut self, event: Event<'_>, span: &SaphyrSpan) -> bool {
        match event {
            Event::DocumentStart(_) => {
                self.in_doc = true;
                self.doc_start = self.range(span).start;
                self.root = None;
                self.stack.clear();
                self.anchors.clear();
            }
            Event::DocumentEnd => {
                let end = self.range(span).end;
                self.finish_document(end);
            }
            Event::Scalar(value, style, anchor, tag) => {
                let range = self.range(span);
                let node = Node {
                    kind: NodeKind::Scalar(Scalar {
                        value: value.into_owned(),
                        style: convert_style(style),
                        tag: tag.map(|t| t.to_string()),
                    }),
                    range,
                };
                self.remember(anchor, &node, 1);
                return self.push(node);
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if self.stack.len() >= self.limits.max_depth {
                    let range = self.range(span);
                    self.out.errors.push(YamlError::Limit {
                        limit: Limit::Depth,
                        range: TextRange::new(range.start, range.start.max(range.end)),
                    });
                    self.finish_document(self.chunk.end);
                    return false;
                }
                let start = self.range(span).start;
                self.stack
                    .push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map {
                            start,
                            anchor,
                            entries: Vec::new(),
                            key: None,
                        }
                    } else {
                        Frame::Seq {
                            start,
                            anchor,
                            items: Vec::new(),
                        }
                    });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let close = self.range(span).end;
                let Some(frame) = self.stack.pop() else {
                    return true;
                };
                let (node, anchor) = self.close(frame, close);
                if anchor != 0 {
                    let count = count_nodes(&node);
                    self.remember(anchor, &node, count);
                }
                return self.push(node);
            }
            Event::Alias(id) => {
                let range = self.range(span);
                let Some((node, count)) = self.anchors.get(&id).cloned() else {
                    return true;
                };
                if count > *self.alias_budget {
                    self.out.errors.push(YamlError::Limit {
                        limit: Limit::AliasNodes,
                        range,
                    });
                    self.finish_document(self.chunk.end);
                    return false;
                }
                *self.alias_budget -= count;
                let mut node = node;
                node.range = range;
                return self.push(node);
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        true
    }

    fn remember(&mut self, anchor: usize, node: &Node, count: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), count));
        }
    }

    fn close(&mut self, frame: Frame, close: usize) -> (Node, usize) {
        match frame {
            Frame::Map {
                start,
                anchor,
                entries,
                key,
            } => {
                let mut entries = entries;
                if let Some(key) = key {
                    // A key without a value (parser recovered): keep it with a null value.
                    let at = key.range.end;
                    entries.push(Entry {
                        key,
                        value: null_at(at),
                    });
                }
                self.check_duplicates(&entries);
                let end = entries
                    .last()
                    .map_or(close, |e| e.value.range.end.max(e.key.range.end));
                let end = if self.text.as_bytes().get(start) == Some(&b'{') {
                    close.max(end)
                } else {
                    end
                };
                (
                    Node {
                        kind: NodeKind::Mapping(entries),
                        range: TextRange::new(start, end.max(start)),
                    },
                    anchor,
                )
            }
            Frame::Seq {
                start,
                anchor,
                items,
            } => {
                let end = items.last().map_or(close, |n| n.range.end);
                let end = if self.text.as_bytes().get(start) == Some(&b'[') {
                    close.max(end)
                } else {
                    end
                };
                (
                    Node {
                        kind: NodeKind::Sequence(items),
                        range: TextRange::new(start, end.max(start)),
                    },
                    anchor,
                )
            }
        }
    }

    fn check_duplicates(&mut self, entries: &[Entry]) {
        if entries.len() < 2 {
            return;
        }
        let mut seen: HashMap<&str, TextRange> = HashMap::with_capacity(entries.len());
        for e in entries {
            if let Some(k) = e.key.as_scalar()
                && let Some(first) = seen.insert(&k.value, e.key.range)
            {
                self.out.errors.push(YamlError::DuplicateKey {
                    key: k.value.clone(),
                    range: e.key.range,
                    first,
                });
            }
        }
    }

    /// Adds a finished node to its parent; `false` if the stream must stop.
    fn push(&mut self, node: Node) -> bool {
        match self.stack.last_mut() {
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                Some(k) => entries.push(Entry {
                    key: k,
                    value: node,
                }),
                None => *key = Some(node),
            },
            Some(Frame::Seq { items, .. }) => items.push(node),
            None => self.root = Some(node),
        }
        true
    }

    fn finish_document(&mut self, end: usize) {
        if !self.in_doc && self.root.is_none() {
            return;
        }
        // Close whatever is still open (after a syntax error) so the partial tree survives.
        while let Some(frame) = self.stack.pop() {
            let (node, _) = self.close(frame, end);
            self.push(node);
        }
        let start = self.doc_start.min(end);
        self.out.documents.push(Document {
            index: self.out.documents.len(),
            root: self.root.take(),
            range: TextRange::new(start, end),
        });
        self.in_doc = false;
    }
}

fn null_at(at: usize) -> Node {
    Node {
        kind: NodeKind::Scalar(Scalar {
            value: String::new(),
            style: ScalarStyle::Plain,
            tag: None,
        }),
        range: TextRange::empty(at),
    }
}

fn convert_style(style: SaphyrStyle) -> ScalarStyle {
    match style {
        SaphyrStyle::Plain => ScalarStyle::Plain,
        SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        SaphyrStyle::Literal => ScalarStyle::Literal,
        SaphyrStyle::Folded => ScalarStyle::Folded,
    }
}

fn count_nodes(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Scalar(_) => 1,
        NodeKind::Mapping(entries) => {
            1 + entries
                .iter()
                .map(|e| count_nodes(&e.key) + count_nodes(&e.value))
                .sum::<usize>()
        }
        NodeKind::Sequence(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
    }
}
