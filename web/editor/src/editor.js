// The kubeplay code editor: CodeMirror 6 with YAML, line numbers, history, search and lint.
// Bundled by esbuild into web/editor/dist/editor.js and loaded at runtime by web/editor-shim.js,
// which is the only caller. Diagnostics arrive already positioned in UTF-16 code units.
import { EditorState, EditorSelection, Compartment } from "@codemirror/state";
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  drawSelection,
  hoverTooltip,
} from "@codemirror/view";
import { autocompletion } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  syntaxHighlighting,
  defaultHighlightStyle,
  HighlightStyle,
  indentOnInput,
  bracketMatching,
} from "@codemirror/language";
import { yaml } from "@codemirror/lang-yaml";
import { linter, setDiagnostics, lintGutter, lintKeymap } from "@codemirror/lint";
import { search, searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { tags as t } from "@lezer/highlight";

const darkHighlight = HighlightStyle.define([
  { tag: [t.keyword, t.bool, t.null], color: "#c792ea" },
  { tag: [t.propertyName, t.definition(t.propertyName)], color: "#82aaff" },
  { tag: [t.string, t.special(t.string)], color: "#c3e88d" },
  { tag: [t.number], color: "#f78c6c" },
  { tag: [t.comment, t.lineComment], color: "#7f8ea3", fontStyle: "italic" },
  { tag: [t.meta, t.processingInstruction, t.typeName, t.labelName], color: "#ffcb6b" },
  { tag: [t.punctuation, t.separator, t.squareBracket, t.brace], color: "#a6accd" },
]);

const RANK = { error: 0, warning: 1, info: 2, hint: 3 };

function themeFor(dark) {
  const base = EditorView.theme(
    {
      "&": { height: "100%", color: "var(--fg)", backgroundColor: "var(--editor-bg)" },
      ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.5" },
      ".cm-content": { caretColor: "var(--fg)" },
      ".cm-gutters": {
        backgroundColor: "var(--gutter-bg)",
        color: "var(--muted)",
        borderRight: "1px solid var(--border)",
      },
      ".cm-activeLine": { backgroundColor: "var(--active-line)" },
      ".cm-activeLineGutter": { backgroundColor: "var(--active-line)", color: "var(--fg)" },
      "&.cm-focused .cm-cursor": { borderLeftColor: "var(--fg)" },
      "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
        backgroundColor: "var(--selection)",
      },
      ".cm-tooltip": {
        backgroundColor: "var(--panel-bg)",
        color: "var(--fg)",
        border: "1px solid var(--border)",
      },
      ".cm-panels": { backgroundColor: "var(--panel-bg)", color: "var(--fg)" },
    },
    { dark },
  );
  return [base, syntaxHighlighting(dark ? darkHighlight : defaultHighlightStyle, { fallback: true })];
}

// `code` spans in rule text become <code> elements; everything stays a text node.
function appendWithCode(parent, text) {
  text.split("`").forEach((part, i) => {
    if (!part) return;
    if (i % 2 === 1) {
      const c = document.createElement("code");
      c.textContent = part;
      parent.append(c);
    } else {
      parent.append(document.createTextNode(part));
    }
  });
}

// Hover/lint tooltip content: built with textContent only, so pasted text is never HTML.
function renderDiagnostic(d) {
  const root = document.createElement("div");
  root.className = "kp-tip";
  const head = document.createElement("div");
  head.className = "kp-tip-head";
  const sev = document.createElement("span");
  sev.className = "kp-sev kp-sev-" + d.severity;
  sev.textContent = d.severityLabel;
  const code = document.createElement("code");
  code.textContent = d.code;
  head.append(sev, " ", code);
  root.append(head);
  const add = (cls, text, label) => {
    if (!text) return;
    const p = document.createElement("p");
    p.className = cls;
    if (label) {
      const b = document.createElement("strong");
      b.textContent = label + " ";
      p.append(b);
    }
    appendWithCode(p, text);
    root.append(p);
  };
  add("kp-tip-msg", d.message);
  add("kp-tip-why", d.explanation, "Why:");
  add("kp-tip-fix", d.help, "Fix:");
  if (d.docs) {
    const a = document.createElement("a");
    a.textContent = "Kubernetes docs";
    a.href = d.docs;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    root.append(a);
  }
  return root;
}

