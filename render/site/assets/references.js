// seams site: filters the references page by minimum score. No network;
// it only hides and shows rows.
(function () {
  "use strict";
  var input = document.getElementById("min-score");
  var out = document.getElementById("min-score-value");
  var count = document.getElementById("shown-count");
  var table = document.getElementById("references");
  if (!input || !table) { return; }
  function apply() {
    var min = parseFloat(input.value);
    var rows = table.querySelectorAll("tr[data-score]");
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var ok = parseFloat(rows[i].getAttribute("data-score")) >= min - 1e-9;
      rows[i].hidden = !ok;
      if (ok) { shown++; }
    }
    out.textContent = min.toFixed(2);
    count.textContent = shown + " of " + rows.length + " shown";
  }
  input.addEventListener("input", apply);
  apply();
}());
