// Presentation values that come from data: the Content-Security-Policy forbids inline style
// attributes, so templates put them in data- attributes and this sets them through the CSSOM.
document.querySelectorAll("[data-axis-colour]").forEach((element) => {
  element.style.setProperty("--axis-colour", element.dataset.axisColour);
});
document.querySelectorAll("[data-width-percent]").forEach((element) => {
  const percent = Math.max(0, Math.min(100, Number(element.dataset.widthPercent) || 0));
  element.style.width = `${percent}%`;
});
