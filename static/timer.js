// Keeps the running timer's elapsed time ticking. The server renders the right value; this only
// counts on from it (by the page's own clock, so a skewed device clock does not matter).
(function () {
  "use strict";
  var display = document.getElementById("timer-elapsed");
  if (!display) {
    return;
  }
  var base = parseInt(display.getAttribute("data-elapsed"), 10) || 0;
  var loaded = Date.now();
  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function tick() {
    var seconds = base + Math.floor((Date.now() - loaded) / 1000);
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    display.textContent = h + ":" + pad(m) + ":" + pad(seconds % 60);
    display.setAttribute("datetime", "PT" + seconds + "S");
  }
  tick();
  window.setInterval(tick, 1000);
})();
