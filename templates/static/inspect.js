// The inspection form: the ISO 2859-1 sample shown as the lot size is typed, and one submission
// per page (the form also carries an idempotency key, so a resubmission creates nothing new).
(function () {
  "use strict";
  var form = document.getElementById("inspection");
  if (!form) { return; }
  var lot = document.getElementById("lot_size");
  var out = document.getElementById("sample");
  var timer = null;
  function show() {
    var size = parseInt(lot.value, 10);
    if (!(size >= 1)) { return; }
    var url = "/inspect/sample.json?standard=" + encodeURIComponent(form.dataset.standard) + "&lot=" + size;
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (plan) {
        if (!plan || String(plan.lot_size) !== String(parseInt(lot.value, 10))) { return; }
        out.textContent = out.dataset.template
          .replace("{n}", plan.pieces_to_inspect)
          .replace("{major}", plan.major.accept)
          .replace("{minor}", plan.minor.accept);
      }).catch(function () { /* offline: the form still works */ });
  }
  lot.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(show, 150); });
  if (lot.value) { show(); }
  form.addEventListener("submit", function () {
    var button = document.getElementById("submit");
    setTimeout(function () { button.disabled = true; }, 0);
  });
})();
