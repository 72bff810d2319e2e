// Enhancements only: every page works without this file.
(function () {
  "use strict";

  function format(seconds) {
    if (seconds <= 0) return "0s";
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return h > 0 ? h + "h " + String(m).padStart(2, "0") + "m" : m + "m " + String(s).padStart(2, "0") + "s";
  }

  function tick() {
    document.querySelectorAll("time.countdown").forEach(function (element) {
      var left = Math.floor((Date.parse(element.getAttribute("datetime")) - Date.now()) / 1000);
      element.textContent = format(left);
      element.classList.toggle("expired", left <= 0);
    });
  }

  function enableCopyButtons() {
    if (!navigator.clipboard) return;
    document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.value).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 2000);
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enableCopyButtons();
    if (document.querySelector("time.countdown")) {
      tick();
      setInterval(tick, 1000);
    }
  });
})();
