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
    // The page's second stage adopts the widget the first stage parked (stage.js): same
    // text, cursor, undo history; only the app's callbacks change.
    const parked = globalThis.kubeplayParkedEditor;
    if (parked) {
      globalThis.kubeplayParkedEditor = undefined;
      parked.adopt(parent, text, onChange, dark, onReady);
      return parked;
    }
    this.inner = null;
    this.pending = { diagnostics: null, dark, select: null, text: null };
    // The app's callbacks, through fields so that a later stage can replace them.
    this.onChange = onChange;
    this.onReady = onReady;
    // Set by setSchema; the editor asks through this bridge, so the order does not matter.
    this.schema = null;
    const ask = (name, fallback) => (text, offset) => (this.schema ? this.schema[name](text, offset) : fallback);
    this.schemaBridge = { hover: ask("hover", null), complete: ask("complete", []) };
    // The widget lives in its own element, which moves as a whole when a stage adopts it.
    this.root = document.createElement("div");
    this.root.className = "editor-root";
    parent.append(this.root);
    globalThis.kubeplayEditorHandle = this;
    this.mount(text, dark);
  }

  async mount(text, dark) {
    const parent = this.root;
    const onChange = (t) => {
      this.edited = true;
      this.onChange(t);
    };
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
    this.onReady(inner.kind);
  }

  // The first stage is leaving: detach the widget, drop its callbacks (they die with it) and
  // keep the widget for the next stage. Returns the text if the learner changed it (else
  // undefined: the next stage restores the same session itself).
  park() {
    this.hadFocus = this.root.contains(document.activeElement);
    this.root.remove();
    this.onChange = () => {};
    this.onReady = () => {};
    this.schema = null;
    globalThis.kubeplayParkedEditor = this;
    return this.inner && this.edited ? this.inner.getText() : undefined;
  }

  adopt(parent, text, onChange, dark, onReady) {
    this.onChange = onChange;
    this.onReady = onReady;
    parent.append(this.root);
    this.setTheme(dark);
    if (!this.inner) return; // mount() calls onReady when the widget is up
    // The same text unless the new stage refused the share link the first stage showed (it
    // restores the learner's own work instead); a parked widget is out of the page, so no
    // keystroke can land between park and adopt.
    if (this.inner.getText() !== text) this.inner.setText(text);
    if (this.inner.view) this.inner.view.requestMeasure();
    if (this.hadFocus) this.inner.focus();
    onReady(this.inner.kind);
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
