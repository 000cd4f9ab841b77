(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  var SVGNS = "http://www.w3.org/2000/svg";
  var smooth = window.matchMedia && !window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "smooth" : "auto";
  function all(selector, from) {
    return Array.prototype.slice.call((from || document).querySelectorAll(selector));
  }

  /* Anchors land below the sticky filter bar, whatever its height. */
  var bar = document.querySelector(".filters");
  function syncBar() {
    var sticky = bar && getComputedStyle(bar).position === "sticky";
    root.style.setProperty("--bar-h", (sticky ? bar.offsetHeight : 0) + "px");
  }
  syncBar();
  window.addEventListener("resize", syncBar);

  /* Filters: every element with data-severity and data-status. */
  var items = all("[data-severity][data-status]");
  var mainRows = items.filter(function (el) { return el.classList.contains("threat-row"); });
  var count = document.getElementById("filter-count");
  var text = document.getElementById("filter-text");
  var note = document.getElementById("print-note");
  var empty = document.getElementById("no-match");
  function state(group) {
    var out = {};
    all('input[data-filter="' + group + '"]').forEach(function (box) { out[box.value] = box.checked; });
    return out;
  }
  function apply() {
    var sev = state("severity"), st = state("status"), scope = state("scope");
    var needle = text ? text.value.trim().toLowerCase() : "";
    var shown = 0;
    items.forEach(function (el) {
      var ok = sev[el.getAttribute("data-severity")] !== false &&
        st[el.getAttribute("data-status")] !== false &&
        (el.getAttribute("data-scope") !== "out" || scope.out !== false);
      if (ok && needle) { ok = el.textContent.toLowerCase().indexOf(needle) !== -1; }
      el.hidden = !ok;
      if (ok && el.classList.contains("threat-row")) { shown += 1; }
    });
    if (count) {
      count.textContent = shown === mainRows.length
        ? "All " + shown + " threats"
        : shown + " of " + mainRows.length + " threats";
    }
    if (empty) { empty.hidden = shown !== 0 || mainRows.length === 0; }
    if (note) {
      var off = all("input[data-filter]").filter(function (b) { return !b.checked; })
        .map(function (b) { return b.getAttribute("data-label"); });
      var parts = [];
      if (off.length) { parts.push("hidden: " + off.join(", ")); }
      if (needle) { parts.push("text contains \u201c" + needle + "\u201d"); }
      note.textContent = parts.length ? "Filtered view (" + parts.join("; ") + "): " + shown + " of " + mainRows.length + " threats shown." : "";
    }
  }
  all("input[data-filter]").forEach(function (box) { box.addEventListener("change", apply); });
  if (text) { text.addEventListener("input", apply); }
  var reset = document.getElementById("filter-reset");
  if (reset) {
    reset.addEventListener("click", function () {
      all("input[data-filter]").forEach(function (box) { box.checked = true; });
      if (text) { text.value = ""; }
      apply();
    });
  }
  apply();

  /* Diagram <-> report. The diagram is found by data-tmd-id, never by id. */
  var svg = document.querySelector("svg.tmd-diagram-svg");
  var nodes = {};
  if (svg) {
    all("[data-tmd-id]", svg).forEach(function (g) {
      var id = g.getAttribute("data-tmd-id");
      (nodes[id] = nodes[id] || []).push(g);
    });
  }
  var sections = {};
  all("[data-subject]").forEach(function (s) { sections[s.getAttribute("data-subject")] = s; });

  function clear() {
    all(".is-selected").forEach(function (el) { el.classList.remove("is-selected"); });
    all(".is-related").forEach(function (el) { el.classList.remove("is-related"); });
    if (svg) {
      svg.classList.remove("tmd-focusing");
      all(".tmd-near", svg).forEach(function (el) { el.classList.remove("tmd-near"); });
      all(".tmd-selected", svg).forEach(function (el) { el.classList.remove("tmd-selected"); });
      all(".tmd-hl-box", svg).forEach(function (el) { el.parentNode.removeChild(el); });
    }
  }
  function markDiagram(id) {
    var list = nodes[id] || [];
    list.forEach(function (g) {
      g.classList.add("tmd-selected");
      try {
        var box = g.getBBox();
        var r = document.createElementNS(SVGNS, "rect");
        r.setAttribute("class", "tmd-hl-box");
        r.setAttribute("x", box.x - 5);
        r.setAttribute("y", box.y - 5);
        r.setAttribute("width", box.width + 10);
        r.setAttribute("height", box.height + 10);
        r.setAttribute("rx", 6);
        g.appendChild(r);
      } catch (e) { /* not rendered: nothing to outline */ }
    });
    return list[0] || null;
  }
  function markRows(id) {
    all("tr.threat-row").forEach(function (tr) {
      var targets = (tr.getAttribute("data-targets") || "").split(" ");
      if (targets.indexOf(id) >= 0) { tr.classList.add("is-related"); }
    });
  }
  /* The flows of an element and the elements at their other ends stay
     lit, the rest of the drawing dims; a flow keeps its two ends. */
  function markNeighbours(id) {
    if (!svg) { return; }
    var near = {};
    near[id] = true;
    all("g.tmd-flow", svg).forEach(function (g) {
      var from = g.getAttribute("data-tmd-source");
      var to = g.getAttribute("data-tmd-target");
      if (from === id || to === id) {
        near[g.getAttribute("data-tmd-id")] = true;
        near[from] = true;
        near[to] = true;
      } else if (g.getAttribute("data-tmd-id") === id) {
        near[from] = true;
        near[to] = true;
      }
    });
    Object.keys(near).forEach(function (n) {
      (nodes[n] || []).forEach(function (g) { g.classList.add("tmd-near"); });
    });
    svg.classList.add("tmd-focusing");
  }
  /* Diagram click: go to the element's section and mark its threats. */
  function showSection(id) {
    var section = sections[id];
    clear();
    markDiagram(id);
    markNeighbours(id);
    markRows(id);
    if (section) {
      section.classList.add("is-selected");
      section.scrollIntoView({ behavior: smooth, block: "start" });
    }
  }
  /* Threat row or section link: show the element in the diagram. */
  function showInDiagram(id, from) {
    clear();
    var first = markDiagram(id);
    markNeighbours(id);
    markRows(id);
    if (sections[id]) { sections[id].classList.add("is-selected"); }
    if (from) {
      var tr = from.closest("tr");
      if (tr) { tr.classList.add("is-related"); }
    }
    if (first) {
      ensureReadable();
      first.scrollIntoView({ behavior: smooth, block: "center", inline: "center" });
    }
    return !!first;
  }

  /* Zoom and pan. Without the script the frame scrolls the drawing at its
     fitted size; with it, the drawing opens at a zoom where its smallest
     label is at least 9 px (fitted to the width when that is readable, else
     larger, with an overview of the whole), and the toolbar, Ctrl + wheel,
     a pinch, dragging and the keys + - 0 1 change the view. */
  var dragged = false;
  /* Before showing an element: zoom in to a readable size if need be. */
  var ensureReadable = function () {};
  var frame = svg ? svg.closest(".diagram-frame") : null;
  var tools = document.querySelector(".diagram-tools");
  var naturalW = svg ? parseFloat(svg.getAttribute("width")) : 0;
  var naturalH = svg ? parseFloat(svg.getAttribute("height")) : 0;
  if (frame && tools && naturalW > 0 && naturalH > 0) {
    var MIN_LABEL_PX = 9;
    var minFont = 0;
    all("text", svg).forEach(function (t) {
      var f = parseFloat(t.getAttribute("font-size"));
      if (f > 0 && (minFont === 0 || f < minFont)) { minFont = f; }
    });
    var readable = minFont > 0 ? MIN_LABEL_PX / minFont : 1;
    var zoom = 1;
    var level = tools.querySelector(".zoom-level");
    var wrap = document.createElement("div");
    wrap.className = "diagram-wrap";
    frame.parentNode.insertBefore(wrap, frame);
    wrap.appendChild(frame);
    var overview = document.createElement("div");
    /* The drawing's styles are scoped to the frame's scope class. */
    overview.className = "diagram-overview " + Array.prototype.filter.call(frame.classList, function (c) {
      return c.indexOf("tmd-scope") === 0;
    }).join(" ");
    overview.hidden = true;
    overview.setAttribute("aria-hidden", "true");
    var copy = svg.cloneNode(true);
    /* The copy must not repeat the page's ids or be clickable. */
    copy.removeAttribute("id");
    all("[id]", copy).forEach(function (el) { el.removeAttribute("id"); });
    all("[data-tmd-id]", copy).forEach(function (el) { el.removeAttribute("data-tmd-id"); });
    copy.removeAttribute("style");
    copy.removeAttribute("width");
    copy.removeAttribute("height");
    var viewBox = document.createElement("div");
    viewBox.className = "view-box";
    overview.appendChild(copy);
    overview.appendChild(viewBox);
    wrap.appendChild(overview);

    function inner() {
      var style = getComputedStyle(frame);
      return frame.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    }
    function fitZoom() { return Math.max(0.05, inner() / naturalW); }
    function syncOverview() {
      var wide = naturalW * zoom > frame.clientWidth + 1 || naturalH * zoom > frame.clientHeight + 1;
      overview.hidden = !wide || zoom <= fitZoom() + 1e-6;
      if (overview.hidden) { return; }
      var scale = copy.getBoundingClientRect().width / (naturalW * zoom);
      var pad = 4;
      viewBox.style.left = pad + frame.scrollLeft * scale + "px";
      viewBox.style.top = pad + frame.scrollTop * scale + "px";
      viewBox.style.width = Math.min(frame.clientWidth, naturalW * zoom) * scale + "px";
      viewBox.style.height = Math.min(frame.clientHeight, naturalH * zoom) * scale + "px";
    }
    /* Zooms to z, keeping the drawing's point under (x, y) of the frame
       (its centre when not given) where it is. */
    function setZoom(z, x, y) {
      z = Math.min(8, Math.max(Math.min(0.1, fitZoom()), z));
      if (x === undefined) { x = frame.clientWidth / 2; y = frame.clientHeight / 2; }
      var px = (frame.scrollLeft + x) / zoom;
      var py = (frame.scrollTop + y) / zoom;
      zoom = z;
      svg.style.width = naturalW * z + "px";
      svg.style.height = naturalH * z + "px";
      frame.scrollLeft = px * z - x;
      frame.scrollTop = py * z - y;
      level.textContent = Math.round(z * 100) + "%";
      syncOverview();
    }
    frame.classList.add("is-zoomable");
    frame.setAttribute("tabindex", "0");
    frame.setAttribute("aria-label", "Diagram: use + and - to zoom, 0 to fit the width, 1 for actual size, the arrow keys to pan");
    tools.hidden = false;
    var fit = fitZoom();
    var start = Math.min(fit, 1);
    setZoom(start * minFont >= MIN_LABEL_PX || minFont === 0 ? start : Math.max(readable, start), 0, 0);
    frame.scrollLeft = 0;
    frame.scrollTop = 0;
    syncOverview();

    tools.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-zoom]");
      if (!button) { return; }
      var what = button.getAttribute("data-zoom");
      if (what === "in") { setZoom(zoom * 1.25); }
      else if (what === "out") { setZoom(zoom / 1.25); }
      else if (what === "fit") { setZoom(fitZoom(), 0, 0); frame.scrollLeft = 0; frame.scrollTop = 0; syncOverview(); }
      else if (what === "one") { setZoom(1); }
    });
    frame.addEventListener("wheel", function (event) {
      if (!event.ctrlKey && !event.metaKey) { return; }
      event.preventDefault();
      var r = frame.getBoundingClientRect();
      setZoom(zoom * Math.exp(-event.deltaY * 0.002), event.clientX - r.left, event.clientY - r.top);
    }, { passive: false });
    frame.addEventListener("scroll", syncOverview);
    window.addEventListener("resize", syncOverview);
    frame.addEventListener("keydown", function (event) {
      if (event.target !== frame) { return; }
      var k = event.key;
      if (k === "+" || k === "=") { setZoom(zoom * 1.25); }
      else if (k === "-" || k === "_") { setZoom(zoom / 1.25); }
      else if (k === "0") { setZoom(fitZoom(), 0, 0); frame.scrollLeft = 0; frame.scrollTop = 0; syncOverview(); }
      else if (k === "1") { setZoom(1); }
      else { return; }
      event.preventDefault();
    });
    var down = null;
    frame.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || event.pointerType === "touch") { return; }
      down = { x: event.clientX, y: event.clientY, left: frame.scrollLeft, top: frame.scrollTop, id: event.pointerId };
      dragged = false;
    });
    frame.addEventListener("pointermove", function (event) {
      if (!down || event.pointerId !== down.id) { return; }
      var dx = event.clientX - down.x;
      var dy = event.clientY - down.y;
      if (!dragged && Math.abs(dx) + Math.abs(dy) < 4) { return; }
      if (!dragged) { frame.setPointerCapture(down.id); frame.classList.add("is-panning"); }
      dragged = true;
      frame.scrollLeft = down.left - dx;
      frame.scrollTop = down.top - dy;
    });
    function up() {
      if (down && dragged) { frame.classList.remove("is-panning"); }
      down = null;
    }
    frame.addEventListener("pointerup", up);
    frame.addEventListener("pointercancel", up);
    overview.addEventListener("click", function (event) {
      var r = copy.getBoundingClientRect();
      var fx = (event.clientX - r.left) / r.width;
      var fy = (event.clientY - r.top) / r.height;
      frame.scrollLeft = fx * naturalW * zoom - frame.clientWidth / 2;
      frame.scrollTop = fy * naturalH * zoom - frame.clientHeight / 2;
    });
    overview.style.pointerEvents = "auto";
    ensureReadable = function () {
      if (minFont > 0 && zoom * minFont < MIN_LABEL_PX - 1e-6) { setZoom(readable); }
    };
    /* The view, to keep across a reload (tmd serve's live preview). */
    window.tmdReport = {
      view: function () { return { zoom: zoom, left: frame.scrollLeft, top: frame.scrollTop }; },
      setView: function (v) {
        if (!v || !(v.zoom > 0)) { return; }
        setZoom(v.zoom, 0, 0);
        frame.scrollLeft = v.left || 0;
        frame.scrollTop = v.top || 0;
        syncOverview();
      }
    };
  }
  if (svg) {
    svg.addEventListener("click", function (event) {
      if (dragged) { dragged = false; return; }
      var g = event.target.closest("[data-tmd-id]");
      if (g) { event.preventDefault(); showSection(g.getAttribute("data-tmd-id")); }
    });
    Object.keys(nodes).forEach(function (id) {
      nodes[id].forEach(function (g) {
        if (!sections[id]) { return; }
        g.setAttribute("tabindex", "0");
        g.setAttribute("role", "link");
        g.setAttribute("aria-label", "Show " + (sections[id].getAttribute("data-label") || id) + " in the report");
        g.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); showSection(id); }
        });
      });
    });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.target-link");
    if (!link) { return; }
    var id = link.getAttribute("data-target");
    if (nodes[id] && nodes[id].length) {
      event.preventDefault();
      showInDiagram(id, link);
    } else if (sections[id]) {
      clear();
      markRows(id);
      sections[id].classList.add("is-selected");
    }
  });
})();
