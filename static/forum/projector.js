// Projector countdown: counts down from data-remaining (seconds) on [data-countdown].
// The body is swapped by htmx every few seconds; each swap brings a fresh server value.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function format(seconds) {
    var sign = seconds < 0 ? "-" : "";
    var s = Math.abs(seconds);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), rest = s % 60;
    return sign + (h ? h + ":" + pad(m) : m) + ":" + pad(rest);
  }
  function arm() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var value = parseInt(el.getAttribute("data-remaining"), 10);
      if (isNaN(value)) { return; }
      el.dataset.deadline = String(Date.now() + value * 1000);
    });
  }
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var deadline = parseInt(el.dataset.deadline, 10);
      if (isNaN(deadline)) { return; }
      var left = Math.round((deadline - Date.now()) / 1000);
      el.textContent = format(left);
      el.classList.toggle("over", left < 0);
    });
  }
  // The poll sends the ETag of the body it shows; the server answers 304 while the forum did
  // not change, and the body (with its running countdown) stays as it is.
  document.addEventListener("htmx:configRequest", function (evt) {
    var tag = evt.detail.elt.dataset.etag;
    if (evt.detail.elt.id === "layar" && tag) { evt.detail.headers["If-None-Match"] = tag; }
  });
  document.addEventListener("htmx:beforeSwap", function (evt) {
    if (evt.detail.elt.id !== "layar") { return; }
    var xhr = evt.detail.xhr;
    // A 304 may carry a renewed tag (after the server checked the permission again): keep it.
    var tag = xhr.getResponseHeader("ETag");
    if (tag) { evt.detail.elt.dataset.etag = tag; }
    if (xhr.status === 304) { evt.detail.shouldSwap = false; evt.detail.isError = false; }
  });
  document.addEventListener("DOMContentLoaded", function () { arm(); tick(); });
  document.addEventListener("htmx:afterSwap", function () { arm(); tick(); });
  setInterval(tick, 1000);
})();
