// The agents' page, enhanced; it works without this script (the search is a GET of /?q=,
// the choice a GET of /pack.pdf). With it: the list is filtered as the agent types (asking
// /search.json, the server's own search, so it shows what /?q= shows), the choice's page
// counts are said, an empty choice is caught before it is sent, and a notice's web address
// can be copied.
"use strict";
(function () {
  const pages = (n) => n + (n === 1 ? " sida" : " sidor");

  // The filter.
  const search = document.querySelector("form.search");
  const box = document.getElementById("sok");
  const found = document.getElementById("antal");
  let searched = 0;
  async function filter() {
    const ask = ++searched;
    try {
      const r = await fetch("/search.json?" + new URLSearchParams({ q: box.value }).toString());
      if (!r.ok || ask !== searched) return;
      const answer = await r.json();
      if (ask !== searched) return;
      const shown = new Set(answer.ids);
      for (const li of document.querySelectorAll("li.notice")) li.hidden = !shown.has(li.dataset.id);
      for (const group of document.querySelectorAll("fieldset.group")) {
        group.hidden = !group.querySelector("li.notice:not([hidden])");
      }
      found.textContent = answer.status;
      const url = answer.query ? "/?q=" + encodeURIComponent(answer.query) : "/";
      history.replaceState(null, "", url);
    } catch (e) {
      // The search button still asks the server.
    }
  }
  if (search && box && found) {
    box.addEventListener("input", filter);
    search.addEventListener("submit", (event) => {
      event.preventDefault();
      filter();
    });
  }

  // The choice: what it makes, and never sent empty.
  const form = document.getElementById("urval");
  if (!form) return;
  const boxes = Array.from(form.querySelectorAll("input[name=ids]"));
  const chosen = document.getElementById("valda");
  const error = document.getElementById("valfel");
  let counted = 0;
  async function update() {
    const ids = boxes.filter((b) => b.checked).map((b) => b.value);
    const ask = ++counted;
    if (ids.length > 0) error.textContent = "";
    if (ids.length === 0) {
      chosen.textContent = "";
      return;
    }
    const what = ids.length === 1 ? "1 dokument valt" : ids.length + " dokument valda";
    const counts = [];
    for (const edition of ["standard", "large"]) {
      try {
        const query = new URLSearchParams({ ids: ids.join(","), edition: edition });
        const r = await fetch("/pack.json?" + query.toString());
        if (ask !== counted) return;
        if (r.ok) counts.push((await r.json()).pages);
      } catch (e) {
        // The count is a help; the download works without it.
      }
      if (ask !== counted) return;
    }
    chosen.textContent = counts.length === 2
      ? what + ": " + pages(counts[0]) + ", i stor stil " + pages(counts[1]) + "."
      : what + ".";
  }
  for (const b of boxes) b.addEventListener("change", update);
  form.addEventListener("submit", (event) => {
    if (!boxes.some((b) => b.checked)) {
      event.preventDefault();
      error.textContent = "Välj minst ett dokument.";
    }
  });
  update();

  // Copy a notice's web address (for an agent who sends a link, not a file).
  const copied = document.getElementById("kopierat");
  async function copy(url) {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(url);
        return true;
      }
    } catch (e) {
      // Fall back to the selection below.
    }
    const text = document.createElement("textarea");
    text.value = url;
    text.setAttribute("readonly", "");
    text.className = "offscreen";
    document.body.append(text);
    text.select();
    let done = false;
    try {
      done = document.execCommand("copy");
    } catch (e) {
      done = false;
    }
    text.remove();
    return done;
  }
  for (const button of form.querySelectorAll("button.copy")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const url = button.dataset.url;
      const done = await copy(url);
      button.focus();
      copied.textContent = done
        ? "Webbadressen är kopierad: " + url
        : "Kunde inte kopiera. Webbadressen är " + url;
    });
  }
})();
