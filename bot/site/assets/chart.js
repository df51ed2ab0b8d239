/* chart.js — a small horizontal bar chart (inline SVG) of the best throughput per engine + version among
 * the currently filtered entries. Built with createElementNS/textContent only, so labels cannot inject markup. */
(function (root) {
  "use strict";
  const LB = (root.LB = root.LB || {});
  const MAX_BARS = 10;
  const svgEl = LB.svgEl; // text.js

  /** Group rows by engine label; the best (max) throughput of each group, highest first. */
  function groupBest(rows) {
    const groups = new Map();
    for (const r of rows) {
      const g = groups.get(r.engineLabel) || { label: r.engineLabel, engine: r.engine, best: null, n: 0 };
      g.n += 1;
      if (r.tput !== null && (g.best === null || r.tput > g.best)) g.best = r.tput;
      groups.set(r.engineLabel, g);
    }
    return [...groups.values()].sort((a, b) => (b.best ?? -1) - (a.best ?? -1) || (a.label < b.label ? -1 : 1));
  }

  // Bars of one engine share a colour; the class maps to a palette in style.css (no inline styles: CSP).
  function engineClasses(groups) {
    const engines = [...new Set(groups.map((g) => g.engine))].sort();
    return new Map(engines.map((e, i) => [e, "bar bar-" + (i % 6)]));
  }

  /** Draw the chart for `rows` into `container` at `pixelWidth`; returns the number of groups. */
  function renderChart(container, rows, pixelWidth) {
    const groups = groupBest(rows);
    const shown = groups.slice(0, MAX_BARS);
    if (!shown.length) {
      const empty = document.createElement("p");
      empty.className = "chart-empty";
      empty.textContent = "No entries to compare.";
      container.replaceChildren(empty);
      return 0;
    }
    // Draw at the container's real width so text stays legible on phones (no scaled-down viewBox).
    // The caller passes the width in: reading clientWidth here would force a layout after every table render.
    const width = Math.max(260, Math.floor(pixelWidth || 640));
    const labelW = Math.min(210, Math.round(width * 0.42));
    const valueW = 64, barH = 16, gap = 6, top = 2;
    const height = top + shown.length * (barH + gap);
    const max = Math.max(...shown.map((g) => g.best || 0), 1);
    const plotW = width - labelW - valueW;
    const maxChars = Math.floor((labelW - 10) / 6.6); // ~average glyph width at 12px
    const classes = engineClasses(shown);

    const summary = shown.map((g) => `${g.label}: ${LB.fmt(g.best, 1)} tok/s`).join("; ");
    const svg = svgEl("svg", {
      width, height, viewBox: `0 0 ${width} ${height}`, role: "img",
      "aria-label": "Best throughput (tokens per second) by engine and version. " + summary,
    });
    shown.forEach((g, i) => {
      const y = top + i * (barH + gap);
      const row = svgEl("g", { class: "chart-row" });
      row.appendChild(svgEl("title", {}, `${g.label}: best ${LB.fmt(g.best, 2)} tok/s over ${g.n} entries`));
      const label = LB.cut(LB.visible(g.label), maxChars); // hidden characters made visible count too
      row.appendChild(svgEl("text", { x: labelW - 10, y: y + barH / 2, class: "chart-label",
        "text-anchor": "end", "dominant-baseline": "central" }, label));
      row.appendChild(svgEl("rect", { x: labelW, y, width: plotW, height: barH, rx: 3, class: "bar-track" }));
      const w = g.best ? Math.max(2, (g.best / max) * plotW) : 0;
      row.appendChild(svgEl("rect", { x: labelW, y, width: w.toFixed(1), height: barH, rx: 3,
        class: classes.get(g.engine) }));
      row.appendChild(svgEl("text", { x: labelW + w + 6, y: y + barH / 2, class: "chart-value",
        "dominant-baseline": "central" }, LB.fmt(g.best, 1)));
      svg.appendChild(row);
    });
    container.replaceChildren(svg);
    return groups.length;
  }

  /** The `fields` (names of the set-up's parts, bot/site/groups.py) in which `rows` differ, so readers know
   * when a comparison is not like-for-like. The parts are the validator's, as the table's groups are:
   * "nvidia" and "NVIDIA" are one vendor, and so a difference only where the groups see one. */
  function configSpread(rows, fields) {
    const sets = fields.map(() => new Set());
    for (const r of rows) sets.forEach((set, i) => set.add(r.setupParts[i]));
    return fields.filter((_, i) => sets[i].size > 1);
  }

  Object.assign(LB, { renderChart, groupBest, configSpread, CHART_MAX_BARS: MAX_BARS });
})(window);
