// Long work in the background (an import): the page asks how far it has come every second and shows it; when
// the work ends the page is loaded again and shows the result. Without JavaScript the page has a link to do so.
(function () {
  "use strict";
  var line = document.querySelector("[data-progress-url]");
  if (!line) { return; }
  var bar = document.getElementById("task-bar");
  var url = line.getAttribute("data-progress-url");
  function later(ms) { window.setTimeout(tick, ms); }
  function tick() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { later(5000); return; }
        if (s.finished) { window.location.reload(); return; }
        line.textContent = s.line;
        if (bar) { bar.value = s.done; }
        later(1000);
      })
      .catch(function () { later(5000); });
  }
  later(1000);
}());
