// Loaded as a module, so it runs after the body exists and only in browsers GOV.UK Frontend supports.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();

// Reflow (WCAG 1.4.10): each table sits in a region that scrolls sideways on its own. The region is labelled by
// the table's caption and, while it is too narrow for the table, focusable so that a keyboard can scroll it.
const regions = [];
for (const table of document.querySelectorAll("main table.govuk-table")) {
  const region = document.createElement("div");
  region.className = "liaison-table-scroll";
  const caption = table.querySelector("caption");
  region.setAttribute("role", "region");
  region.setAttribute("aria-label", (caption && caption.textContent.trim().replace(/\s+/g, " ")) || "Table");
  table.parentNode.insertBefore(region, table);
  region.appendChild(table);
  regions.push(region);
}

function markScrollable() {
  for (const region of regions) {
    if (region.scrollWidth > region.clientWidth) {
      region.tabIndex = 0;
    } else {
      region.removeAttribute("tabindex");
    }
  }
}

markScrollable();
window.addEventListener("resize", markScrollable);
