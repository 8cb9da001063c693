/* The import job page: while the job is being checked or written, poll its progress
 * (#pb-import-progress data-url) and show it; once it has finished, reload the page to show
 * the preview or the result. No inline script: the page only carries data attributes. */
(function () {
  "use strict";

  var box = document.getElementById("pb-import-progress");
  if (!box || box.getAttribute("data-running") !== "1" || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-url");
  var text = document.getElementById("pb-import-progress-text");
  var bar = document.getElementById("pb-import-progress-bar");
  var INTERVAL = 1000;

  function show(progress) {
    text.textContent = progress.text;
    box.setAttribute("data-status", progress.status);
    if (progress.total_rows > 0) {
      var percent = Math.round((100 * progress.rows_processed) / progress.total_rows);
      bar.style.width = percent + "%";
      bar.setAttribute("aria-valuenow", percent);
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (progress) {
        show(progress);
        if (progress.running) {
          window.setTimeout(poll, INTERVAL);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        window.setTimeout(poll, INTERVAL * 3); // a restarting server: keep asking, more slowly
      });
  }

  window.setTimeout(poll, INTERVAL);
})();
