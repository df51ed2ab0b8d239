/* app.js — wires the page: tabs, filters, comparable groups, sortable table, expandable rows, pager, chart,
 * downloads and URL state (one history entry per view). Entry text is set with textContent (via LB.el)
 * only; no HTML string is ever parsed. */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const LB = window.LB;
  // Each script adds to window.LB; a missing or broken one must say so instead of leaving a blank page.
  const NEEDED = [["data.js", () => window.LB_DATA], ["core.js", () => LB && LB.normalize],
    ["text.js", () => LB && LB.visible],
    ["chart.js", () => LB && LB.renderChart], ["scatter.js", () => LB && LB.renderScatter],
    ["compare.js", () => LB && LB.renderCompare], ["table.js", () => LB && LB.tableRow],
    ["details.js", () => LB && LB.renderDetails]];
  const missing = NEEDED.filter(([, ok]) => !ok()).map(([file]) => file);
  if (missing.length) {
    const box = $("fatal");
    box.textContent = `The page could not load ${missing.join(", ")}, so it cannot show the results. ` +
      "Reload the page; the results are also in the data files linked above.";
    box.hidden = false;
    document.documentElement.dataset.failed = "true";
    return;
  }
  const t0 = performance.now();
  const PAGE_SIZE = 100; // paging keeps the DOM small, so 100,000 entries sort and render quickly
  const el = LB.el;
  const raw = LB.unpack(window.LB_DATA);
  const data = { single: raw.single.map((e, i) => LB.normalize(e, i, raw.ids.single[i])),
    multi: raw.multi.map((e, i) => LB.normalize(e, i, raw.ids.multi[i])) };
  const known = {}; // tab -> filter -> Set of values, to drop unknown values from links
  for (const tab of Object.keys(data)) {
    known[tab] = Object.fromEntries(Object.keys(LB.FILTERS).map((k) => [k, new Set(data[tab].map(LB.FILTERS[k]))]));
  }
  let state = LB.parseHash(location.hash);
  const saved = {}; // per-tab search and filters, restored when the tab is selected again
  let lastHash = null;
  let filtered = [], sorted = [], units = [], groupCount = 0, noneCount = 0;
  let filterSig = null, colsSig = null;
  // Expanded contenders -> how many of their runs are shown: PAGE_SIZE at a time, as for the rows,
  // because drawing 5,000 repeats at once took about 9 s, and as long again on every sort.
  const openRuns = new Map();
  let openIndex = -1; // the row whose details were opened by a click (entry ids are not always unique)
  const isOpen = (r) => state.open === r.key && (openIndex < 0 || openIndex === r.index);

  const tabs = [$("tab-single"), $("tab-multi")];
  const tbody = $("rows");
  const selects = [...document.querySelectorAll("select[data-filter]")];
  const search = $("f-q");
  const cols = () => (state.cols && state.cols.length ? state.cols : LB.DEFAULT_COLUMNS).map((k) => LB.COLUMN[k]);
  const detailsId = (r) => "details-" + state.tab + "-" + r.index;

  /* ---------- table ---------- */

  function buildHead() {
    $("board-head").replaceChildren(LB.tableHead(cols()));
  }
  const row = (r, item, unit) => LB.tableRow(r, item, unit, { cols: cols(), open: isOpen(r),
    runsOpen: item !== null && openRuns.has(item.key), picked: state.cmp.includes(r.key), sort: state.sort, detailsId: detailsId(r) });

  const span = () => cols().length + 2;
  const detailsRow = (r) => el("tr", { class: "details-row", id: detailsId(r) },
    el("td", { colspan: span() }, LB.renderDetails(r, LB.history(r, data[state.tab]))));

  function renderRows() {
    const pages = Math.max(1, Math.ceil(units.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages);
    const start = (state.page - 1) * PAGE_SIZE;
    const frag = document.createDocumentFragment(); // one DOM insertion for the whole page of rows
    let group = null;
    units.slice(start, start + PAGE_SIZE).forEach((u, i) => {
      if (!state.flat && u.group !== group) frag.appendChild(LB.groupRow((group = u.group), span()));
      const shown = openRuns.get(u.item.key) || 1; // runs[0] is the best run
      u.item.runs.slice(0, shown).forEach((r, j) => {
        frag.appendChild(row(r, j === 0 ? u.item : null, start + i));
        if (isOpen(r)) frag.appendChild(detailsRow(r));
      });
      if (shown < u.item.runs.length && openRuns.has(u.item.key)) {
        frag.appendChild(LB.moreRunsRow(shown, u.item.runs.length, PAGE_SIZE, start + i, span()));
      }
    });
    const empty = (...text) => frag.appendChild(el("tr", { class: "empty-row" }, el("td", { colspan: span() }, ...text)));
    if (!data[state.tab].length) empty("No entries yet.");
    else if (!units.length) empty("No entries match these filters. ", el("button", { type: "button", class: "btn btn-small", "data-action": "clear" }, "Clear filters"));
    tbody.replaceChildren(frag);
    $("pager").hidden = pages < 2;
    $("page-info").textContent = `Page ${state.page} of ${pages}`;
    $("page-prev").disabled = state.page <= 1;
    $("page-next").disabled = state.page >= pages;
    const range = units.length ? `${LB.fmt(start + 1, 0)}–${LB.fmt(Math.min(start + PAGE_SIZE, units.length), 0)}` : "0";
    const kind = state.tab === "single" ? "single-node" : "multi-node";
    const n = (v) => LB.fmt(v, 0);
    const what = state.flat ? `${n(units.length)} entries` : `${n(units.length)} rows in ${n(groupCount)} comparable groups`;
    const hidden = !state.all && noneCount ? `; ${n(noneCount)} without measurements hidden` : "";
    $("status").textContent = `Showing ${range} of ${what} (${n(filtered.length)} of ${n(data[state.tab].length)} ${kind} entries match${hidden})`;
  }

  function renderSortState() {
    for (const th of document.querySelectorAll("#board-head th[data-col]")) {
      if (th.dataset.col === state.sort) th.setAttribute("aria-sort", state.dir === "asc" ? "ascending" : "descending");
      else th.removeAttribute("aria-sort"); // ARIA: only the sorted column carries aria-sort
    }
    $("f-sort").value = state.sort + ":" + state.dir;
  }

  /* ---------- filters, tabs, chart ---------- */

  function buildOptions() {
    const rows = data[state.tab];
    for (const sel of selects) {
      const key = sel.dataset.filter;
      // Counts under the other active filters: an option never leads into an empty view.
      const opts = LB.filterOptions(rows, key, state).filter((o) => o.value);
      const alias = (v) => (key === "hardware" && LB.CHIP_ALIASES[v.toLowerCase()] ? ` — a ${LB.CHIP_ALIASES[v.toLowerCase()]}` : "");
      const items = opts.map((o) => el("option", { value: o.value }, `${LB.cut(o.value)}${alias(o.value)} (${LB.fmt(o.count, 0)})`));
      const cur = state.f[key];
      if (cur && !opts.some((o) => o.value === cur)) items.push(el("option", { value: cur }, LB.cut(cur) + " (0)"));
      sel.replaceChildren(el("option", { value: "" }, "All"), ...items);
      sel.value = cur;
    }
  }

  /** Drop filter values a link names that this tab does not have, and say so. */
  function dropUnknown() {
    const dropped = Object.keys(LB.FILTERS).filter((k) => state.f[k] && !known[state.tab][k].has(state.f[k]));
    const notice = $("notice");
    notice.hidden = !dropped.length;
    notice.replaceChildren(...(dropped.length ? ["Ignored from the link, no such value here: ",
      ...dropped.flatMap((k, i) => [i ? ", " : "", `${$("f-" + k).labels[0].textContent} “`, LB.u(state.f[k]), "”"]), "."] : []));
    for (const k of dropped) state.f[k] = "";
  }

  function syncControls() {
    if (search.value !== state.q) search.value = state.q;
    for (const t of tabs) {
      const on = t.dataset.tab === state.tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
    }
    $("panel").setAttribute("aria-labelledby", "tab-" + state.tab);
    $("board-caption").textContent = (state.tab === "single" ? "Single-node" : "Multi-node") + " results";
    $("view-groups").setAttribute("aria-pressed", String(!state.flat));
    $("view-flat").setAttribute("aria-pressed", String(state.flat));
    $("f-verified").checked = state.verified;
    $("f-all").checked = state.all;
    const shown = new Set(cols().map((c) => c.key));
    for (const box of $("columns").querySelectorAll("input")) box.checked = shown.has(box.value);
  }

  function renderChart() {
    const rows = filtered.filter((r) => !r.none); // no-measurement runs never get a bar or a point
    const spread = LB.configSpread(rows, raw.setupFields);
    $("chart-kind").value = state.chart;
    $("chart").hidden = rows.length < 2; // one entry (or none) is nothing to chart: give the table the room
    if (state.chart) {
      const points = LB.renderScatter($("chart-body"), rows, chartWidth, state.chart);
      $("chart-sub").textContent = `${LB.fmt(points.length, 0)} entries · larger dots: the Pareto frontier · click a dot for its details`;
    } else {
      const n = LB.renderChart($("chart-body"), rows, chartWidth);
      $("chart-sub").textContent = `${LB.fmt(rows.length, 0)} measured entries · ${n} engine/version groups` +
        (n > LB.CHART_MAX_BARS ? ` (top ${LB.CHART_MAX_BARS} shown)` : "");
    }
    const note = $("chart-note");
    note.hidden = !(rows.length && spread.length);
    note.textContent = "These entries differ in " + spread.join(", ") +
      ": the table's comparable groups rank like with like.";
  }

  function renderCompare() {
    const rows = state.cmp.map((key) => data[state.tab].find((r) => r.key === key)).filter(Boolean);
    $("compare").hidden = rows.length < 2;
    $("compare-title").textContent = `Compare ${rows.length} entries` + (rows.length < LB.COMPARE_MAX ? "" : " (the most at once)");
    $("compare-body").replaceChildren(rows.length >= 2 ? LB.renderCompare(rows) : "");
  }

  function renderKpis() {
    let best = null, fastest = null, verified = 0;
    for (const r of filtered) { // unmeasured values are null, so they can never be a best value
      if (r.tput !== null && (best === null || r.tput > best.tput)) best = r;
      if (r.ttft !== null && (fastest === null || r.ttft < fastest.ttft)) fastest = r;
      if (r.verified) verified += 1;
    }
    // A best is taken across every matching configuration: each names the one it comes from.
    const kpi = (label, value, unit, from) => el("div", { class: "kpi" }, el("dt", {}, label),
      el("dd", { class: "kpi-value" }, value, unit && value !== "—" ? el("small", {}, unit) : null),
      from ? el("dd", { class: "kpi-from" }, "in ", ...LB.configNodes(from.configParts)) : null);
    $("kpis").replaceChildren(kpi("Entries", LB.fmt(filtered.length, 0)),
      kpi("Best throughput", best ? LB.fmt(best.tput, 1, best.t.tput) : "—", "tok/s", best),
      kpi("Lowest TTFT", fastest ? LB.fmtMs(fastest.ttft, fastest.t.ttft) : "—", "ms", fastest),
      kpi("Verified", LB.fmt(verified, 0)));
    const configs = new Set(filtered.filter((r) => !r.none).map((r) => r.config)).size;
    $("kpi-note").hidden = configs < 2;
    $("kpi-note").textContent = `These are the bests across ${LB.fmt(configs, 0)} configurations, each named under ` +
      "its value: the table's comparable groups rank like with like.";
  }

  /** Put the view in the URL: a new history entry per view change (Back steps back), or replace it. */
  function writeHash(replace) {
    const hash = LB.stateToHash(state);
    if (hash === lastHash) return;
    lastHash = hash;
    const url = location.pathname + location.search + (hash ? "#" + hash : "");
    try {
      if (replace) history.replaceState(null, "", url);
      else history.pushState(null, "", url);
    } catch (_) {
      location.hash = hash; // some file:// setups reject the history API
    }
  }

  /** Recompute the view from `state` and redraw everything that depends on it. */
  function update(replace) {
    const cs = JSON.stringify(state.cols);
    if (cs !== colsSig) {
      colsSig = cs;
      buildHead();
    }
    syncControls();
    const sig = JSON.stringify([state.tab, state.q, state.f, state.all, state.verified, state.chart]);
    const changed = sig !== filterSig;
    if (changed) {
      filterSig = sig;
      filtered = LB.filterRows(data[state.tab], state);
      noneCount = state.all ? 0 : LB.filterRows(data[state.tab], { ...state, all: true }).length - filtered.length;
      $("none-count").textContent = `(${noneCount + (state.all ? filtered.filter((r) => r.none).length : 0)})`;
      buildOptions();
    }
    const groups = LB.arrange(filtered, state);
    groupCount = groups.length;
    sorted = groups.flatMap((g) => g.items.flatMap((it) => it.runs));
    units = [];
    for (const g of groups) {
      const group = { parts: g.parts, count: g.items.reduce((n, it) => n + it.runs.length, 0) };
      for (const item of g.items) units.push({ group, item });
    }
    renderSortState();
    renderRows();
    renderCompare();
    if (changed) {
      renderChart();
      renderKpis();
    }
    writeHash(replace);
  }

  function setState(patch, keepPage) {
    Object.assign(state, patch);
    if (!state.open) openIndex = -1;
    if (!keepPage) state.page = 1;
    update(false);
  }

  /* ---------- events ---------- */

  function selectTab(tab, focus) {
    if (tab !== state.tab) {
      saved[state.tab] = { q: state.q, f: state.f };
      const back = saved[tab] || { q: "", f: LB.defaultState().f };
      setState({ tab, open: "", q: back.q, f: back.f, cmp: [] });
    }
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

  function sortBy(key, dir) {
    setState({ sort: key, dir: dir || (key === state.sort ? (state.dir === "asc" ? "desc" : "asc") : LB.COLUMN[key].dir) });
  }
  $("board-head").addEventListener("click", (ev) => {
    const btn = ev.target.closest("button[data-sort]");
    if (btn) sortBy(btn.dataset.sort); // the header is not re-rendered, so the button keeps focus
  });
  $("f-sort").replaceChildren(...LB.sortOptions().map(([value, text]) => el("option", { value }, text)));
  $("f-sort").addEventListener("change", (ev) => sortBy(...ev.target.value.split(":")));

  /** Re-render the rows after a toggle and put the focus back on the button that was pressed (or, when
   * it is gone, on the first of the `selectors` that matches). */
  function rerender(...selectors) {
    renderRows();
    writeHash(false);
    const again = selectors.map((s) => tbody.querySelector(s)).find(Boolean);
    if (again) again.focus();
  }
  tbody.addEventListener("change", (ev) => {
    if (!ev.target.classList.contains("pick")) return;
    const r = data[state.tab][Number(ev.target.dataset.index)];
    const cmp = state.cmp.filter((k) => k !== r.key);
    if (ev.target.checked) {
      if (cmp.length >= LB.COMPARE_MAX) {
        ev.target.checked = false;
        $("notice").hidden = false;
        $("notice").textContent = `Compare takes at most ${LB.COMPARE_MAX} entries: clear one first.`;
        return;
      }
      cmp.push(r.key);
    }
    state.cmp = cmp;
    renderCompare();
    writeHash(false);
  });
  $("compare-clear").addEventListener("click", () => setState({ cmp: [] }, true));
  $("chart-kind").addEventListener("change", (ev) => setState({ chart: ev.target.value }, true));

  /** Expand `item`'s runs far enough to show its run `r` (the best run needs no expanding). */
  function showRun(item, r) {
    const at = item.runs.indexOf(r);
    if (at > 0) openRuns.set(item.key, Math.max(openRuns.get(item.key) || 0, (Math.floor(at / PAGE_SIZE) + 1) * PAGE_SIZE));
  }

  /** Show one entry's details (from a chart dot): expand its repeats, go to its page, focus it. */
  function openEntry(index) {
    const r = data[state.tab][index];
    const at = units.findIndex((u) => u.item.runs.includes(r));
    if (!r || at < 0) return;
    showRun(units[at].item, r);
    state.open = r.key;
    openIndex = r.index;
    state.page = Math.floor(at / PAGE_SIZE) + 1;
    rerender(`tr[data-index="${r.index}"] .expander`);
    const tr = tbody.querySelector(`tr[data-index="${r.index}"]`);
    if (tr) tr.scrollIntoView({ block: "center" });
  }
  $("chart-body").addEventListener("click", (ev) => {
    const dot = ev.target.closest("circle[data-index]");
    if (dot) openEntry(Number(dot.getAttribute("data-index")));
  });

  tbody.addEventListener("click", (ev) => {
    const btn = ev.target.closest("button");
    if (!btn) return;
    if (btn.classList.contains("copy")) return LB.copyCommand(btn);
    if (btn.dataset.action === "clear") return clearFilters();
    if (btn.classList.contains("runs")) {
      const item = units[Number(btn.dataset.unit)].item;
      if (!openRuns.delete(item.key)) openRuns.set(item.key, PAGE_SIZE);
      return rerender(`button.runs[data-unit="${btn.dataset.unit}"]`);
    }
    if (btn.classList.contains("more-runs")) {
      const item = units[Number(btn.dataset.unit)].item;
      const before = openRuns.get(item.key);
      openRuns.set(item.key, before + PAGE_SIZE);
      // Focus stays on the button while runs are left; after the last ones, on the first run it showed.
      return rerender(`button.more-runs[data-unit="${btn.dataset.unit}"]`, `tr[data-index="${item.runs[before].index}"] .expander`);
    }
    if (!btn.classList.contains("expander")) return;
    // Look the row up by position, not id: upstream data has had duplicate entry_ids.
    const index = btn.closest("tr").dataset.index;
    const r = data[state.tab][Number(index)];
    state.open = btn.getAttribute("aria-expanded") === "true" ? "" : r.key;
    openIndex = state.open ? r.index : -1;
    rerender(`tr[data-index="${index}"] .expander`);
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
    setState({ q: "", f: LB.defaultState().f, open: "", verified: false });
  }
  $("f-clear").addEventListener("click", clearFilters);
  $("page-prev").addEventListener("click", () => setState({ page: state.page - 1, open: "" }, true));
  $("page-next").addEventListener("click", () => setState({ page: state.page + 1, open: "" }, true));
  $("view-groups").addEventListener("click", () => setState({ flat: false }));
  $("view-flat").addEventListener("click", () => setState({ flat: true }));
  $("f-verified").addEventListener("change", (ev) => setState({ verified: ev.target.checked }));
  $("f-all").addEventListener("change", (ev) => setState({ all: ev.target.checked }));
  $("filters-toggle").addEventListener("click", (ev) => {
    const open = ev.currentTarget.getAttribute("aria-expanded") !== "true";
    ev.currentTarget.setAttribute("aria-expanded", String(open));
    $("controls").classList.toggle("open", open);
    // The chart was drawn while hidden (no width): draw it now at its real width, not 100 ms later.
    if (open && $("chart-body").clientWidth !== chartWidth) {
      chartWidth = $("chart-body").clientWidth;
      renderChart();
    }
  });

  $("columns").append(...LB.COLUMNS.map((c) => el("label", { class: "check" },
    el("input", { type: "checkbox", value: c.key }), " " + c.label)));
  $("columns").addEventListener("change", () => {
    const keys = [...$("columns").querySelectorAll("input:checked")].map((b) => b.value);
    if (!keys.length) return syncControls(); // at least one column stays
    setState({ cols: keys.join() === LB.DEFAULT_COLUMNS.join() ? null : keys }, true);
  });

  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = el("a", { href: url, download: name, hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  const fileName = (ext) => `leaderboard-${state.tab}-view.${ext}`;
  $("dl-csv").addEventListener("click", () => download(fileName("csv"), "text/csv", LB.toCsv(sorted, LB.CSV_FIELDS)));
  $("dl-json").addEventListener("click", () => download(fileName("json"), "application/json",
    LB.toJson(sorted.map((r) => r.entry)) + "\n"));

  window.addEventListener("popstate", () => {
    if (location.hash.replace(/^#/, "") === lastHash) return; // our own write
    state = LB.parseHash(location.hash);
    lastHash = null;
    dropUnknown();
    update(true);
  });
  window.addEventListener("hashchange", () => { // a hand-edited hash
    if (location.hash.replace(/^#/, "") === lastHash) return;
    state = LB.parseHash(location.hash);
    dropUnknown();
    update(true);
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

  document.documentElement.classList.remove("no-js");
  dropUnknown();
  update(true);
  // A shared link may open a row that is a collapsed repeat or not on page 1: show it.
  const at = state.open ? units.findIndex((u) => u.item.runs.some((r) => r.key === state.open)) : -1;
  if (at >= 0) {
    showRun(units[at].item, units[at].item.runs.find((r) => r.key === state.open));
    state.page = Math.floor(at / PAGE_SIZE) + 1;
    renderRows();
    writeHash(true);
  }
  const openRow = tbody.querySelector("tr.details-row");
  if (openRow) openRow.previousElementSibling.scrollIntoView({ block: "center" });
  // init: script start to first rendered view; ready: since navigation start (includes loading the data).
  document.body.offsetHeight; // force style + layout so the figures include them
  LB.timings = { init: performance.now() - t0, ready: performance.now() };
  document.documentElement.dataset.ready = "true"; // lets tests and the benchmark wait for the first render
})();
