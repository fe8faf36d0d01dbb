// The agents' page: shows how many pages the chosen notices make ("Ladda ner valda (N sidor)")
// and keeps the download buttons disabled while nothing is chosen. The page works without it.
"use strict";
(function () {
  const form = document.getElementById("urval");
  if (!form) return;
  const boxes = Array.from(form.querySelectorAll("input[name=ids]"));
  const buttons = Array.from(form.querySelectorAll("button[name=edition]"));
  let asked = 0;
  async function update() {
    const ids = boxes.filter((b) => b.checked).map((b) => b.value);
    const ask = ++asked;
    for (const b of buttons) {
      b.disabled = ids.length === 0;
      b.querySelector(".count").textContent = "";
    }
    if (ids.length === 0) return;
    for (const b of buttons) {
      const query = new URLSearchParams({ ids: ids.join(","), edition: b.value });
      try {
        const r = await fetch("/pack.json?" + query.toString());
        if (!r.ok || ask !== asked) continue;
        const info = await r.json();
        if (ask !== asked) return;
        b.querySelector(".count").textContent = " (" + info.pages + (info.pages === 1 ? " sida)" : " sidor)");
      } catch (e) {
        // The count is a help; the download works without it.
      }
    }
  }
  for (const b of boxes) b.addEventListener("change", update);
  update();
})();
