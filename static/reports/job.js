// Waiting page of a document made by the worker (/dokumen/tugas/<id>/): poll the job's state
// every 1.5 s, move the progress bar, and reload the page once the job is done or failed so
// that the server shows the download link or the error. Without JavaScript a
// <noscript> meta refresh reloads the page instead.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var state = box.getAttribute("data-state");
  if (state !== "antre" && state !== "berjalan") { return; }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("[data-job-bar]");
  var percent = box.querySelector("[data-job-percent]");
  var step = box.querySelector("[data-job-step]");
  var label = box.querySelector("[data-job-state]");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (job) {
        if (job.finished) { window.location.reload(); return; }
        if (bar) { bar.value = job.progress; bar.textContent = job.progress + "%"; }
        if (percent) { percent.textContent = job.progress + "%"; }
        if (step && job.step) { step.textContent = job.step; }
        if (label) { label.textContent = job.state_label; }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
