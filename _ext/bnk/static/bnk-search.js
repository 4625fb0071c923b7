/* The search page in German, with its result announced (bnk).
 *
 * Sphinx's German catalogue has an empty translation for the result count ("Search finished,
 * found ${resultCount} pages …"), and Sphinx looks the plural form up with a boolean, so the page
 * said nothing after a search; the German sentences are added here. The count is also copied into a live region (role="status") that exists before
 * the search runs, so a screen reader announces it (WCAG 4.1.3, status messages).
 */
(() => {
  const FOUND = "Search finished, found one page matching the search query.";
  const ONE = "Suche beendet: eine Seite gefunden.";
  const MANY = "Suche beendet: ${resultCount} Seiten gefunden.";
  // ngettext indexes with PLURAL_EXPR(n); the German catalogue's "(n != 1)" yields a boolean.
  const GERMAN = { 0: ONE, 1: MANY, false: ONE, true: MANY };
  document.addEventListener("DOMContentLoaded", () => {
    const results = document.getElementById("search-results");
    if (!results) return;
    // doctools.js declares Documentation with const: not a property of window.
    if (typeof Documentation !== "undefined" && document.documentElement.lang.startsWith("de")) {
      const current = Documentation.TRANSLATIONS[FOUND];
      if (!current || !current[0]) Documentation.TRANSLATIONS[FOUND] = GERMAN;
    }
    const status = document.createElement("p");
    status.className = "visually-hidden bnk-search-status";
    status.setAttribute("role", "status");
    results.before(status);
    new MutationObserver(() => {
      const summary = results.querySelector(".search-summary");
      const text = summary ? summary.textContent.trim() : "";
      if (text && status.textContent !== text) status.textContent = text;
    }).observe(results, { childList: true, subtree: true, characterData: true });
  });
})();