// Schema hover for a field name: path, type, enum values, description, as text nodes only.
function renderField(f) {
  const root = document.createElement("div");
  root.className = "kp-tip kp-field";
  const head = document.createElement("div");
  head.className = "kp-tip-head";
  const path = document.createElement("code");
  path.textContent = f.path;
  const type = document.createElement("span");
  type.className = "kp-field-type";
  type.textContent = f.type;
  head.append(path, " ", type);
  if (f.required) {
    const req = document.createElement("span");
    req.className = "kp-field-required";
    req.textContent = "required";
    head.append(" ", req);
  }
  root.append(head);
  if (f.values && f.values.length) {
    const p = document.createElement("p");
    p.className = "kp-field-values";
    p.textContent = "One of: " + f.values.join(", ");
    root.append(p);
  }
  if (f.description) {
    const p = document.createElement("p");
    p.className = "kp-tip-msg";
    p.textContent = f.description;
    root.append(p);
  }
  return root;
}

// Field-name hover and completion from the schema in Rust (`schema.hover(text, offset)`,
// `schema.complete(text, offset)`, offsets in UTF-16 units); nothing when they are absent.
function schemaExtensions(schema) {
  if (!schema) return [];
  const hover = hoverTooltip((view, pos) => {
    const line = view.state.doc.lineAt(pos);
    const text = line.text;
    let a = pos - line.from;
    let b = a;
    const word = /[\w.\/-]/;
    while (a > 0 && word.test(text[a - 1])) a--;
    while (b < text.length && word.test(text[b])) b++;
    if (a === b) return null;
    const field = schema.hover(view.state.doc.toString(), pos);
    if (!field) return null;
    return { pos: line.from + a, end: line.from + b, above: true, create: () => ({ dom: renderField(field) }) };
  });
  const source = (context) => {
    const word = context.matchBefore(/[\w.\/-]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const list = schema.complete(context.state.doc.toString(), context.pos);
    if (!list || !list.length) return null;
    return {
      from: word.from,
      validFor: /^[\w.\/-]*$/,
      options: list.map((f) => ({
        label: f.name,
        type: "property",
        detail: f.required ? f.type + " (required)" : f.type,
        info: f.description || undefined,
      })),
    };
  };
  return [hover, autocompletion({ override: [source], icons: false })];
}

// CodeMirror injects its styles as one <style> element; the page's Content-Security-Policy
// (written by scripts/csp.mjs) allows it by a nonce rather than 'unsafe-inline'.
function styleNonce() {
  const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  const m = meta && /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(meta.content);
  return m ? m[1] : "";
}

export function createCodeMirror(parent, text, onChange, dark, schema) {
  const theme = new Compartment();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        search({ top: true }),
        yaml(),
        schemaExtensions(schema),
        // Diagnostics come from Rust (setDiagnostics); this only orders tooltips worst first.
        linter(null, { tooltipFilter: (list) => list.slice().sort((a, b) => RANK[a.severity] - RANK[b.severity]) }),
        lintGutter({ tooltipFilter: (list) => list.slice().sort((a, b) => RANK[a.severity] - RANK[b.severity]) }),
        EditorView.cspNonce.of(styleNonce()),
        EditorState.tabSize.of(2),
        theme.of(themeFor(dark)),
        keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, ...lintKeymap, indentWithTab]),
        // tabindex: the content is focusable already (contenteditable); saying so lets
        // checkers such as axe see that its scrolling container is keyboard-reachable.
        EditorView.contentAttributes.of({ "aria-label": "Kubernetes manifest (YAML)", tabindex: "0" }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  const clamp = (n) => Math.max(0, Math.min(n, view.state.doc.length));
  // The fix was computed for the text as analysed; CodeMirror maps the diagnostic through
  // later edits, so apply the fix at the same distance from where the diagnostic is now.
  const fixAction = (d) => ({
    name: d.fix.title,
    apply(v, from) {
      const delta = from - d.from;
      const a = clamp(d.fix.from + delta);
      const b = Math.max(a, clamp(d.fix.to + delta));
      v.dispatch({ changes: { from: a, to: b, insert: d.fix.insert }, userEvent: "input.fix" });
      v.focus();
    },
  });
  return {
    kind: "codemirror",
    view,
    getText: () => view.state.doc.toString(),
    setText(next) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
    },
    setDiagnostics(list) {
      const diagnostics = list.map((d) => {
        const from = clamp(d.from);
        const to = Math.max(from, clamp(d.to));
        return {
          from,
          to,
          severity: d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "info",
          message: d.message,
          renderMessage: () => renderDiagnostic(d),
          actions: d.fix ? [fixAction(d)] : undefined,
        };
      });
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    select(from, to) {
      const a = clamp(from);
      const b = Math.max(a, clamp(to));
      view.dispatch({
        selection: EditorSelection.range(a, b),
        effects: EditorView.scrollIntoView(a, { y: "center" }),
      });
      view.focus();
    },
    setTheme(isDark) {
      view.dispatch({ effects: theme.reconfigure(themeFor(isDark)) });
    },
    focus: () => view.focus(),
  };
}
