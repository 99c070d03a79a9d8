// seams site: filters the lists of findings and steps by context, kind and
// severity, opens and closes all their sections, and opens the sections
// around the element a link points at. No network, no dependency; it only
// hides, shows, opens and closes what the page holds.
(function () {
  "use strict";

  // matches says whether a list item passes the filter's choices.
  function matches(item, choice) {
    if (choice.contexts) {
      var ctxs = [];
      try { ctxs = JSON.parse(item.getAttribute("data-contexts") || "[]"); } catch (e) { ctxs = []; }
      if (ctxs.indexOf(choice.contexts) < 0) { return false; }
    }
    if (choice.kind && item.getAttribute("data-kind") !== choice.kind) { return false; }
    if (choice.severity && item.getAttribute("data-severity") !== choice.severity) { return false; }
    return true;
  }

  function setup(bar) {
    var target = document.getElementById(bar.getAttribute("data-target"));
    if (!target) { return; }
    var selects = bar.querySelectorAll("select[data-key]");
    var count = bar.querySelector(".filter-count");
    var items = target.querySelectorAll(".fitem");
    var sections = target.querySelectorAll("details.sev");
    function apply() {
      var choice = {};
      for (var i = 0; i < selects.length; i++) {
        choice[selects[i].getAttribute("data-key")] = selects[i].value;
      }
      var shown = 0, findings = 0;
      for (var j = 0; j < items.length; j++) {
        var ok = matches(items[j], choice);
        items[j].hidden = !ok;
        if (ok) {
          shown++;
          findings += parseInt(items[j].getAttribute("data-count") || "0", 10);
        }
      }
      // A section of one severity shows only while it holds an item shown.
      for (var k = 0; k < sections.length; k++) {
        sections[k].hidden = sections[k].querySelector(".fitem:not([hidden])") === null;
      }
      if (count) {
        count.textContent = shown + " of " + items.length + " shown" + (findings ? " (" + findings + " findings)" : "");
      }
    }
    for (var i = 0; i < selects.length; i++) {
      selects[i].addEventListener("change", apply);
    }
    apply();
  }

  function toggleAll(button, open) {
    var target = document.getElementById(button.getAttribute(open ? "data-open" : "data-close"));
    if (!target) { return; }
    var all = target.querySelectorAll("details");
    for (var i = 0; i < all.length; i++) {
      // Closing leaves the sections of one severity open: their groups
      // are what is closed.
      if (!open && all[i].classList.contains("sev")) { continue; }
      all[i].open = open;
    }
  }

  // reveal opens every details element around the element the URL's
  // fragment names, so that a link to a finding or a step shows it.
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) { return; }
    var el = document.getElementById(id);
    if (!el) { return; }
    for (var p = el; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") { p.open = true; }
      if (p.hidden) { p.hidden = false; }
    }
    el.scrollIntoView();
  }

  var bars = document.querySelectorAll(".filters[data-target]");
  for (var i = 0; i < bars.length; i++) { setup(bars[i]); }
  var opens = document.querySelectorAll("button[data-open]");
  for (var j = 0; j < opens.length; j++) {
    opens[j].addEventListener("click", function (e) { toggleAll(e.currentTarget, true); });
  }
  var closes = document.querySelectorAll("button[data-close]");
  for (var k = 0; k < closes.length; k++) {
    closes[k].addEventListener("click", function (e) { toggleAll(e.currentTarget, false); });
  }
  window.addEventListener("hashchange", reveal);
  reveal();
}());
