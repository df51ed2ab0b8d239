/* compare.js — side-by-side comparison of 2–4 selected entries: one column per entry, differences from
 * the first entry highlighted, the best value of each metric marked. Text only, through LB.el. */
(function (root) {
  "use strict";
  const LB = (root.LB = root.LB || {});
  const MAX = 4;

  // [label, text of a row, best direction for metrics ("min" / "max"), numeric value]
  const FIELDS = [
    ["Model", (r) => r.model + (r.params ? " (" + r.params + ")" : "")],
    ["Precision", (r) => r.precision || "—"],
    ["Hardware", (r) => r.hardwareLabel],
    ["Workload", (r) => r.workloadLabel],
    ["Engine", (r) => r.engineLabel],
    ["sageLLM version", (r) => r.sagellm || "—"],
    ["TTFT (ms)", (r) => LB.fmtMs(r.ttft, r.t.ttft), "min", (r) => r.ttft],
    ["TPOT (ms)", (r) => LB.fmtMs(r.tpot, r.t.tpot), "min", (r) => r.tpot],
    ["Throughput (tok/s)", (r) => LB.fmt(r.tput, 1, r.t.tput), "max", (r) => r.tput],
    ["Peak memory", (r) => LB.fmtMem(r.mem, r.t.mem), "min", (r) => r.mem],
    ["Error rate", (r) => LB.fmtPct(r.err), "min", (r) => r.err],
    ["Submitted", (r) => r.date || "—"],
    ["Verified", (r) => (r.verified ? "Yes" : "No")],
  ];

  /** The comparison table for `rows` (2..MAX normalised rows). */
  function renderCompare(rows) {
    const el = LB.el;
    const head = el("tr", {}, el("td", {}), ...rows.map((r, i) => el("th", { scope: "col" }, `#${i + 1} `, LB.u(r.model),
      el("span", { class: "sub" }, LB.u(r.engineLabel)))));
    const body = FIELDS.map(([label, text, better, value]) => {
      let best = null;
      if (better) {
        const vals = rows.map(value).filter((v) => v !== null);
        if (vals.length > 1) best = better === "min" ? Math.min(...vals) : Math.max(...vals);
      }
      const first = text(rows[0]);
      return el("tr", {}, el("th", { scope: "row" }, label), ...rows.map((r) => {
        const t = text(r);
        const classes = [t !== first ? "diff" : "", best !== null && value(r) === best ? "best" : ""].join(" ").trim();
        return el("td", { class: classes || null }, LB.u(t),
          best !== null && value(r) === best ? el("span", { class: "visually-hidden" }, " (best)") : null,
          t !== first ? el("span", { class: "visually-hidden" }, " (differs)") : null);
      }));
    });
    return el("table", { class: "compare-table" },
      el("caption", { class: "visually-hidden" }, "Selected entries side by side"),
      el("thead", {}, head), el("tbody", {}, ...body));
  }

  Object.assign(LB, { renderCompare, COMPARE_MAX: MAX });
})(window);
