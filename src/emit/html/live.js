(function () {
  "use strict";
  /* tmd serve: listens to the server's event stream; shows the model's
     errors over the page (the last good version stays visible under
     them); reloads when a newer good version exists, keeping the window's
     scroll and the diagram's zoom and pan (sessionStorage, this tab only). */
  var box = document.getElementById("tmd-live");
  if (!box) { return; }
  var text = box.querySelector(".tmd-live-text");
  var offline = document.getElementById("tmd-live-offline");
  var version = box.getAttribute("data-version");
  var KEY = "tmd-serve-view";
  var saved = null;
  try {
    saved = JSON.parse(window.sessionStorage.getItem(KEY) || "null");
    window.sessionStorage.removeItem(KEY);
  } catch (e) { saved = null; }
  if (saved) {
    if (saved.diagram && window.tmdReport) { window.tmdReport.setView(saved.diagram); }
    window.scrollTo(saved.x || 0, saved.y || 0);
  }
  function save() {
    try {
      window.sessionStorage.setItem(KEY, JSON.stringify({
        x: window.scrollX,
        y: window.scrollY,
        diagram: window.tmdReport ? window.tmdReport.view() : null
      }));
    } catch (e) { /* no storage: the page reloads at the top */ }
  }
  if (!window.EventSource) { return; }
  var source = new EventSource("/events");
  source.addEventListener("state", function (event) {
    var state;
    try { state = JSON.parse(event.data); } catch (e) { return; }
    if (offline) { offline.hidden = true; }
    if (typeof state.error === "string") {
      text.textContent = state.error;
      box.hidden = false;
      return;
    }
    if (state.version !== version) {
      source.close();
      save();
      window.location.reload();
      return;
    }
    box.hidden = true;
  });
  source.addEventListener("error", function () {
    if (offline) { offline.hidden = false; }
  });
})();
