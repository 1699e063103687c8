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

// The Local Authority and district choosers (400 and 100 options at national scale) become GOV.UK's accessible
// autocomplete once they are long: type a few letters instead of scrolling. The select stays in the page and is what
// the form submits, so without JavaScript the page works as before. Short lists stay plain selects.
const LONG_CHOOSER = 15;
const CHOOSERS = ["district", "local_authority", "authority"]
  .flatMap((name) => [`main select[name="${name}"]`, `main select[name$="-${name}"]`])
  .join(", ");
const autocomplete = window.accessibleAutocomplete;
for (const select of document.querySelectorAll(CHOOSERS)) {
  if (select.multiple) continue;
  if (!autocomplete || select.options.length <= LONG_CHOOSER) continue;
  const options = Array.from(select.options);
  const blank = options.find((option) => option.value === "");
  const describedBy = select.getAttribute("aria-describedby");
  const textOf = (option) => (option.textContent || "").trim();
  autocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: "",
    showAllValues: true,
    // Autoselect draws the rest of the first match in an unlabelled input that screen readers meet; without it the
    // list is chosen from with the arrow keys or a click.
    autoselect: false,
    // Over the page rather than in it, so that closing the list does not move the button being clicked.
    displayMenu: "overlay",
    inputClasses: select.classList.contains("govuk-select--error") ? "govuk-input--error" : "",
    onConfirm: (chosen) => {
      // Confirming nothing (the text was cleared) means "no choice": the blank option where there is one.
      const match = options.find((option) => textOf(option) === chosen);
      if (match) {
        match.selected = true;
      } else if (blank && chosen === undefined) {
        const input = document.getElementById(select.id.replace(/-select$/, ""));
        if (input && input.value.trim() === "") blank.selected = true;
      }
    },
  });
  const input = document.getElementById(select.id.replace(/-select$/, ""));
  if (!input) continue;
  if (describedBy) {
    // The hint and any error message still describe the field.
    const own = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", own ? `${describedBy} ${own}` : describedBy);
  }
  if (blank) {
    input.addEventListener("input", () => {
      if (input.value.trim() === "") blank.selected = true;
    });
  }
}
