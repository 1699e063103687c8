// Loaded as a module, so it runs after the body exists and only in browsers GOV.UK Frontend supports.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
