// Parley's page behaviour: small and dependency-free apart from htmx and (on actor pages) vega-embed.
// - article pages: a click on an extraction lights up its spans in the text, and a click on a
//   marked span lights up its extraction;
// - actor pages: draw each timeline chart; a click on a point or shift marker loads its evidence.
(function () {
  "use strict";

  function refsOf(el) {
    return (el.getAttribute("data-refs") || "").split(" ").filter(Boolean);
  }

  function focusRecord(ref) {
    document.querySelectorAll(".m.focus, .record.focus").forEach(function (el) {
      el.classList.remove("focus");
    });
    if (!ref) return;
    document.querySelectorAll(".m[data-refs]").forEach(function (el) {
      if (refsOf(el).indexOf(ref) >= 0) el.classList.add("focus");
    });
    var item = document.getElementById("x-" + ref);
    if (item) item.classList.add("focus");
  }

  function fromHash() {
    var ref = decodeURIComponent(window.location.hash.slice(1));
    if (ref) focusRecord(ref);
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var jump = target.closest("a[data-ref]");
    if (jump) {
      focusRecord(jump.getAttribute("data-ref"));
      return;
    }
    var mark = target.closest("#article-text .m[data-refs]");
    if (mark) {
      // The innermost record is listed last: a quote's statement over its sentence's event.
      var refs = refsOf(mark);
      var ref = refs[refs.length - 1];
      focusRecord(ref);
      var item = document.getElementById("x-" + ref);
      if (item) item.scrollIntoView({ block: "nearest" });
    }
  });
  window.addEventListener("hashchange", fromHash);

  function drawCharts(root) {
    if (typeof window.vegaEmbed !== "function") return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.getAttribute("data-drawn")) return;
      el.setAttribute("data-drawn", "pending");
      var source = document.getElementById(el.getAttribute("data-chart"));
      var spec = JSON.parse(source.textContent);
      window
        .vegaEmbed(el, spec, {
          actions: false,
          renderer: "svg",
          defaultStyle: false,
          // Evaluate Vega expressions without new Function: the page policy forbids eval.
          ast: true,
          expr: window.vega.expressionInterpreter,
        })
        .then(function (result) {
          el.setAttribute("data-drawn", "yes");
          result.view.addEventListener("click", function (_event, item) {
            var url = item && item.datum && item.datum.evidence;
            if (url) window.htmx.ajax("GET", url, { target: "#evidence", swap: "innerHTML" });
          });
        })
        .catch(function (error) {
          el.setAttribute("data-drawn", "failed");
          el.textContent = "The chart could not be drawn: " + error.message;
          console.error(error);
        });
    });
  }

  function ready() {
    fromHash();
    drawCharts(document);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
