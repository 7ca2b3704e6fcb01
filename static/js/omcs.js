// Presentation values that come from data: the Content-Security-Policy forbids inline style
// attributes, so templates put them in data- attributes and this sets them through the CSSOM.
document.querySelectorAll("[data-axis-colour]").forEach((element) => {
  element.style.setProperty("--axis-colour", element.dataset.axisColour);
});
document.querySelectorAll("[data-width-percent]").forEach((element) => {
  const percent = Math.max(0, Math.min(100, Number(element.dataset.widthPercent) || 0));
  element.style.width = `${percent}%`;
});

// A table wider than a phone's screen scrolls sideways inside its .table-responsive box: make
// that box reachable with the keyboard (and named by the table's caption) only while it does
// scroll. Checked at load, on resize, and when a folded <details> (a chart's table) opens.
function makeScrollableTablesFocusable() {
  document.querySelectorAll(".table-responsive").forEach((box, index) => {
    if (box.scrollWidth > box.clientWidth) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      const caption = box.querySelector("caption");
      if (caption) {
        caption.id = caption.id || `table-caption-${index}`;
        box.setAttribute("aria-labelledby", caption.id);
      }
    } else if (box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-labelledby");
    }
  });
}
makeScrollableTablesFocusable();
window.addEventListener("resize", makeScrollableTablesFocusable);
document.addEventListener("toggle", makeScrollableTablesFocusable, true);

// A form sent back with errors opens on their summary (role="alert", tabindex="-1"): a screen
// reader reads it first, and Tab goes on from there to the fields it marks.
document.getElementById("form-errors")?.focus();

// An action form shows the details of the kind chosen (a training's sessions, a policy's
// instrument…) and hides the others; without JavaScript every section shows, and the server
// reads only the chosen kind's.
function showChosenKind(form) {
  const chosen = form.querySelector("[data-kind-choice]:checked")?.value;
  form.querySelectorAll("[data-kind-section]").forEach((section) => {
    section.hidden = section.dataset.kindSection !== chosen;
  });
}
document.querySelectorAll("form.action-form").forEach((form) => {
  if (!form.querySelector("[data-kind-choice]")) return;
  showChosenKind(form);
  form.addEventListener("change", (event) => {
    if (event.target.matches("[data-kind-choice]")) showChosenKind(form);
  });
});

// A formset's "add a row" button (hidden without JavaScript, where saving adds an empty row):
// the empty form's <template> with its __prefix__ numbered, TOTAL_FORMS counted up, the new
// row's first field focused.
document.querySelectorAll("[data-formset-add]").forEach((button) => {
  const prefix = button.dataset.formsetAdd;
  const template = document.querySelector(`template[data-formset-template="${prefix}"]`);
  const rows = document.querySelector(`[data-formset-rows="${prefix}"]`);
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const most = document.getElementById(`id_${prefix}-MAX_NUM_FORMS`);
  if (!template || !rows || !total) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const index = Number(total.value);
    if (most && index >= Number(most.value)) return;
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    rows.lastElementChild?.querySelector("input, select, textarea")?.focus();
  });
});

// An import being checked (imports' job page): ask for its progress every few seconds and reload
// when the check is done; without JavaScript the page's "Actualizar ahora" link does the same.
(function pollImportStatus() {
  const box = document.getElementById("import-status");
  if (!box) return;
  const bar = box.querySelector(".progress-bar");
  function check() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((state) => {
        if (state.done) return window.location.reload();
        const percent = state.total ? Math.round((100 * state.checked) / state.total) : 0;
        if (bar) bar.style.width = `${percent}%`;
        box.querySelector(".progress")?.setAttribute("aria-valuenow", String(percent));
        return window.setTimeout(check, 2000);
      })
      .catch(() => window.setTimeout(check, 10000));
  }
  window.setTimeout(check, 1500);
})();
