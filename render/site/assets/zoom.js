// seams site: zoom and pan for the large diagrams (those marked
// data-zoom), opening on the context's own tables (data-focus), and on the
// context map, pointing at a context shows its dependencies and their
// weights. Plain DOM and SVG, no network, no dependency: the diagram's
// viewBox is what moves.
(function () {
  "use strict";
  // Graphviz draws in points; a point is 4/3 of a CSS pixel.
  var NATURAL = 4 / 3;
  // The smallest scale at which a table's name (10 points) reads.
  var READABLE = NATURAL * 0.6;

  function titleOf(g) {
    var t = g.querySelector("title");
    return t ? t.textContent : "";
  }

  function setup(box) {
    var svg = box.querySelector("svg");
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) { return; }
    var b = svg.viewBox.baseVal;
    var full = { x: b.x, y: b.y, w: b.width, h: b.height };
    // Where the focus is, in the diagram's units, measured before the
    // diagram is resized.
    var focus = focusBox(svg, box.getAttribute("data-focus"));
    box.classList.add("zooming");
    box.setAttribute("tabindex", "0");
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    var view = { x: full.x, y: full.y, w: full.w, h: full.h };

    function size() {
      var r = box.getBoundingClientRect();
      return { w: Math.max(r.width, 1), h: Math.max(r.height, 1) };
    }
    // set shows the rectangle v, widened to the box's proportions so that
    // a point keeps its place under the pointer while zooming.
    function set(v) {
      var s = size(), ratio = s.w / s.h;
      if (v.w / v.h < ratio) {
        var w = v.h * ratio;
        v = { x: v.x - (w - v.w) / 2, y: v.y, w: w, h: v.h };
      } else {
        var h = v.w / ratio;
        v = { x: v.x, y: v.y - (h - v.h) / 2, w: v.w, h: h };
      }
      view = v;
      svg.setAttribute("viewBox", v.x + " " + v.y + " " + v.w + " " + v.h);
      box.setAttribute("data-scale", (s.w / v.w).toFixed(3));
    }
    function scale() { return size().w / view.w; }
    // around shows the rectangle r at the given scale, centred on it.
    function around(r, sc) {
      var s = size();
      var w = s.w / sc, h = s.h / sc;
      set({ x: r.x + r.w / 2 - w / 2, y: r.y + r.h / 2 - h / 2, w: w, h: h });
    }
    function fitScale(r) {
      var s = size();
      return Math.min(s.w / r.w, s.h / r.h) * 0.95;
    }
    function zoom(f, cx, cy) {
      var fit = fitScale(full);
      var sc = Math.min(Math.max(scale() * f, Math.min(fit, NATURAL) / 2), NATURAL * 8);
      f = sc / scale();
      set({ x: cx - (cx - view.x) / f, y: cy - (cy - view.y) / f, w: view.w / f, h: view.h / f });
    }
    function centre() { return { x: view.x + view.w / 2, y: view.y + view.h / 2 }; }
    function home() {
      if (focus) {
        // The focus whole, at most at natural size; a focus too large
        // to read whole opens at a readable size on its top left corner.
        var fs = fitScale(focus);
        if (fs >= READABLE) {
          around(focus, Math.min(fs, NATURAL));
          return;
        }
        var s = size();
        set({ x: focus.x, y: focus.y, w: s.w / READABLE, h: s.h / READABLE });
        return;
      }
      // Whole if that leaves the text readable, else at a readable size,
      // centred.
      around(full, Math.min(NATURAL, Math.max(fitScale(full), NATURAL * 0.6)));
    }

    // The buttons.
    var bar = document.createElement("div");
    bar.className = "zoom-controls";
    function button(label, title, fn) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = label;
      btn.title = title;
      btn.setAttribute("aria-label", title);
      btn.addEventListener("click", function (e) { e.preventDefault(); fn(); });
      bar.appendChild(btn);
      return btn;
    }
    button("+", "Zoom in", function () { var c = centre(); zoom(1.4, c.x, c.y); });
    button("\u2212", "Zoom out", function () { var c = centre(); zoom(1 / 1.4, c.x, c.y); });
    button("Fit", "Show the whole diagram", function () { around(full, fitScale(full)); });
    if (focus) { button("Focus", "Back to this context's tables", home); }
    box.appendChild(bar);

    function toSVG(clientX, clientY) {
      var r = box.getBoundingClientRect();
      return { x: view.x + (clientX - r.left) / r.width * view.w, y: view.y + (clientY - r.top) / r.height * view.h };
    }
    box.addEventListener("wheel", function (e) {
      if (!e.ctrlKey && !e.metaKey) { return; } // the page scrolls
      e.preventDefault();
      var p = toSVG(e.clientX, e.clientY);
      zoom(Math.pow(1.0015, -e.deltaY), p.x, p.y);
    }, { passive: false });
    box.addEventListener("keydown", function (e) {
      var c = centre();
      if (e.key === "+" || e.key === "=") { zoom(1.4, c.x, c.y); } else if (e.key === "-") { zoom(1 / 1.4, c.x, c.y); } else { return; }
      e.preventDefault();
    });
    // Drag to pan; a drag does not follow the link it started on.
    var drag = null, moved = false;
    box.addEventListener("pointerdown", function (e) {
      if (e.button !== 0 || bar.contains(e.target)) { return; }
      drag = { x: e.clientX, y: e.clientY, view: view };
      moved = false;
    });
    window.addEventListener("pointermove", function (e) {
      if (!drag) { return; }
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!moved && Math.abs(dx) + Math.abs(dy) < 4) { return; }
      moved = true;
      box.classList.add("dragging");
      var r = box.getBoundingClientRect();
      set({ x: drag.view.x - dx / r.width * drag.view.w, y: drag.view.y - dy / r.height * drag.view.h, w: drag.view.w, h: drag.view.h });
    });
    window.addEventListener("pointerup", function () {
      drag = null;
      box.classList.remove("dragging");
    });
    box.addEventListener("click", function (e) {
      if (moved) { e.preventDefault(); e.stopPropagation(); moved = false; }
    }, true);
    home();
  }

  // focusBox is the rectangle, in the diagram's units, of the cluster
  // titled name (a context's tables) or of the element with that id.
  function focusBox(svg, name) {
    if (!name) { return null; }
    var el = null;
    var clusters = svg.querySelectorAll("g.cluster");
    for (var i = 0; i < clusters.length && !el; i++) {
      if (titleOf(clusters[i]) === name) { el = clusters[i]; }
    }
    if (!el) {
      var all = svg.querySelectorAll("g[id]");
      for (var j = 0; j < all.length && !el; j++) {
        if (all[j].id === name) { el = all[j]; }
      }
    }
    if (!el) { return null; }
    var m = svg.getScreenCTM(), r = el.getBoundingClientRect();
    if (!m || !r.width) { return null; }
    var inv = m.inverse();
    var p = svg.createSVGPoint();
    p.x = r.left; p.y = r.top;
    var a = p.matrixTransform(inv);
    p.x = r.right; p.y = r.bottom;
    var c = p.matrixTransform(inv);
    var pad = 12;
    return { x: a.x - pad, y: a.y - pad, w: c.x - a.x + 2 * pad, h: c.y - a.y + 2 * pad };
  }

  // mapHover lights a context's edges on the context map and says its
  // dependencies, with the weights of the coupling matrix.
  function mapHover(box) {
    var svg = box.querySelector("svg");
    var info = null;
    for (var s = box.nextElementSibling; s && !info; s = s.nextElementSibling) {
      if (s.classList.contains("map-info")) { info = s; }
    }
    var weights = {};
    var cells = document.querySelectorAll("td[data-from][data-to]");
    for (var i = 0; i < cells.length; i++) {
      weights[cells[i].getAttribute("data-from") + "\u0000" + cells[i].getAttribute("data-to")] = cells[i].getAttribute("data-weight");
    }
    var nodes = {};
    var ns = svg.querySelectorAll("g.node");
    for (var j = 0; j < ns.length; j++) { nodes[titleOf(ns[j])] = ns[j]; }
    var edges = [];
    var es = svg.querySelectorAll("g.edge");
    for (var k = 0; k < es.length; k++) {
      var t = titleOf(es[k]);
      for (var name in nodes) {
        if (t.indexOf(name + "->") === 0 && nodes[t.slice(name.length + 2)]) {
          edges.push({ el: es[k], from: name, to: t.slice(name.length + 2) });
          break;
        }
      }
    }
    function describe(name) {
      var out = [], inn = [];
      for (var i = 0; i < edges.length; i++) {
        var e = edges[i], w = weights[e.from + "\u0000" + e.to];
        if (!w) { continue; }
        if (e.from === name) { out.push(e.to + " (" + w + ")"); }
        if (e.to === name) { inn.push(e.from + " (" + w + ")"); }
      }
      return name + " depends on " + (out.length ? out.join(", ") : "no context") +
        "; " + (inn.length ? inn.join(", ") : "no context") + " depend" + (inn.length === 1 ? "s" : "") + " on it.";
    }
    function light(name, on) {
      box.classList.toggle("hl", on);
      nodes[name].classList.toggle("on", on);
      for (var i = 0; i < edges.length; i++) {
        var e = edges[i];
        if (e.from === name || e.to === name) {
          e.el.classList.toggle("on", on);
          nodes[e.from === name ? e.to : e.from].classList.toggle("on", on);
        }
      }
      if (info) { info.textContent = on ? describe(name) : ""; }
    }
    Object.keys(nodes).forEach(function (name) {
      nodes[name].addEventListener("mouseenter", function () { light(name, true); });
      nodes[name].addEventListener("mouseleave", function () { light(name, false); });
    });
  }

  var boxes = document.querySelectorAll(".diagram[data-zoom]");
  for (var i = 0; i < boxes.length; i++) { setup(boxes[i]); }
  var maps = document.querySelectorAll(".diagram[data-diagram='map']");
  for (var j = 0; j < maps.length; j++) { mapHover(maps[j]); }
}());
