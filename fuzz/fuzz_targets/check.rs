//! The properties every fuzz target asserts on an analysis.

use kubeplay_core::Analysis;

/// Every span and edit lies inside the text, on character boundaries, in order.
pub fn spans_inside(text: &str, a: &Analysis) {
    for d in &a.diagnostics {
        for loc in [d.span.start, d.span.end] {
            assert!(loc.offset <= text.len() && text.is_char_boundary(loc.offset), "{d:?}");
            assert!(loc.line >= 1 && loc.column >= 1, "{d:?}");
        }
        assert!(d.span.start.offset <= d.span.end.offset, "{d:?}");
        if let Some(e) = &d.edit {
            assert!(e.start <= e.end && e.end <= text.len(), "{e:?}");
            assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end), "{e:?}");
        }
    }
}
