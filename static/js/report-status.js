// While a report is being written, ask for its status every few seconds and reload when it is done.
(function () {
  "use strict";
  const box = document.getElementById("report-status");
  if (!box || box.dataset.status === "failed") {
    return;
  }
  let delay = 3000;
  function check() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((state) => {
        if (state.done) {
          window.location.reload();
          return;
        }
        delay = Math.min(delay * 1.5, 30000);
        window.setTimeout(check, delay);
      })
      .catch(() => window.setTimeout(check, 30000));
  }
  window.setTimeout(check, delay);
})();
