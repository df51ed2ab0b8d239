/* app.js — wires the page: tabs, filters, sortable table, expandable rows, pager, chart and URL state.
 * Rendering rule: entry text is set with textContent (via LB.el) only; no HTML string is ever parsed. */
(function () {
  "use strict";
  const LB = window.LB;
  const t0 = performance.now();
  const PAGE_SIZE = 100; // paginating keeps the DOM small, so 10,000 entries sort and render instantly
  const $ = (id) => document.getElementById(id);
  const el = LB.el;

  const raw = LB.obj(JSON.parse($("lb-data").textContent));
  const data = {
    single: (Array.isArray(raw.single) ? raw.single : []).map(LB.normalize),
    multi: (Array.isArray(raw.multi) ? raw.multi : []).map(LB.normalize),
  };
  let state = LB.parseHash(location.hash);
  let lastHash = null;
  let filtered = []; // rows of the current tab that pass the filters and the search
  let filteredSig = null; // the tab/filters/search that `filtered` was computed for
  let view = []; // `filtered`, sorted
  let optionsTab = null; // the tab the filter <select>s were built for

  const tabs = [$("tab-single"), $("tab-multi")];
  const tbody = $("rows");
  const selects = [...document.querySelectorAll("select[data-filter]")];
  const search = $("f-q");
  const detailsId = (r) => "details-" + state.tab + "-" + r.index;

  /* ---------- table ---------- */

  function buildHead() {
    const tr = $("board-head");
    tr.replaceChildren(el("th", { scope: "col", class: "col-toggle" }, el("span", { class: "visually-hidden" }, "Details")));
    for (const c of LB.COLUMNS) {
      const btn = el("button", { type: "button", class: "sort", "data-sort": c.key },
        el("span", { class: "sort-label" }, c.label, el("span", { class: "sort-icon", "aria-hidden": "true" })),
        c.unit ? el("span", { class: "unit" }, c.unit) : null);
      tr.appendChild(el("th", { scope: "col", class: c.num ? "num col-" + c.key : "col-" + c.key, "data-col": c.key }, btn));
    }
  }

  const sub = (main, extra) => [main, extra ? el("span", { class: "sub" }, extra) : null];

  function row(r) {
    const open = state.open === r.key;
    const toggle = el("button", { type: "button", class: "expander", "aria-expanded": String(open),
      "aria-controls": detailsId(r), "aria-label": "Details for " + r.model + " on " + r.hardwareLabel });
    const nodes = r.nodes !== null ? " · " + r.nodes + " nodes" : "";
    return el("tr", { "data-entry-id": r.key, "data-index": r.index, class: open ? "is-open" : null },
      el("td", { class: "col-toggle" }, toggle),
      el("th", { scope: "row", class: "col-model" }, ...sub(el("span", { class: "model-name" }, r.model), r.params)),
      el("td", {}, r.precision ? el("span", { class: "pill" }, r.precision) : "—"),
      el("td", {}, ...sub(r.chip + (r.chips !== null ? "\u00a0×\u00a0" + r.chips : ""), (r.vendor || "") + nodes)),
      el("td", { class: "nowrap" }, ...sub(`${r.inLen ?? "?"} → ${r.outLen ?? "?"}`,
        `batch ${r.batch ?? "–"} · conc ${r.conc ?? "–"}`)),
      el("td", {}, ...sub(r.engine, r.engineVersion)),
      el("td", { class: "num" }, LB.fmtMs(r.ttft)),
      el("td", { class: "num" }, LB.fmtMs(r.tpot)),
      el("td", { class: "num strong" }, LB.fmt(r.tput, 1)),
      el("td", { class: "num" }, LB.fmtMem(r.mem)),
      el("td", { class: "num" }, LB.fmtPct(r.err)),
      el("td", { class: "nowrap" }, r.ts !== null ? el("time", { datetime: r.submitted }, r.date) : "—"),
      el("td", {}, r.verified ? el("span", { class: "badge badge-verified", title: "Verified by maintainers" }, "Verified")
        : el("span", { class: "muted", title: "Self-reported, not verified" }, "—",
          el("span", { class: "visually-hidden" }, "not verified"))));
  }

  const detailsRow = (r) => el("tr", { class: "details-row", id: detailsId(r) },
    el("td", { colspan: LB.COLUMNS.length + 1 }, LB.renderDetails(r)));

  function renderRows() {
    const pages = Math.max(1, Math.ceil(view.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages);
    const start = (state.page - 1) * PAGE_SIZE;
    const frag = document.createDocumentFragment(); // one DOM insertion for the whole page of rows
    for (const r of view.slice(start, start + PAGE_SIZE)) {
      frag.appendChild(row(r));
      if (state.open === r.key) frag.appendChild(detailsRow(r));
    }
    if (!data[state.tab].length) {
      frag.appendChild(el("tr", { class: "empty-row" }, el("td", { colspan: LB.COLUMNS.length + 1 }, "No entries yet.")));
    } else if (!view.length) {
      frag.appendChild(el("tr", { class: "empty-row" }, el("td", { colspan: LB.COLUMNS.length + 1 },
        "No entries match these filters. ", el("button", { type: "button", class: "btn btn-small", "data-action": "clear" }, "Clear filters"))));
    }
    tbody.replaceChildren(frag);
    $("pager").hidden = pages < 2;
    $("page-info").textContent = `Page ${state.page} of ${pages}`;
    $("page-prev").disabled = state.page <= 1;
    $("page-next").disabled = state.page >= pages;
    const total = data[state.tab].length;
    const kind = state.tab === "single" ? "single-node" : "multi-node";
    const range = view.length ? `${start + 1}–${Math.min(start + PAGE_SIZE, view.length)}` : "0";
    $("status").textContent = view.length === total ? `Showing ${range} of ${total} ${kind} entries`
      : `Showing ${range} of ${view.length} matching entries (${total} ${kind} entries in total)`;
  }

  function renderSortState() {
    for (const th of document.querySelectorAll("#board-head th[data-col]")) {
      if (th.dataset.col === state.sort) th.setAttribute("aria-sort", state.dir === "asc" ? "ascending" : "descending");
      else th.removeAttribute("aria-sort"); // ARIA: only the sorted column carries aria-sort
    }
  }

  /* ---------- filters, tabs, chart ---------- */

  function buildOptions() {
    const rows = data[state.tab];
    for (const sel of selects) {
      const key = sel.dataset.filter;
      const opts = LB.filterOptions(rows, key);
      const all = el("option", { value: "" }, "All");
      // Entries without the field match only "All"; an empty option value would be "All" again.
      const items = opts.filter((o) => o.value).map((o) => el("option", { value: o.value }, `${o.value} (${o.count})`));
      // A shared link may name a value this tab lacks: keep it visible (0 matches) instead of hiding the filter.
      const cur = state.f[key];
      if (cur && !opts.some((o) => o.value === cur)) items.push(el("option", { value: cur }, cur + " (0)"));
      sel.replaceChildren(all, ...items);
    }
    optionsTab = state.tab;
  }

  function syncControls() {
    if (optionsTab !== state.tab) buildOptions();
    for (const sel of selects) sel.value = state.f[sel.dataset.filter];
    if (search.value !== state.q) search.value = state.q;
    for (const t of tabs) {
      const on = t.dataset.tab === state.tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
    }
    $("panel").setAttribute("aria-labelledby", "tab-" + state.tab);
    $("board-caption").textContent = (state.tab === "single" ? "Single-node" : "Multi-node") + " results";
  }

  function renderChart() {
    const n = LB.renderChart($("chart-body"), view, chartWidth);
    const spread = LB.configSpread(view);
    $("chart-sub").textContent = `${view.length} matching entries · ${n} engine/version groups` +
      (n > LB.CHART_MAX_BARS ? ` (top ${LB.CHART_MAX_BARS} shown)` : "");
    const note = $("chart-note");
    note.hidden = !(view.length && spread.length);
    note.textContent = "These entries differ in " + spread.join(", ") +
      ": filter to one configuration for a like-for-like comparison.";
  }

  function renderKpis() {
    let best = null, fastest = null, verified = 0;
    for (const r of view) {
      if (r.tput !== null && (best === null || r.tput > best)) best = r.tput;
      // A TTFT of 0 means "not measured" (failed runs report 0 for everything), not an instant answer.
      if (r.ttft > 0 && (fastest === null || r.ttft < fastest)) fastest = r.ttft;
      if (r.verified) verified += 1;
    }
    const kpi = (label, value, unit) => el("div", { class: "kpi" }, el("dt", {}, label),
      el("dd", {}, value, unit && value !== "—" ? el("small", {}, unit) : null));
    $("kpis").replaceChildren(kpi("Entries", LB.fmt(view.length, 0)), kpi("Best throughput", LB.fmt(best, 1), "tok/s"),
      kpi("Lowest TTFT", LB.fmtMs(fastest), "ms"), kpi("Verified", LB.fmt(verified, 0)));
  }

  function writeHash() {
    const hash = LB.stateToHash(state);
    if (hash === lastHash) return;
    lastHash = hash;
    const url = location.pathname + location.search + (hash ? "#" + hash : "");
    try {
      history.replaceState(null, "", url); // replace: filter tweaks should not flood the back button
    } catch (_) {
      location.hash = hash; // some file:// setups reject replaceState
    }
  }

  /** Recompute the view from `state` and redraw everything that depends on it. */
  function update() {
    syncControls();
    // Sorting and paging keep the same set of rows: skip re-filtering and the chart/summary redraw then.
    const sig = JSON.stringify([state.tab, state.q, state.f]);
    const changed = sig !== filteredSig;
    if (changed) {
      filtered = LB.filterRows(data[state.tab], state);
      filteredSig = sig;
    }
    view = LB.sortRows(filtered, state.sort, state.dir);
    renderSortState();
    renderRows();
    if (changed) {
      renderChart();
      renderKpis();
    }
    writeHash();
  }

  function setState(patch, keepPage) {
    Object.assign(state, patch);
    if (!keepPage) state.page = 1;
    update();
  }

  /* ---------- events ---------- */

  function selectTab(tab, focus) {
    if (tab !== state.tab) setState({ tab, open: "" });
    if (focus) $("tab-" + tab).focus();
  }
  for (const t of tabs) t.addEventListener("click", () => selectTab(t.dataset.tab, false));
  document.querySelector("[role=tablist]").addEventListener("keydown", (ev) => {
    const i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[ev.key];
    if (next === undefined) return; // Enter/Space already "click" the focused tab button
    ev.preventDefault();
    selectTab(tabs[(next + tabs.length) % tabs.length].dataset.tab, true);
  });

  $("board-head").addEventListener("click", (ev) => {
    const btn = ev.target.closest("button[data-sort]");
    if (!btn) return;
    const key = btn.dataset.sort;
    const dir = key === state.sort ? (state.dir === "asc" ? "desc" : "asc") : LB.COLUMN[key].dir;
    setState({ sort: key, dir }); // the header is never re-rendered, so the button keeps focus
  });

  tbody.addEventListener("click", (ev) => {
    const btn = ev.target.closest("button");
    if (!btn) return;
    if (btn.classList.contains("copy")) return LB.copyCommand(btn);
    if (btn.dataset.action === "clear") return clearFilters();
    if (!btn.classList.contains("expander")) return;
    const tr = btn.closest("tr");
    // Look the row up by position, not id: upstream data has had duplicate entry_ids.
    const r = data[state.tab][Number(tr.dataset.index)];
    const wasOpen = btn.getAttribute("aria-expanded") === "true";
    // Toggle in place rather than re-rendering, so focus and scroll position stay put.
    for (const prev of tbody.querySelectorAll("tr.details-row")) {
      prev.previousElementSibling.classList.remove("is-open");
      prev.previousElementSibling.querySelector(".expander").setAttribute("aria-expanded", "false");
      prev.remove();
    }
    state.open = wasOpen ? "" : r.key;
    if (state.open) {
      tr.after(detailsRow(r));
      tr.classList.add("is-open");
      btn.setAttribute("aria-expanded", "true");
    }
    writeHash();
  });

  for (const sel of selects) {
    sel.addEventListener("change", () => setState({ f: { ...state.f, [sel.dataset.filter]: sel.value }, open: "" }));
  }
  let timer = 0;
  search.addEventListener("input", () => {
    clearTimeout(timer); // debounce: one filter pass per pause in typing, not per keystroke
    timer = setTimeout(() => setState({ q: search.value.trim(), open: "" }), 120);
  });
  $("filters").addEventListener("submit", (ev) => {
    ev.preventDefault();
    clearTimeout(timer);
    setState({ q: search.value.trim() });
  });
  function clearFilters() {
    setState({ q: "", f: LB.defaultState().f, open: "" });
  }
  $("f-clear").addEventListener("click", clearFilters);
  $("page-prev").addEventListener("click", () => setState({ page: state.page - 1, open: "" }, true));
  $("page-next").addEventListener("click", () => setState({ page: state.page + 1, open: "" }, true));

  window.addEventListener("hashchange", () => {
    if (location.hash.replace(/^#/, "") === lastHash) return; // our own write
    state = LB.parseHash(location.hash);
    update();
  });
  // The chart is drawn at the container's pixel width; a ResizeObserver tracks it without forcing layouts.
  let chartWidth = $("chart-body").clientWidth; // read once, before anything is rendered
  let resizeTimer = 0;
  new ResizeObserver((items) => {
    const w = Math.floor(items[0].contentRect.width);
    if (w === chartWidth) return;
    chartWidth = w;
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(renderChart, 100);
  }).observe($("chart-body"));

  buildHead();
  update();
  // A shared link may open a row that is not on page 1: jump to the page that holds it.
  const at = state.open ? view.findIndex((r) => r.key === state.open) : -1;
  if (at >= 0 && Math.floor(at / PAGE_SIZE) + 1 !== state.page) setState({ page: Math.floor(at / PAGE_SIZE) + 1 }, true);
  const openRow = tbody.querySelector("tr.details-row");
  if (openRow) openRow.previousElementSibling.scrollIntoView({ block: "center" });
  // init: script start to first rendered view; ready: since navigation start (includes parsing the page).
  document.body.offsetHeight; // force style + layout so the figures include them
  LB.timings = { init: performance.now() - t0, ready: performance.now() };
  document.documentElement.dataset.ready = "true"; // lets tests and the benchmark wait for the first render
})();
