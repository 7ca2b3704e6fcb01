// Evidence photos over a mobile network: each image is reduced on the phone (longest side 2,048
// px, JPEG) before it is sent, files go one at a time with a progress bar each, and a file that
// failed can be sent again alone. The server checks every file as it always did. Without this
// script, or when no photo is among the files chosen, the form sends the files whole, at once.
(function () {
  "use strict";
  const LONGEST_SIDE = 2048;
  const RESIZED = new Set(["image/jpeg", "image/png", "image/webp"]);

  async function reduced(file) {
    if (!RESIZED.has(file.type) || !window.createImageBitmap) return file;
    let bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch (error) {
      return file; // not readable here: the server decides
    }
    const scale = Math.min(1, LONGEST_SIDE / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.type === "image/jpeg") return file;
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff"; // a transparent PNG's background, in a JPEG
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
    if (!blob) return file;
    const name = file.name.replace(/\.[^./\\]*$/, "") + ".jpg";
    return new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified });
  }

  function send(form, file, title, row) {
    return new Promise((resolve) => {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      data.append("title", title);
      data.append("files", file, file.name);
      const request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) row.progress.value = Math.round((event.loaded / event.total) * 100);
      });
      request.addEventListener("load", () => {
        let answer = {};
        try {
          answer = JSON.parse(request.responseText);
        } catch (error) {
          answer = {};
        }
        resolve({ ok: request.status === 200 && answer.stored > 0, errors: answer.errors || [] });
      });
      request.addEventListener("error", () => resolve({ ok: false, errors: [] }));
      request.addEventListener("abort", () => resolve({ ok: false, errors: [] }));
      request.send(data);
    });
  }

  function rowFor(form, list, file) {
    const item = document.createElement("li");
    item.className = "upload-row mb-2";
    const name = document.createElement("span");
    name.className = "d-block text-break";
    name.textContent = file.name;
    const progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    progress.className = "w-100";
    progress.setAttribute("aria-label", file.name);
    const state = document.createElement("span");
    state.className = "d-block small";
    state.setAttribute("role", "status");
    item.append(name, progress, state);
    list.append(item);
    return { item, progress, state, say: (text) => (state.textContent = text) };
  }

  async function upload(form, list, file, title) {
    const row = rowFor(form, list, file);
    row.say(form.dataset.preparing);
    const prepared = await reduced(file);
    row.item.dataset.uploadSize = String(prepared.size);
    const attempt = async () => {
      row.item.querySelector("button")?.remove();
      row.progress.value = 0;
      row.say(form.dataset.uploading);
      const result = await send(form, prepared, title, row);
      if (result.ok) {
        row.progress.value = 100;
        row.say(form.dataset.done);
        row.item.dataset.uploadState = "done";
        return true;
      }
      row.say([form.dataset.failed, ...result.errors].join(" "));
      row.item.dataset.uploadState = "failed";
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "btn btn-sm btn-outline-secondary mt-1";
      retry.textContent = `${form.dataset.retry}: ${prepared.name}`;
      retry.addEventListener("click", () => attempt().then(() => finished(form, list)));
      row.item.append(retry);
      return false;
    };
    return attempt();
  }

  function finished(form, list) {
    if (list.querySelector("[data-upload-state=failed]") || form.querySelector("[data-upload-reload]")) return;
    const link = document.createElement("a");
    link.href = window.location.pathname;
    link.className = "btn btn-success mt-2";
    link.dataset.uploadReload = "";
    link.textContent = form.dataset.reload;
    list.after(link);
    link.focus();
  }

  document.querySelectorAll("form[data-photo-upload]").forEach((form) => {
    const input = form.querySelector("input[type=file]");
    const list = form.querySelector("[data-upload-list]");
    if (!input || !list || !window.FormData || !window.XMLHttpRequest) return;
    form.addEventListener("submit", async (event) => {
      const files = Array.from(input.files || []);
      // Only when a photo is among them (PDFs and documents go with the form, as without this script).
      if (!files.some((file) => RESIZED.has(file.type))) return;
      event.preventDefault();
      const title = form.querySelector("[name=title]")?.value || "";
      list.replaceChildren();
      form.querySelector("[data-upload-reload]")?.remove();
      for (const file of files) await upload(form, list, file, title);
      input.value = "";
      finished(form, list);
    });
  });
})();
