// The two-stage start (crates/web/src/stage.rs). The first stage offers a handoff function
// and loads the second stage's module; the second stage takes the handoff while it starts.

export function offerHandoff(handoff) {
  globalThis.kubeplayStage = handoff;
}

// The first stage's text (or undefined); runs its handoff once.
export function takeHandoff() {
  const handoff = globalThis.kubeplayStage;
  globalThis.kubeplayStage = undefined;
  return typeof handoff === "function" ? handoff() : undefined;
}

// Parks the editor widget for the next stage (editor-shim.js) and returns its text.
export function parkEditor() {
  const handle = globalThis.kubeplayEditorHandle;
  return handle ? handle.park() : undefined;
}

// Imports and starts the whole playground (kubeplay-play.js, built next to index.html).
// Its exports replace the first stage's on `wasmBindings`; `data-stage="full"` on <html>
// says the page is complete.
export function loadFull(onFail) {
  import(new URL("kubeplay-play.js", document.baseURI).href)
    .then(async (mod) => {
      await mod.default();
      globalThis.wasmBindings = mod;
      document.documentElement.dataset.stage = "full";
    })
    .catch((err) => {
      console.warn("kubeplay: the playground could not be loaded", err);
      onFail(String(err && err.message ? err.message : err));
    });
}
