// "Log an issue": the Local Authority list offers only the chosen district's authorities. The list is grouped by
// district on the server, so without JavaScript the groups say which authority is in which district.
const district = document.getElementById("id_district");
const authority = document.getElementById("id_local_authority");

function narrow() {
  const chosen = district.selectedIndex > 0 ? district.options[district.selectedIndex].text : "";
  for (const group of authority.querySelectorAll("optgroup")) {
    const shown = !chosen || group.label === chosen;
    group.hidden = !shown;
    group.disabled = !shown;
  }
  const selected = authority.selectedOptions[0];
  if (selected && selected.parentElement.disabled) {
    // An authority in two districts appears in both groups: keep it chosen through the group that is shown.
    const twin = [...authority.options].find((o) => o.value === selected.value && !o.parentElement.disabled);
    if (twin) {
      twin.selected = true;
    } else {
      authority.value = "";
    }
  }
}

if (district && authority) {
  district.addEventListener("change", narrow);
  narrow();
}
