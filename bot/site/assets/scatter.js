/* scatter.js — latency vs throughput (inline SVG) with the Pareto frontier, and the per-configuration
 * history sparkline shown in the details. createElementNS/textContent only: labels cannot inject markup. */
(function (root) {
  "use strict";
  const LB = (root.LB = root.LB || {});
  const MAX_POINTS = 2000; // beyond that the chart is a blur and the DOM gets heavy: the fastest are drawn
  const svgEl = LB.svgEl; // text.js

  /** A linear or (when the values span more than 20x) logarithmic axis mapping [lo, hi] to [a, b]. */
  function axis(values, a, b) {
    let lo = Math.min(...values), hi = Math.max(...values);
    const log = lo > 0 && hi / lo > 20;
    if (lo === hi) { lo = lo * 0.9; hi = hi * 1.1 || 1; }
    const f = log ? Math.log10 : (v) => v;
    const span = f(hi) - f(lo);
    return { log, lo, hi, at: (v) => a + ((f(v) - f(lo)) / span) * (b - a) };
  }

  /** Points no other point beats on both axes (more throughput and less latency), by throughput. */
  function pareto(points) {
    const byX = [...points].sort((p, q) => q.x - p.x || p.y - q.y);
    const front = [];
    let bestY = Infinity;
    for (const p of byX) if (p.y < bestY) { front.push(p); bestY = p.y; }
    return front;
  }

  const METRIC = { ttft: ["TTFT", "ttft"], tpot: ["TPOT", "tpot"] };

  /** Draw latency (`metric`: ttft or tpot) against throughput for `rows`; returns the points drawn. */
  function renderScatter(container, rows, pixelWidth, metric) {
    const [name, field] = METRIC[metric] || METRIC.ttft;
    const all = rows.filter((r) => r.tput !== null && r[field] !== null);
    const shown = all.length > MAX_POINTS ? LB.sortRows(all, "throughput", "desc").slice(0, MAX_POINTS) : all;
    if (!shown.length) {
      const empty = document.createElement("p");
      empty.className = "chart-empty";
      empty.textContent = `No entries with both ${name} and throughput.`;
      container.replaceChildren(empty);
      return [];
    }
    const width = Math.max(260, Math.floor(pixelWidth || 640)), height = 220;
    const left = 52, bottom = 34, top = 8, right = 12;
    const x = axis(shown.map((r) => r.tput), left, width - right);
    const y = axis(shown.map((r) => r[field]), height - bottom, top);
    const points = shown.map((r) => ({ r, x: r.tput, y: r[field] }));
    const front = pareto(points);
    const engines = [...new Set(shown.map((r) => r.engine))].sort();
    const svg = svgEl("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "group",
      "aria-label": `${name} against throughput for ${shown.length} entries; ${front.length} on the Pareto frontier` });
    svg.appendChild(svgEl("line", { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: "axis" }));
    svg.appendChild(svgEl("line", { x1: left, y1: top, x2: left, y2: height - bottom, class: "axis" }));
    for (const [v, anchor, xx] of [[x.lo, "start", left], [x.hi, "end", width - right]]) {
      svg.appendChild(svgEl("text", { x: xx, y: height - bottom + 14, class: "chart-value", "text-anchor": anchor }, LB.fmt(v, 1)));
    }
    svg.appendChild(svgEl("text", { x: (left + width) / 2, y: height - 4, class: "chart-label", "text-anchor": "middle" },
      `Throughput (tok/s${x.log ? ", log" : ""}) →`));
    for (const [v, yy] of [[y.lo, height - bottom], [y.hi, top + 8]]) {
      svg.appendChild(svgEl("text", { x: left - 4, y: yy, class: "chart-value", "text-anchor": "end" }, LB.fmtMs(v)));
    }
    svg.appendChild(svgEl("text", { x: 12, y: (top + height - bottom) / 2, class: "chart-label", "text-anchor": "middle",
      transform: `rotate(-90 12 ${(top + height - bottom) / 2})` }, `${name} (ms${y.log ? ", log" : ""}) ↓ better`));
    const line = front.map((p) => `${x.at(p.x).toFixed(1)},${y.at(p.y).toFixed(1)}`).join(" ");
    svg.appendChild(svgEl("polyline", { points: line, class: "frontier" }));
    const onFront = new Set(front);
    for (const p of points) {
      const dot = svgEl("circle", { cx: x.at(p.x).toFixed(1), cy: y.at(p.y).toFixed(1), r: onFront.has(p) ? 5 : 3.5,
        class: `dot bar-${engines.indexOf(p.r.engine) % 6}${onFront.has(p) ? " on-front" : ""}`, "data-index": p.r.index });
      dot.appendChild(svgEl("title", {}, `${p.r.model} · ${p.r.hardwareLabel} · ${p.r.engineLabel}: ` +
        `${LB.fmt(p.x, 1)} tok/s, ${name} ${LB.fmtMs(p.y)} ms${onFront.has(p) ? " (Pareto frontier)" : ""}`));
      svg.appendChild(dot);
    }
    container.replaceChildren(svg);
    return points;
  }

  /** Best throughput of one configuration on one engine per sageLLM version, oldest version first. */
  function history(r, rows) {
    const best = new Map();
    for (const o of rows) {
      if (o.config !== r.config || o.engine !== r.engine || o.tput === null || !o.sagellm) continue;
      if (!best.has(o.sagellm) || o.tput > best.get(o.sagellm)) best.set(o.sagellm, o.tput);
    }
    return [...best].sort((a, b) => (LB.versionKey(a[0]) < LB.versionKey(b[0]) ? -1 : 1))
      .map(([version, tput]) => ({ version, tput }));
  }

  /** A small line chart of `points` ({version, tput}); the current version is marked. */
  function sparkline(points, current) {
    const width = 240, height = 48, pad = 6;
    const x = (i) => pad + (points.length > 1 ? (i / (points.length - 1)) * (width - 2 * pad) : (width - 2 * pad) / 2);
    const ys = points.map((p) => p.tput);
    const y = axis(ys, height - pad, pad);
    const svg = svgEl("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "sparkline", "aria-hidden": "true" });
    svg.appendChild(svgEl("polyline", { class: "spark-line",
      points: points.map((p, i) => `${x(i).toFixed(1)},${y.at(p.tput).toFixed(1)}`).join(" ") }));
    points.forEach((p, i) => svg.appendChild(svgEl("circle", { cx: x(i).toFixed(1), cy: y.at(p.tput).toFixed(1),
      r: p.version === current ? 4 : 2.5, class: p.version === current ? "spark-dot current" : "spark-dot" })));
    return svg;
  }

  Object.assign(LB, { renderScatter, pareto, history, sparkline });
})(window);
