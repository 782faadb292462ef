// Registers kubeplay's offline service worker (web/sw.js) once the page has loaded, so the
// playground keeps working without a network after the first visit.
//
// The page's Content-Security-Policy enforces Trusted Types, and a service worker's script URL
// is a Trusted Types sink: the policy allows exactly one policy, "kubeplay-sw", and this file
// creates it first and lets it vouch for one URL only, the worker next to the page.
const SW = "./sw.js";

if ("serviceWorker" in navigator && (location.protocol === "https:" || location.protocol === "http:")) {
  const policy = globalThis.trustedTypes?.createPolicy("kubeplay-sw", {
    createScriptURL: (url) => {
      if (url !== SW) throw new TypeError(`kubeplay-sw: refusing ${url}`);
      return url;
    },
  });
  const url = policy ? policy.createScriptURL(SW) : SW;
  const register = () =>
    navigator.serviceWorker
      .register(url, { scope: "./" })
      .catch((e) => console.warn(`kubeplay: no offline copy (${e.message})`));
  if (document.readyState === "complete") register();
  else addEventListener("load", register, { once: true });
}
