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
  /* Diagram click: go to the element's section and mark its threats. */
  function showSection(id) {
    var section = sections[id];
    clear();
    markDiagram(id);
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
    markRows(id);
    if (sections[id]) { sections[id].classList.add("is-selected"); }
    if (from) {
      var tr = from.closest("tr");
      if (tr) { tr.classList.add("is-related"); }
    }
    if (first) { first.scrollIntoView({ behavior: smooth, block: "center", inline: "center" }); }
    return !!first;
  }
  if (svg) {
    svg.addEventListener("click", function (event) {
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
