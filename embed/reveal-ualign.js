// reveal-ualign.js: a reveal.js plugin that drives embedded ualign figures from the deck.
//
// Mark an iframe in a slide with the link fragment it opens, without `#`:
//
//   <section>
//     <iframe data-ualign="tour=2&embed=1" width="960" height="560"></iframe>
//     <span class="fragment"></span>   <!-- each fragment: the embedded deck's next step -->
//   </section>
//
// and register the plugin with the address of the app:
//
//   Reveal.initialize({ plugins: [RevealUalign], ualign: { app: "https://example.org/ualign/" } });
//
// The plugin loads a frame when its slide is shown (adding `origins=` with this deck's
// origin, so the app obeys it) and maps reveal.js events to the app's embed API
// (docs/architecture.md#the-embed-api): a fragment shown is `next`, a fragment hidden is `prev`, and a slide
// with `data-ualign-step="N"` on its frame goes to step N when it is shown. Requests wait for
// the frame's `ready`. The app's events are kept in `RevealUalign.events` and re-dispatched on
// `window` as `ualign` CustomEvents.
(function (root) {
  "use strict";
  var frames = function (slide) {
    return slide ? Array.prototype.slice.call(slide.querySelectorAll("iframe[data-ualign]")) : [];
  };
  var plugin = {
    id: "ualign",
    events: [],
    init: function (deck) {
      var options = deck.getConfig().ualign || {};
      var app = new URL(options.app || "http://127.0.0.1:8080/", root.location.href);
      // Requests for frames that have not said `ready` yet, by frame.
      var waiting = new Map();
      var post = function (frame, message) {
        if (frame.ualignReady) {
          frame.contentWindow.postMessage(message, app.origin);
        } else {
          if (!waiting.has(frame)) waiting.set(frame, []);
          waiting.get(frame).push(message);
        }
      };
      var send = function (slide, method, args) {
        frames(slide).forEach(function (frame) {
          var message = { ualign: 1, method: method };
          if (args) message.args = args;
          post(frame, message);
        });
      };
      var load = function (slide) {
        frames(slide).forEach(function (frame) {
          if (frame.src) return;
          var settings = frame.getAttribute("data-ualign").replace(/^#/, "").split("&").filter(function (s) {
            return s && !/^origins=/.test(s);
          });
          if (!settings.some(function (s) { return /^v=/.test(s); })) settings.unshift("v=1");
          // A deck opened from a file has an opaque origin, which the app never obeys.
          if (root.location.origin !== "null") settings.push("origins=" + root.location.origin);
          frame.ualignReady = false;
          frame.src = app.href.split("#")[0] + "#" + settings.join("&");
        });
      };
      root.addEventListener("message", function (e) {
        if (e.origin !== app.origin || !e.data || e.data.ualign !== 1) return;
        document.querySelectorAll("iframe[data-ualign]").forEach(function (frame) {
          if (frame.contentWindow === e.source && e.data.event === "ready") {
            frame.ualignReady = true;
            (waiting.get(frame) || []).forEach(function (m) { frame.contentWindow.postMessage(m, app.origin); });
            waiting.delete(frame);
          }
        });
        plugin.events.push(e.data);
        root.dispatchEvent(new CustomEvent("ualign", { detail: e.data }));
      });
      deck.on("ready", function (e) { load(e.currentSlide); });
      deck.on("slidechanged", function (e) {
        load(e.currentSlide);
        frames(e.currentSlide).forEach(function (frame) {
          var step = parseInt(frame.getAttribute("data-ualign-step"), 10);
          if (step > 0) post(frame, { ualign: 1, method: "goto", args: { step: step } });
        });
      });
      deck.on("fragmentshown", function () { send(deck.getCurrentSlide(), "next"); });
      deck.on("fragmenthidden", function () { send(deck.getCurrentSlide(), "prev"); });
    },
  };
  root.RevealUalign = plugin;
})(window);
