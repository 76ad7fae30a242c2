// What a reader's browser adds to a page the build wrote whole:
// - after each time of a meta line ([data-ago] <time datetime>), how long
//   ago it was ("· 7 hours ago"), in the page's language, by the browser's
//   Intl.RelativeTimeFormat: the page itself keeps absolute times only,
//   so builds stay reproducible, and without script the time shows alone;
// - the share button of a brief or hub: the Web Share API where the
//   browser has it, else the page's address copied, and said so.
// Nothing is fetched; words come from the page.
(() => {
  "use strict";
  const lang = document.documentElement.lang || undefined;
  const UNITS = [["year", 365 * 24 * 3600], ["month", 30 * 24 * 3600], ["week", 7 * 24 * 3600],
                 ["day", 24 * 3600], ["hour", 3600], ["minute", 60]];

  function ago(when, now) {
    const seconds = (when - now) / 1000;
    if (!Number.isFinite(seconds) || seconds > 60) return ""; // a time ahead of the reader's clock says nothing
    let format;
    try {
      format = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    } catch {
      return ""; // a language the browser does not know
    }
    for (const [unit, size] of UNITS) {
      if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
    }
    return format.format(0, "minute");
  }

  // A date without a time is the start of its day where the reader is.
  function parse(value) {
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(value + "T00:00:00") : new Date(value);
  }

  const now = Date.now();
  for (const time of document.querySelectorAll("[data-ago] time[datetime]")) {
    if (!/^\d{4}-\d{2}-\d{2}/.test(time.dateTime)) continue; // a year or a month alone
    const words = ago(parse(time.dateTime), now);
    if (!words) continue;
    const after = document.createElement("span");
    after.className = "briefs-ago";
    after.textContent = " · " + words;
    time.after(after);
  }

  for (const box of document.querySelectorAll(".briefs-share")) {
    const button = box.querySelector("button");
    const status = box.querySelector("[role=status]");
    const canonical = document.querySelector("link[rel=canonical]");
    const url = canonical ? canonical.href : location.href.split("#")[0];
    box.hidden = false;
    button.addEventListener("click", async () => {
      status.textContent = "";
      if (navigator.share) {
        try {
          await navigator.share({ title: document.title, url });
        } catch {} // the reader closed the share sheet
        return;
      }
      try {
        await navigator.clipboard.writeText(url);
        status.textContent = button.dataset.copied;
      } catch {
        status.textContent = `${button.dataset.copy} ${url}`;
      }
    });
  }
})();
