// Phones with patchy connections (offline/): the service worker that keeps the ambassador's pages
// for reading offline, the drafts of the action form kept in IndexedDB as they are typed and sent
// once when the connection returns, and the clearing of all of it at logout. Its texts come from
// the page (offline/templates/offline/page_status.html), in the page's language.
(function () {
  "use strict";
  const body = document.body;
  const user = body.dataset.offlineUser || "";
  const DATABASE = "omcs-offline";
  const STORE = "drafts";
  const SIGNED_OUT = "omcs_signed_out=1";
  const sending = new Set();

  // IndexedDB, one request at a time ------------------------------------------------------------
  function openDatabase() {
    return new Promise((resolve, reject) => {
      const opening = indexedDB.open(DATABASE, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "id" });
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
  }
  function call(mode, operation) {
    return openDatabase().then(
      (database) =>
        new Promise((resolve, reject) => {
          const request = operation(database.transaction(STORE, mode).objectStore(STORE));
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        }).finally(() => database.close()),
    );
  }
  const readDraft = (id) => call("readonly", (store) => store.get(id));
  const writeDraft = (draft) => call("readwrite", (store) => store.put(draft));
  const dropDraft = (id) => call("readwrite", (store) => store.delete(id));
  const myDrafts = () =>
    call("readonly", (store) => store.getAll()).then((drafts) => drafts.filter((draft) => draft.user === user));
  const draftId = (path) => `${user}|${path}`;
  // Where the server sends a draft it saved (commitments/urls.py): the action's page, or its form
  // when something is missing to send it for review. Any other page (a gate, an error) is no
  // word that the draft arrived: it stays on the phone.
  const SAVED_AT = /^\/acciones\/\d+\/(editar\/)?$/;

  // Logout: every kept page, every draft, the worker itself --------------------------------------
  async function forgetEverything() {
    if ("caches" in window) {
      for (const name of await caches.keys()) await caches.delete(name);
    }
    if (navigator.serviceWorker) {
      for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
    }
    await new Promise((resolve) => {
      const deleting = indexedDB.deleteDatabase(DATABASE);
      deleting.onsuccess = deleting.onerror = deleting.onblocked = () => resolve();
    });
    localStorage.removeItem("omcs-offline-owner");
    document.cookie = "omcs_signed_out=; Max-Age=0; path=/; SameSite=Lax";
  }

  // Another person's pages never stay on a phone someone else logs in to (a session that
  // expired, not closed with logout): the kept pages are dropped when the owner changes.
  async function keepPagesForThisPersonOnly() {
    const owner = localStorage.getItem("omcs-offline-owner");
    if (owner && owner !== user && "caches" in window) {
      for (const name of await caches.keys()) {
        if (name.startsWith("omcs-pages")) await caches.delete(name);
      }
    }
    localStorage.setItem("omcs-offline-owner", user);
  }

  // What the page says about a draft ---------------------------------------------------------
  const status = document.getElementById("draft-status");
  function say(state, options = {}) {
    if (!status) return;
    const message = status.querySelector("[data-draft-message]");
    status.querySelectorAll("a, button").forEach((element) => element.remove());
    message.textContent = status.dataset[state] || "";
    status.dataset.state = state;
    status.hidden = !message.textContent;
    if (options.link) {
      const link = document.createElement("a");
      link.href = options.link;
      link.className = "ms-2 alert-link";
      link.textContent = status.dataset.open;
      status.append(link);
    }
    if (options.choose) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-dark ms-2";
      button.textContent = status.dataset.choose;
      button.addEventListener("click", options.choose);
      status.append(button);
    }
  }

  // The action form: typed → kept; saved offline → pending ----------------------------------------
  const form = document.querySelector("form[data-draft-form]");
  const formPath = window.location.pathname;

  function fieldsOf(target) {
    return Array.from(new FormData(target).entries()).filter(([, value]) => typeof value === "string");
  }

  function restore(target, fields) {
    const values = new Map();
    fields.forEach(([name, value]) => {
      if (name === "csrfmiddlewaretoken") return;
      values.set(name, [...(values.get(name) || []), value]);
    });
    Array.from(target.elements).forEach((element) => {
      if (!element.name || element.name === "csrfmiddlewaretoken" || !values.has(element.name)) {
        if (element.type === "checkbox" && element.name) element.checked = false;
        return;
      }
      const given = values.get(element.name);
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = given.includes(element.value);
      } else if (element.tagName === "SELECT" && element.multiple) {
        Array.from(element.options).forEach((option) => (option.selected = given.includes(option.value)));
      } else if (element.type !== "file") {
        element.value = given[0];
      }
    });
    target.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // The key and version of the form's draft (set up when the page opens), kept with what is typed.
  const meta = { key: "", version: "" };

  async function keepTyping(state, fields = fieldsOf(form)) {
    const draft = {
      id: draftId(formPath),
      user,
      path: formPath,
      key: meta.key,
      version: meta.version,
      fields,
      state,
      savedAt: new Date().toISOString(),
    };
    await writeDraft(draft);
    return draft;
  }

  async function setUpForm() {
    const keyField = form.querySelector("[data-draft-key]");
    const versionField = form.querySelector("[data-draft-version]");
    const draft = await readDraft(draftId(formPath));
    if (draft) {
      // A draft that was being sent with the form and came back here: the server showed its
      // errors, or the send never left the phone. Either way, it is being typed again.
      if (draft.state === "submitting") draft.state = "typing";
      restore(form, draft.fields);
    }
    // A key for a new draft, kept with it: a resend finds the action the first send made.
    meta.key = (draft && draft.key) || (keyField && keyField.value) || crypto.randomUUID();
    if (keyField) keyField.value = meta.key;
    // The version the phone's copy started from, however long ago it was.
    meta.version = (draft && draft.version) || (versionField ? versionField.value : "");
    if (versionField) versionField.value = meta.version;
    let state = draft ? draft.state : "typing";
    if (draft) await keepTyping(state);
    if (state === "typing" && draft) say("restored");
    if (state === "pending") say("pending");
    if (state === "invalid") say("invalid");
    if (state === "conflict") say("conflict", { choose: () => showBothVersions(draft) });

    let timer;
    const keep = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(async () => {
        const kept = await readDraft(draftId(formPath));
        state = kept && kept.state === "pending" ? "pending" : kept && kept.state === "conflict" ? "conflict" : "typing";
        await keepTyping(state);
      }, 150);
    };
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    form.addEventListener("submit", async (event) => {
      window.clearTimeout(timer);
      const button = event.submitter;
      const fields = fieldsOf(form);
      if (button && button.name) fields.push([button.name, button.value]);
      if (navigator.onLine) {
        // The browser sends it; the next page tells what became of it (settleSubmitted).
        await keepTyping("submitting", fields);
        return;
      }
      event.preventDefault();
      await keepTyping("pending", fields);
      say("pending");
    });
  }

  function showBothVersions(draft) {
    // The server's conflict page (commitments/conflicts.py) shows both and lets the person choose.
    restore(form, draft.fields);
    const submitter = draft.fields.find(([name]) => name === "submit" || name === "save");
    if (submitter) {
      const button = form.querySelector(`button[name="${submitter[0]}"]`);
      if (button) return form.requestSubmit(button);
    }
    form.requestSubmit();
  }

  // Sending what waits on the phone, once the connection is back ----------------------------------
  function tokenFor(draft) {
    const fresh = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (fresh) return fresh.value;
    const kept = draft.fields.find(([name]) => name === "csrfmiddlewaretoken");
    return kept ? kept[1] : "";
  }

  async function send(draft) {
    if (sending.has(draft.id)) return;
    sending.add(draft.id);
    try {
      const data = new FormData();
      draft.fields.forEach(([name, value]) => {
        if (name !== "csrfmiddlewaretoken") data.append(name, value);
      });
      data.append("csrfmiddlewaretoken", tokenFor(draft));
      const here = draft.path === formPath;
      if (here) say("sending");
      let response;
      try {
        response = await fetch(draft.path, { method: "POST", body: data, credentials: "same-origin" });
      } catch (error) {
        if (here) say("pending");
        return; // still no connection: it waits
      }
      const arrivedAt = new URL(response.url);
      if (response.headers.get("X-Draft-Conflict") === "1") {
        await writeDraft({ ...draft, state: "conflict" });
        if (here) say("conflict", { choose: () => showBothVersions(draft) });
      } else if (response.redirected && arrivedAt.pathname.startsWith(body.dataset.offlineLogin || "/accounts/login/")) {
        if (here) say("login");
      } else if (response.redirected && arrivedAt.pathname !== draft.path && SAVED_AT.test(arrivedAt.pathname)) {
        await dropDraft(draft.id);
        if (here) {
          say("sent", { link: arrivedAt.pathname });
          form.querySelectorAll("[data-draft-key]").forEach((field) => (field.value = crypto.randomUUID()));
        }
      } else if (response.redirected && arrivedAt.pathname !== draft.path) {
        if (here) say("pending"); // sent elsewhere first (a page to accept, a second factor): it waits
      } else if (response.ok) {
        await writeDraft({ ...draft, state: "invalid" });
        if (here) say("invalid");
      } else if (here) {
        say("pending"); // refused for now (a token that expired, a server error): it waits
      }
    } finally {
      sending.delete(draft.id);
    }
  }

  async function sendWaiting() {
    if (!navigator.onLine) return;
    for (const draft of await myDrafts()) {
      if (draft.state === "pending") await send(draft);
    }
  }

  // A draft sent with the form (online) that led to an action's page was saved there (a resend
  // with later edits too: commitments/resend.py saves them or shows the conflict page instead).
  async function settleSubmitted() {
    for (const draft of await myDrafts()) {
      if (draft.state === "submitting" && draft.path !== formPath && SAVED_AT.test(formPath)) await dropDraft(draft.id);
    }
  }

  // The conflict page: the person chooses --------------------------------------------------------
  function setUpConflictPage() {
    const conflict = document.getElementById("draft-conflict");
    if (!conflict) return;
    const id = draftId(conflict.dataset.draftConflict);
    readDraft(id).then((draft) => draft && writeDraft({ ...draft, state: "conflict" }));
    document.querySelectorAll("[data-draft-discard]").forEach((link) => {
      link.addEventListener("click", () => dropDraft(draftId(link.dataset.draftDiscard)));
    });
    conflict.parentElement.querySelectorAll("form").forEach((choice) => {
      choice.addEventListener("submit", () =>
        readDraft(id).then((draft) => draft && writeDraft({ ...draft, state: "submitting", version: "" })),
      );
    });
  }

  // A page for nobody signed in (the login page a kept page sent this phone to when the session
  // ended without a logout): the pages kept for the last person go.
  async function forgetKeptPages() {
    if (!localStorage.getItem("omcs-offline-owner")) return;
    if ("caches" in window) {
      for (const name of await caches.keys()) {
        if (name.startsWith("omcs-pages")) await caches.delete(name);
      }
    }
    localStorage.removeItem("omcs-offline-owner");
  }

  async function start() {
    if (document.cookie.split("; ").includes(SIGNED_OUT)) await forgetEverything();
    if (!user) await forgetKeptPages();
    if (!user || !("indexedDB" in window)) return;
    if (body.dataset.offlineSource === "cache") {
      const banner = document.getElementById("offline-banner");
      if (banner) banner.hidden = false;
    }
    if ("serviceWorker" in navigator && window.isSecureContext) {
      await keepPagesForThisPersonOnly();
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
    }
    await settleSubmitted();
    setUpConflictPage();
    if (form) await setUpForm();
    window.addEventListener("online", sendWaiting);
    await sendWaiting();
  }

  start().catch(() => {});
})();
