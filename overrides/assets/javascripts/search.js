// The header's search box over Pagefind's index (generator/search.py).
// Nothing of the index is fetched until the reader opens search; then
// Pagefind fetches its entry files and only the chunks a query needs.
// Everything shown comes from the pages' text and is inserted as text.
(() => {
  "use strict";
  const root = document.getElementById("briefs-search");
  const toggle = document.getElementById("__search");
  if (!root || !toggle) return;
  const words = JSON.parse(root.dataset.words);
  const bundle = new URL(root.dataset.bundle, location.href).href;
  const base = new URL(root.dataset.base.replace(/\/?$/, "/"), location.href).pathname;
  const opener = document.querySelector(".briefs-search__open");
  const form = root.querySelector("form");
  const input = form.elements.query;
  const filterBox = root.querySelector(".briefs-search__filters");
  const selects = { story: filterBox.querySelector("select[name=story]"), year: filterBox.querySelector("select[name=year]") };
  const status = root.querySelector("[role=status]");
  const list = root.querySelector("ol");
  const more = root.querySelector(".briefs-search__more");
  const PAGE = 10; // results whose text is fetched at a time
  let pagefind = null; // the loaded module, as a promise
  let ended = Promise.resolve(); // a failed Pagefind's end, which the next start waits for (see failed)
  let results = [];
  let shown = 0;
  let round = 0; // the latest search; an older one's answer is dropped

  // "3 briefs match.", in the plural form the page's language gives the number.
  const plural = new Intl.PluralRules(document.documentElement.lang || "en");
  const number = new Intl.NumberFormat(document.documentElement.lang || "en");
  function matches(count) {
    const form = words.matches[plural.select(count)] || words.matches.other;
    return form.replace("{n}", number.format(count));
  }

  function load() {
    if (!pagefind) {
      status.textContent = words.loading;
      pagefind = ended.then(() => import(bundle + "pagefind.js")).then(start); // its callers handle a failure (see failed)
    }
    return pagefind;
  }

  async function start(api) {
    try {
      await api.options({ baseUrl: base, excerptLength: 24 });
      await api.init();
      fillFilters(await api.filters());
    } catch (error) {
      await api.destroy().catch(() => {}); // it would keep this start as failed
      throw error;
    }
    // With words typed already, their search says what it found instead.
    if (status.textContent === words.loading && !input.value.trim()) status.textContent = words.start;
    return api;
  }

  function fillFilters(counts) {
    const order = { story: (a, b) => a.localeCompare(b), year: (a, b) => b.localeCompare(a) };
    for (const [name, select] of Object.entries(selects)) {
      const values = Object.keys(counts[name] || {}).sort(order[name]);
      const chosen = select.value; // kept when search is started afresh (see failed)
      select.replaceChildren(select.options[0], ...values.map((value) => new Option(`${value} (${counts[name][value]})`, value)));
      select.value = values.includes(chosen) ? chosen : "";
    }
    filterBox.hidden = false;
  }

  function open() {
    if (!toggle.checked) {
      toggle.checked = true;
      opened();
    }
    input.focus();
  }

  function opened() {
    opener.setAttribute("aria-expanded", String(toggle.checked));
    if (toggle.checked) load().catch(() => unavailable());
  }

  function close() {
    toggle.checked = false;
    opened();
    if (getComputedStyle(opener).display !== "none") opener.focus();
    else input.blur();
  }

  async function search() {
    const mine = ++round;
    const term = input.value.trim();
    const filters = {};
    for (const [name, select] of Object.entries(selects)) if (select.value) filters[name] = select.value;
    if (!term && !Object.keys(filters).length) return show(mine, [], words.start);
    try {
      const api = await load();
      const found = await api.debouncedSearch(term || null, { filters }, 150);
      if (found === null || mine !== round) return; // a later keystroke took over
      const count = found.results.length;
      if (count === 0 && term) await reachable();
      await show(mine, found.results, count === 0 ? words.none : matches(count));
    } catch {
      if (mine === round) {
        results = [];
        list.replaceChildren(); // the earlier results are not this search's
        more.hidden = true;
        await unavailable(mine);
      }
    }
  }

  // Pagefind answers "no match" when the part of its index a word needs
  // did not arrive (it only logs that): before a reader is told that no
  // brief matches, the index must still be reachable. Throws if not.
  async function reachable() {
    const response = await fetch(bundle + "pagefind-entry.json", { cache: "no-store" });
    if (!response.ok) throw new Error(`search index: ${response.status}`);
  }

  // A site with no brief yet has no index (Pagefind makes none of no
  // page): its entry file answers 404, and no brief matches. Anything else
  // is a failure.
  async function unavailable(mine = round) {
    const response = await fetch(bundle + "pagefind-entry.json", { cache: "no-store" }).catch(() => null);
    if (mine !== round) return; // a later keystroke took over
    if (response?.status !== 404) return failed();
    pagefind = null;
    status.textContent = input.value.trim() || Object.values(selects).some((select) => select.value) ? words.none : words.start;
  }

  // A part of the index or a result's text did not arrive (a phone between
  // networks). Pagefind keeps such a part as failed, so it is started
  // afresh, and the next keystroke or page of results tries again.
  function failed() {
    status.textContent = words.failed;
    const loading = pagefind;
    pagefind = null;
    if (loading) ended = loading.then((api) => api.destroy()).catch(() => {});
  }

  // The earlier results stay until the new ones are ready: no empty list
  // between two keystrokes, and the status is read out with its results.
  async function show(mine, found, message) {
    const data = await texts(found, 0);
    if (mine !== round) return;
    results = found;
    shown = data.length;
    list.replaceChildren(...data.map(item));
    status.textContent = message;
    more.hidden = shown >= results.length;
  }

  async function showMore(mine) {
    more.hidden = true; // one page at a time
    try {
      const data = await texts(results, shown);
      if (mine !== round) return;
      shown += data.length;
      list.append(...data.map(item));
    } catch {
      if (mine === round) failed();
    }
    if (mine === round) more.hidden = shown >= results.length;
  }

  function texts(found, from) {
    return Promise.all(found.slice(from, from + PAGE).map((result) => result.data()));
  }

  function item(data) {
    const link = element("a", "md-search-result__link");
    const url = new URL(data.url, location.href);
    if (url.origin === location.origin) link.href = url.href;
    const article = element("article", "md-search-result__article md-typeset");
    const meta = [data.meta.story, data.meta.date].filter(Boolean).join(" · ");
    article.append(element("h2", "", data.meta.title || url.pathname), element("p", "briefs-search__meta", meta), excerpt(data.excerpt));
    for (const line of article.children) line.dir = "auto"; // each brief in its own direction, whatever the page's
    link.append(article);
    const li = element("li", "md-search-result__item");
    li.append(link);
    return li;
  }

  // Pagefind's excerpt is the page's text, HTML-escaped, with <mark> around
  // the words that matched. Parsed in an inert document, it comes back as
  // text and marks only, whatever it holds.
  function excerpt(html) {
    const paragraph = element("p", "briefs-search__excerpt");
    for (const node of new DOMParser().parseFromString(html, "text/html").body.childNodes) {
      paragraph.append(node.nodeName === "MARK" ? element("mark", "", node.textContent) : node.textContent);
    }
    return paragraph;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function links() {
    return [...list.querySelectorAll("a")];
  }

  opener.addEventListener("click", open);
  toggle.addEventListener("change", () => {
    opened();
    if (toggle.checked) input.focus();
  });
  input.addEventListener("focus", () => toggle.checked || open());
  input.addEventListener("input", search);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => setTimeout(search));
  for (const select of Object.values(selects)) select.addEventListener("change", search);
  more.addEventListener("click", () => {
    const next = shown;
    showMore(round).then(() => links()[next]?.focus());
  });
  root.addEventListener("keydown", (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && (event.target === input || at >= 0)) {
      all[Math.min(at + 1, all.length - 1)]?.focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      (at === 0 ? input : all[at - 1]).focus();
    } else {
      return;
    }
    event.preventDefault();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.checked) {
      close();
    } else if (event.key === "/" && !toggle.checked && !event.target.closest("input, textarea, select, [contenteditable]")) {
      event.preventDefault();
      open();
    }
  });
})();
