// seams site search: filters the tables, columns and contexts listed in
// index.js (window.SEAMS_INDEX) as you type. No network, no dependency;
// results are built with textContent, never as HTML.
(function () {
  "use strict";
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var index = window.SEAMS_INDEX || [];
  if (!input || !list) { return; }
  var root = document.body.getAttribute("data-root") || "";
  var max = 50;
  function render(q) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    q = q.trim().toLowerCase();
    if (q === "") { return; }
    var shown = 0;
    for (var i = 0; i < index.length && shown < max; i++) {
      var it = index[i];
      var match = it.n.toLowerCase().indexOf(q) >= 0 ? "" : null;
      if (match === null && it.c) {
        for (var j = 0; j < it.c.length; j++) {
          if (it.c[j].toLowerCase().indexOf(q) >= 0) { match = "column " + it.c[j]; break; }
        }
      }
      if (match === null) { continue; }
      var li = document.createElement("li");
      li.className = "result-" + it.k;
      var a = document.createElement("a");
      a.href = root + it.u;
      a.textContent = it.n;
      li.appendChild(a);
      var small = document.createElement("small");
      small.textContent = it.k + (it.x ? " · " + it.x : "") + (match ? " · " + match : "");
      li.appendChild(small);
      list.appendChild(li);
      shown++;
    }
    if (shown === 0) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "no match";
      list.appendChild(none);
    }
  }
  input.addEventListener("input", function () { render(input.value); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; render(""); }
    if (e.key === "Enter") {
      var first = list.querySelector("a");
      if (first) { window.location.href = first.href; }
    }
  });
})();
