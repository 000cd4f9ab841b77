(function () {
  "use strict";
  /* tmd diff --html: one view at a time, switched by the buttons (or the
     page's #side, #overlay or #changes), and the overlay's slider.
     Without this script every view is shown, one after the other. */
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  function all(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }
  var buttons = all("[data-view-button]");
  var views = all(".view[data-view]");
  var names = views.map(function (v) { return v.getAttribute("data-view"); });
  function show(name) {
    if (names.indexOf(name) < 0) name = names[0];
    views.forEach(function (v) { v.hidden = v.getAttribute("data-view") !== name; });
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-view-button") === name ? "true" : "false");
    });
    root.setAttribute("data-view", name);
  }
  buttons.forEach(function (b) {
    b.addEventListener("click", function () { show(b.getAttribute("data-view-button")); });
  });
  var group = document.querySelector(".view-switch");
  if (group) group.hidden = false;
  show(window.location.hash.replace(/^#/, ""));
  window.addEventListener("hashchange", function () {
    var name = window.location.hash.replace(/^#/, "");
    if (names.indexOf(name) >= 0) show(name);
  });

  var slider = document.getElementById("overlay-position");
  var stack = document.getElementById("overlay-stack");
  var after = document.getElementById("overlay-after");
  var line = document.getElementById("overlay-line");
  var output = document.getElementById("overlay-value");
  if (!slider || !stack || !after) return;
  slider.parentNode.hidden = false;
  stack.classList.add("is-stacked");
  function move() {
    var v = Math.max(0, Math.min(100, Number(slider.value) || 0));
    after.style.clipPath = "inset(0 0 0 " + v + "%)";
    if (line) line.style.left = v + "%";
    var said = v + "% before, " + (100 - v) + "% after";
    if (output) output.textContent = said;
    slider.setAttribute("aria-valuetext", said);
  }
  slider.addEventListener("input", move);
  /* Dragging over the pictures moves the line too. */
  var dragging = false;
  function follow(e) {
    var box = stack.getBoundingClientRect();
    if (box.width <= 0) return;
    slider.value = String(Math.round(((e.clientX - box.left) / box.width) * 100));
    move();
  }
  stack.addEventListener("pointerdown", function (e) {
    dragging = true;
    if (stack.setPointerCapture) stack.setPointerCapture(e.pointerId);
    follow(e);
  });
  stack.addEventListener("pointermove", function (e) { if (dragging) follow(e); });
  stack.addEventListener("pointerup", function () { dragging = false; });
  stack.addEventListener("pointercancel", function () { dragging = false; });
  move();
})();
