// The presenter window, opened from the page's tour bar. It shows the page's step (N / M), its
// title, its caption as the page fills it, the notes, the next step and the numbers to quote,
// and steps the deck with the embed API's requests (docs/architecture.md#the-embed-api) posted to its opener
// from the page's own origin. The words come from the deck document, which the worker posts
// on the BroadcastChannel "ualign-presenter"; the live state is read from the page's own
// labelled readouts (same origin), so the page's wasm carries nothing for the presenter but
// its link. Keys: → ← PageDown PageUp.
"use strict";
(function () {
  const channel = new BroadcastChannel("ualign-presenter");
  let deck = null;
  let asked = 0;
  const $ = (id) => document.getElementById(id);
  // The text of the opener's element with this data-testid ("" when it is not shown).
  function read(testid) {
    try {
      const el = window.opener && window.opener.document.querySelector(`[data-testid="${testid}"]`);
      return el ? el.textContent.trim() : "";
    } catch (_) {
      return "";
    }
  }
  function show() {
    const counter = read("tour-step");
    const m = /^(\d+) \/ (\d+)$/.exec(counter);
    const n = m ? Number(m[1]) : 0;
    const step = n && deck && deck.steps.length === Number(m[2]) ? deck.steps[n - 1] : null;
    // A deck is shown but its document has not come (a get lost in a busy moment, or
    // another deck since): ask again, once a second.
    if (m && !step && Date.now() - asked > 1000) {
      asked = Date.now();
      ask("get");
    }
    $("count").textContent = m ? counter : "– / –";
    $("title").textContent = !window.opener
      ? "The page that opened this window is gone."
      : step ? step.title : m ? "Waiting for the deck…" : "No deck is shown on the page.";
    const question = read("tour-question");
    $("caption").textContent = question ? `Asking: ${question}` : read("tour-caption");
    $("notes").textContent = step ? step.notes || "" : "";
    const next = step ? deck.steps[n] : null;
    $("next").textContent = step ? (next ? next.title : "This is the last step.") : "";
    for (const id of ["win-rate-nlhf-exact", "win-rate-game-exact", "win-rate-nlhf", "win-rate-game", "bound"]) {
      $(id).textContent = read(id) || "–";
    }
    const k = read("k");
    $("run").textContent = k
      ? `${read("preset")}, k = ${k}; iteration ${read("iteration")}, ${read("status")}.`
      : "";
  }
  channel.onmessage = (e) => {
    try {
      const d = JSON.parse(e.data);
      if (d && d.ualign_deck === 1 && Array.isArray(d.steps)) deck = d;
    } catch (_) {
      return;
    }
    show();
  };
  function ask(method) {
    if (window.opener) window.opener.postMessage({ ualign: 1, method }, location.origin);
  }
  $("prev").onclick = () => ask("prev");
  $("next-step").onclick = () => ask("next");
  document.addEventListener("keydown", (e) => {
    if (e.key === "ArrowRight" || e.key === "PageDown") ask("next");
    else if (e.key === "ArrowLeft" || e.key === "PageUp") ask("prev");
    else return;
    e.preventDefault();
  });
  // The page answers by having the worker post the deck on the channel.
  asked = Date.now();
  ask("get");
  show();
  setInterval(show, 250);
})();
