// Bridge between the Rust app and the code editor. The CodeMirror bundle (editor.js, next to
// index.html) is imported at runtime; if it cannot be loaded the app falls back to a plain
// <textarea> with the same interface, so the playground keeps working without it.
// Every call before the editor is ready is remembered and replayed once it is.

function createTextarea(parent, text, onChange) {
  const area = document.createElement("textarea");
  area.className = "kp-fallback";
  area.value = text;
  area.spellcheck = false;
  area.setAttribute("aria-label", "Kubernetes manifest (YAML)");
  area.setAttribute("autocapitalize", "off");
  area.setAttribute("autocomplete", "off");
  area.addEventListener("input", () => onChange(area.value));
  parent.append(area);
  // Setting .value leaves the caret at the end; start at the top like the code editor.
  area.setSelectionRange(0, 0);
  const clamp = (n) => Math.max(0, Math.min(n, area.value.length));
  return {
    kind: "textarea",
    getText: () => area.value,
    setText(next) {
      area.value = next;
      onChange(next);
    },
    setDiagnostics() {},
    select(from, to) {
      const a = clamp(from);
      const b = Math.max(a, clamp(to));
      area.focus();
      area.setSelectionRange(a, b);
      const line = area.value.slice(0, a).split("\n").length - 1;
      const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 20;
      area.scrollTop = Math.max(0, line * lineHeight - area.clientHeight / 2);
    },
    setTheme() {},
    focus: () => area.focus(),
  };
}

export class EditorHandle {
  constructor(parent, text, onChange, dark, onReady) {
    this.inner = null;
    this.pending = { diagnostics: null, dark, select: null, text: null };
    // Set by setSchema; the editor asks through this bridge, so the order does not matter.
    this.schema = null;
    const ask = (name, fallback) => (text, offset) => (this.schema ? this.schema[name](text, offset) : fallback);
    this.schemaBridge = { hover: ask("hover", null), complete: ask("complete", []) };
    this.mount(parent, text, onChange, dark, onReady);
  }

  async mount(parent, text, onChange, dark, onReady) {
    let inner;
    try {
      const mod = await import(new URL("editor.js", document.baseURI).href);
      inner = mod.createCodeMirror(parent, text, onChange, dark, this.schemaBridge);
    } catch (err) {
      console.warn("kubeplay: code editor unavailable, using a plain text area", err);
      parent.replaceChildren();
      inner = createTextarea(parent, text, onChange);
    }
    this.inner = inner;
    globalThis.kubeplayEditor = inner;
    const p = this.pending;
    if (p.text !== null) inner.setText(p.text);
    if (p.dark !== dark) inner.setTheme(p.dark);
    if (p.diagnostics) inner.setDiagnostics(p.diagnostics);
    if (p.select) inner.select(p.select[0], p.select[1]);
    onReady(inner.kind);
  }

  setDiagnostics(list) {
    if (this.inner) this.inner.setDiagnostics(list);
    else this.pending.diagnostics = list;
  }

  // hover(text, offsetUtf16) -> field or null; complete(text, offsetUtf16) -> [field].
  setSchema(hover, complete) {
    this.schema = { hover, complete };
  }

  setText(text) {
    if (this.inner) this.inner.setText(text);
    else this.pending.text = text;
  }

  select(from, to) {
    if (this.inner) this.inner.select(from, to);
    else this.pending.select = [from, to];
  }

  setTheme(dark) {
    if (this.inner) this.inner.setTheme(dark);
    else this.pending.dark = dark;
  }

  getText() {
    return this.inner ? this.inner.getText() : null;
  }
}
