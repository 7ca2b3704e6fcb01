// The schedule form in admin: under the crontab field, say in words when the chosen crontab runs.
(function () {
  const data = document.getElementById("readable-crontabs");
  const help = document.querySelector(".field-crontab .help");
  const select = document.getElementById("id_crontab");
  if (!data || !help || !select) {
    return;
  }
  const readable = JSON.parse(data.textContent);
  const original = help.textContent;
  const translation = document.querySelector(".field-crontab_translation");
  if (translation) {
    translation.hidden = true;
  }
  select.addEventListener("change", () => {
    help.textContent = original;
    const words = readable[select.value];
    if (words) {
      help.append(document.createElement("br"), words);
    }
  });
})();
