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
  // Auto-submit filters: <select data-autosubmit>
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) { event.target.form.requestSubmit(); }
  });
  // Print buttons: <button data-print>
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
