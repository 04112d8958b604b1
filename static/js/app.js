// Musrenbang: small behaviours without inline scripts (the CSP forbids them).
(function () {
  "use strict";
  // Confirmation before irreversible steps: <form data-confirm="Anda yakin ...?">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  // Slow actions: <form data-busy="Sedang memfinalkan ..."> disables its button, shows a spinner
  // and the text, and refuses a second submission while the first is under way.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var text = form.getAttribute("data-busy");
    if (text === null) { return; }
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented) { return; }
    form.setAttribute("aria-busy", "true");
    var button = event.submitter || form.querySelector("[type=submit]");
    // After this turn: a button disabled now would leave its name out of the submitted data.
    window.setTimeout(function () {
      form.querySelectorAll("[type=submit]").forEach(function (b) { b.disabled = true; });
      if (!button) { return; }
      button.setAttribute("data-idle-label", button.textContent);
      var spinner = document.createElement("span");
      spinner.className = "spinner-border spinner-border-sm me-2";
      spinner.setAttribute("aria-hidden", "true");
      button.replaceChildren(spinner, document.createTextNode(text || "Sedang diproses..."));
    }, 0);
  });
  // A page shown again from the back/forward cache: the form can be used again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-busy][aria-busy=true]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      form.querySelectorAll("[type=submit]").forEach(function (b) {
        b.disabled = false;
        if (b.hasAttribute("data-idle-label")) { b.textContent = b.getAttribute("data-idle-label"); }
      });
    });
  });
  // Tabs that scroll sideways on a phone (.nav.overflow-auto): the current tab is on screen.
  document.querySelectorAll(".nav.overflow-auto").forEach(function (tabs) {
    var active = tabs.querySelector(".nav-link.active");
    if (!active || tabs.scrollWidth <= tabs.clientWidth) { return; }
    var box = tabs.getBoundingClientRect(), tab = active.getBoundingClientRect();
    tabs.scrollLeft += tab.left - box.left - (box.width - tab.width) / 2;
  });
  // Auto-submit filters: <select data-autosubmit>
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) { event.target.form.requestSubmit(); }
  });
  // Print buttons: <button data-print>
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
