import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// Copy buttons (the DfE form summary): shown only when the browser can copy; without
// JavaScript the values stay selectable text.
if (navigator.clipboard) {
  const status = document.getElementById("copy-status");
  for (const button of document.querySelectorAll("[data-copy-target]")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      const target = document.getElementById(button.dataset.copyTarget);
      navigator.clipboard.writeText(target.innerText.trim()).then(() => {
        if (status) status.textContent = "Copied.";
      });
    });
  }
}
