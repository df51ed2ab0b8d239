/* table.js — the cells and rows of the results table, built from normalised rows (core.js). Pure DOM
 * construction with textContent only (LB.el): what to show comes in as arguments, app.js owns the state. */
(function (root) {
  "use strict";
  const LB = (root.LB = root.LB || {});
  const el = (...args) => LB.el(...args); // details.js (which defines LB.el) loads after this file

  /** The header cells: details, rank, then one sort button per shown column. */
  function tableHead(cols) {
    const tr = document.createDocumentFragment();
    tr.append(el("th", { scope: "col", class: "col-toggle" }, el("span", { class: "visually-hidden" }, "Details")),
      el("th", { scope: "col", class: "col-rank" }, el("span", { class: "rank-head" }, "Rank")));
    for (const c of cols) {
      // A metric's header says which way is better (docs/FIELD_SPECIFICATION.md); its first click sorts so.
      const btn = el("button", { type: "button", class: "sort", "data-sort": c.key },
        el("span", { class: "sort-label" }, c.label, el("span", { class: "sort-icon", "aria-hidden": "true" })),
        c.unit ? el("span", { class: "unit" }, c.unit) : null,
        c.better ? el("span", { class: "unit better" }, c.better + " is better") : null);
      tr.appendChild(el("th", { scope: "col", class: c.num ? "num col-" + c.key : "col-" + c.key, "data-col": c.key }, btn));
    }
    return tr;
  }

  // Submitted text goes in as an isolated run (LB.u: hidden characters shown, right-to-left contained).
  const sub = (main, ...extra) => [main, extra.some(Boolean) ? el("span", { class: "sub" }, ...extra) : null];
  const num = (text, strong) => el("td", { class: strong ? "num strong" : "num" }, text);
  const joined = (parts) => parts.filter(Boolean).flatMap((p, i) => (i ? [" · ", p] : [p]));
  const CELL = {
    model: (r) => el("th", { scope: "row", class: "col-model" }, ...sub(LB.u(r.model, "model-name"), r.params && LB.u(r.params))),
    precision: (r) => el("td", {}, r.precision ? el("span", { class: "pill" }, LB.u(r.precision)) : "—"),
    hardware: (r) => el("td", { class: "col-hardware" }, ...sub(el("span", {}, LB.u(r.chip), r.chips !== null ? "\u00a0×\u00a0" + r.t.chips : ""),
      ...joined([r.vendor && LB.u(r.vendor), r.alias ? "a " + r.alias : "", r.nodes !== null ? r.t.nodes + " nodes" : ""]))),
    workload: (r) => el("td", { class: "nowrap" }, ...sub(`${r.t.inLen ?? "?"} → ${r.t.outLen ?? "?"}`,
      `batch ${r.t.batch ?? "–"} · conc ${r.t.conc ?? "–"}`)),
    engine: (r) => el("td", {}, ...sub(LB.u(r.engine), r.engineVersion && LB.u(r.engineVersion))),
    ttft: (r) => num(LB.fmtMs(r.ttft, r.t.ttft)),
    tpot: (r) => num(LB.fmtMs(r.tpot, r.t.tpot)),
    throughput: (r) => num(LB.fmt(r.tput, 1, r.t.tput), true),
    memory: (r) => num(LB.fmtMem(r.mem, r.t.mem)),
    errors: (r) => num(LB.fmtPct(r.err)),
    submitted: (r) => el("td", { class: "nowrap" }, r.ts !== null ? el("time", { datetime: r.submitted }, r.date) : "—"),
    verified: (r) => el("td", {}, r.verified ? el("span", { class: "badge badge-verified", title: "Verified by maintainers" }, "Verified")
      : el("span", { class: "muted", title: "Self-reported, not verified" }, "—", el("span", { class: "visually-hidden" }, "not verified"))),
  };
  const fmtCol = { ttft: LB.fmtMs, tpot: LB.fmtMs, throughput: (v) => LB.fmt(v, 1), memory: LB.fmtMem, errors: LB.fmtPct };

  /** The rank cell of an entry without the sorted value: "—", which a screen reader hears as what it means. */
  const unranked = (sort) => el("span", { class: "unranked" }, el("span", { "aria-hidden": "true" }, "—"),
    el("span", { class: "visually-hidden" }, `not ranked: no ${(LB.COLUMN[sort] || LB.COLUMN.throughput).label} value`));

  /** One table row: `item` is the collapsed contender for a summary row, null for a repeated run;
   * `v` says how it is shown: {cols, open, runsOpen, picked, sort, detailsId}. */
  function tableRow(r, item, unit, v) {
    const open = v.open;
    const toggle = el("button", { type: "button", class: "expander", "aria-expanded": String(open),
      "aria-controls": v.detailsId, "aria-label": "Details for " + r.model + " on " + r.hardwareLabel });
    const rank = item ? el("td", { class: "col-rank" },
      item.rank !== null ? el("span", { class: "rank" }, String(item.rank))
        : r.none ? el("span", { class: "badge badge-none" }, "no measurement") : unranked(v.sort),
      item.runs.length > 1 ? el("button", { type: "button", class: "btn btn-small runs", "data-unit": unit,
        "aria-expanded": String(v.runsOpen) }, `${LB.fmt(item.runs.length, 0)} runs`) : null)
      : el("td", { class: "col-rank" }, el("span", { class: "sub" }, r.none ? "no measurement" : "repeat"));
    const tr = el("tr", { "data-entry-id": r.key, "data-index": r.index,
      class: [open ? "is-open" : "", item ? "" : "repeat-row", r.none ? "is-none" : ""].join(" ").trim() || null },
    el("td", { class: "col-toggle" }, toggle, el("input", { type: "checkbox", class: "pick", "data-index": r.index,
      checked: v.picked, "aria-label": "Compare " + r.model + " on " + r.hardwareLabel + ", " + r.engineLabel })), rank);
    for (const c of v.cols) {
      const td = CELL[c.key](r);
      td.classList.add("col-" + c.key);
      if (c.key !== "model") td.setAttribute("data-label", c.label + (c.unit ? " (" + c.unit + ")" : ""));
      if (item && item.median !== null && c.key === v.sort && fmtCol[c.key]) {
        td.appendChild(el("span", { class: "sub median" }, "median " + fmtCol[c.key](item.median)));
      }
      tr.appendChild(td);
    }
    return tr;
  }

  /** The row after the first `shown` of an expanded contender's `total` runs: how many are shown, and a
   * button for up to `step` more (`unit` is the contender's position, as on its "n runs" button). */
  const moreRunsRow = (shown, total, step, unit, span) => el("tr", { class: "more-row" }, el("td", { colspan: span },
    el("span", { class: "more-text" }, `Showing ${LB.fmt(shown, 0)} of ${LB.fmt(total, 0)} runs`), " ",
    el("button", { type: "button", class: "btn btn-small more-runs", "data-unit": unit },
      `Show ${LB.fmt(Math.min(step, total - shown), 0)} more`)));

  /** A configuration as the reader sees it (r.configParts), each submitted part isolated. */
  const configNodes = (parts) => joined(parts.map((p) => LB.u(p)));

  /** The heading row of one comparable group: its configuration. */
  const groupRow = (g, span) => el("tr", { class: "group-row" }, el("td", { colspan: span },
    el("span", { class: "group-label" }, ...configNodes(g.parts)),
    el("span", { class: "sub" }, ` ${g.count} ${g.count === 1 ? "entry" : "entries"}`)));

  /** The "Sort by" choices, [value, text]: each column's better (or first) direction first, saying which. */
  const sortOptions = () => LB.COLUMNS.flatMap((c) => [c.dir, c.dir === "asc" ? "desc" : "asc"]
    .map((d) => [c.key + ":" + d, `${c.label}, ${c.order[d]}`]));

  Object.assign(LB, { tableHead, tableRow, moreRunsRow, configNodes, groupRow, sortOptions });
})(window);
