// Kamus usulan: search-as-you-type in the proposal forms (no inline script: the CSP forbids it).
// Choosing an entry fills unit, bidang, OPD, prioritas/sasaran and proposes volume x unit price.
(function () {
  "use strict";
  var picker = document.querySelector(".kamus-picker");
  if (!picker) { return; }
  var form = picker.closest("form");
  var input = picker.querySelector("#kamus-cari");
  var list = picker.querySelector("#kamus-hasil");
  var info = picker.querySelector("#kamus-pilihan");
  var hidden = form.querySelector("input[name=kamus]");
  var field = function (name) { return form.querySelector("[name=" + name + "]"); };
  var chosen = null;
  var costTouched = false;
  var timer = null;
  var rupiah = function (n) { return "Rp " + Math.round(n).toLocaleString("id-ID"); };

  function proposeCost() {
    var volume = parseFloat((field("volume") || {}).value || "");
    if (!chosen || isNaN(volume)) { return; }
    var cost = Math.round(volume * chosen.unit_price);
    if (!costTouched && field("cost")) { field("cost").value = cost; }
    info.textContent = "Dipilih: " + chosen.name + " · " + chosen.unit + " @ " +
      chosen.unit_price_text + " → biaya usulan " + volume + " × " + chosen.unit_price_text +
      " = " + rupiah(cost) + (chosen.sub_activity ? " · Sub kegiatan " + chosen.sub_activity : "") +
      (chosen.agency_name ? " · " + chosen.agency_name : "");
  }

  function setIf(name, value) {
    var el = field(name);
    if (el && value !== null && value !== undefined && value !== "") { el.value = value; }
  }

  function choose(entry) {
    chosen = entry;
    hidden.value = entry.id;
    costTouched = false;
    setIf("unit", entry.unit);
    setIf("sector", entry.sector);
    setIf("suggested_agency", entry.agency);
    setIf("development_priority", entry.priority);
    setIf("regional_target", entry.target);
    list.replaceChildren();
    input.value = entry.name;
    info.textContent = "Dipilih: " + entry.name + " · " + entry.unit + " @ " + entry.unit_price_text;
    proposeCost();
  }

  function show(results) {
    list.replaceChildren();
    results.forEach(function (entry) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "list-group-item list-group-item-action";
      button.setAttribute("role", "option");
      var title = document.createElement("div");
      title.className = "fw-semibold";
      title.textContent = entry.name;
      var meta = document.createElement("div");
      meta.className = "small text-muted";
      meta.textContent = entry.unit + " @ " + entry.unit_price_text +
        (entry.agency_name ? " · " + entry.agency_name : "") +
        (entry.sub_activity ? " · " + entry.sub_activity : "");
      button.append(title, meta);
      button.addEventListener("click", function () { choose(entry); });
      list.append(button);
    });
    if (!results.length) {
      var none = document.createElement("div");
      none.className = "list-group-item text-muted small";
      none.textContent = "Tidak ada di kamus. Simpan sebagai usulan langsung (akan diverifikasi).";
      list.append(none);
    }
  }

  function search() {
    var url = picker.dataset.kamusUrl + "?tahun=" + encodeURIComponent(picker.dataset.kamusYear) +
      "&kab=" + encodeURIComponent(picker.dataset.kamusRegency) + "&q=" + encodeURIComponent(input.value);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { show(data.results || []); })
      .catch(function () { list.replaceChildren(); });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    if (input.value.trim().length < 2) { list.replaceChildren(); return; }
    timer = window.setTimeout(search, 200);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); search(); }
  });
  picker.querySelector("[data-kamus-clear]").addEventListener("click", function () {
    chosen = null;
    hidden.value = "";
    input.value = "";
    list.replaceChildren();
    info.textContent = "Usulan langsung (tanpa kamus): akan ditandai untuk verifikasi.";
  });
  if (field("volume")) { field("volume").addEventListener("input", proposeCost); }
  if (field("cost")) {
    field("cost").addEventListener("input", function () { costTouched = true; });
  }
})();
