/* core.js — pure data logic for the leaderboard page: normalising entries, formatting, filtering,
 * sorting and the URL-hash state. No DOM access here, so the rules stay easy to reason about.
 * Classic script (not an ES module) because modules refuse to load from file://. */
(function (root) {
  "use strict";
  const LB = (root.LB = root.LB || {});

  const obj = (v) => (v && typeof v === "object" && !Array.isArray(v) ? v : {});
  const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  // Entries are user-submitted: any field may be missing or of the wrong type, so coerce defensively.
  const str = (v) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
  const pad = (n) => String(n === null ? 0 : Math.round(n)).padStart(9, "0");
  // Version strings sort numerically part by part ("0.10.0" after "0.9.0").
  const versionKey = (v) => v.replace(/\d+/g, (d) => d.padStart(9, "0")).toLowerCase();

  /** Flatten one raw entry into the fields the table, filters and search need (computed once). */
  function normalize(e, index) {
    e = obj(e);
    const hw = obj(e.hardware), model = obj(e.model), wl = obj(e.workload);
    const m = obj(e.metrics), md = obj(e.metadata), cl = obj(e.cluster);
    const engine = str(e.engine || md.engine || "sagellm");
    const engineVersion = str(e.engine_version || md.engine_version || e.sagellm_version);
    const chip = str(hw.chip_model) || str(hw.vendor) || "unknown";
    const chips = num(hw.chip_count), nodes = num(cl.node_count);
    const inLen = num(wl.input_length), outLen = num(wl.output_length);
    const batch = num(wl.batch_size), conc = num(wl.concurrent_requests);
    const submitted = str(md.submitted_at);
    const ts = Date.parse(submitted);
    const r = {
      index, entry: e, key: str(e.entry_id) || "#" + index,
      model: str(model.name) || "(unnamed model)", params: str(model.parameters), precision: str(model.precision),
      vendor: str(hw.vendor), chip, chips, nodes,
      hardwareLabel: chip + (chips !== null ? " × " + chips : "") + (nodes !== null ? " · " + nodes + " nodes" : ""),
      inLen, outLen, batch, conc,
      workloadLabel: `${inLen ?? "?"}→${outLen ?? "?"} · bs ${batch ?? "–"} · c ${conc ?? "–"}`,
      engine, engineVersion, engineLabel: engineVersion ? engine + " " + engineVersion : engine,
      sagellm: str(e.sagellm_version),
      ttft: num(m.ttft_ms), tpot: num(m.tpot_ms), tput: num(m.throughput_tps),
      mem: num(m.peak_mem_mb), err: num(m.error_rate),
      submitted, ts: Number.isNaN(ts) ? null : ts, date: submitted.slice(0, 10),
      verified: md.verified === true,
    };
    // One lower-cased haystack per entry makes text search a plain substring test.
    r.search = [r.model, r.params, r.precision, str(model.quantization), r.vendor, r.chip, r.engineLabel,
      r.sagellm, str(e.config_type), str(wl.dataset), str(md.submitter), str(md.notes), r.key,
      str(obj(e.environment).os)].join("\n").toLowerCase();
    return r;
  }

  // Filter id -> value used for matching (and shown in the select). Order = order of the URL keys.
  const FILTERS = {
    hardware: (r) => r.chip, model: (r) => r.model, precision: (r) => r.precision,
    engine: (r) => r.engine, version: (r) => r.sagellm, workload: (r) => r.workloadLabel,
  };

  // Sortable columns: sort value (number or string; null sorts last in both directions) + first direction.
  const COLUMNS = [
    { key: "model", label: "Model", dir: "asc", value: (r) => r.model.toLowerCase() },
    { key: "precision", label: "Precision", dir: "asc", value: (r) => r.precision },
    { key: "hardware", label: "Hardware", dir: "asc",
      value: (r) => r.chip.toLowerCase() + "\u0000" + pad(r.chips) + pad(r.nodes) },
    { key: "workload", label: "Workload", dir: "asc",
      value: (r) => pad(r.inLen) + pad(r.outLen) + pad(r.batch) + pad(r.conc) },
    { key: "engine", label: "Engine", dir: "asc",
      value: (r) => r.engine.toLowerCase() + "\u0000" + versionKey(r.engineVersion) },
    { key: "ttft", label: "TTFT", unit: "ms", num: true, dir: "asc", value: (r) => r.ttft },
    { key: "tpot", label: "TPOT", unit: "ms", num: true, dir: "asc", value: (r) => r.tpot },
    { key: "throughput", label: "Throughput", unit: "tok/s", num: true, dir: "desc", value: (r) => r.tput },
    { key: "memory", label: "Peak mem", num: true, dir: "asc", value: (r) => r.mem },
    { key: "errors", label: "Errors", num: true, dir: "asc", value: (r) => r.err },
    { key: "submitted", label: "Submitted", dir: "desc", value: (r) => r.ts },
    { key: "verified", label: "Verified", dir: "desc", value: (r) => (r.verified ? 1 : 0) },
  ];
  const COLUMN = Object.fromEntries(COLUMNS.map((c) => [c.key, c]));

  /** Stable sort by one column; ties keep data-file order, missing values go last either way. */
  function sortRows(rows, colKey, dir) {
    const col = COLUMN[colKey] || COLUMN.throughput;
    const sign = dir === "asc" ? 1 : -1;
    // Decorate once: calling value() inside the comparator would cost O(n log n) extractions.
    const keyed = rows.map((r) => ({ r, v: col.value(r) }));
    keyed.sort((a, b) => {
      if (a.v === b.v) return 0;
      if (a.v === null) return 1;
      if (b.v === null) return -1;
      return a.v < b.v ? -sign : sign;
    });
    return keyed.map((k) => k.r);
  }

  /** Rows passing every select filter and containing every search term. */
  function filterRows(rows, state) {
    const active = Object.keys(FILTERS).filter((k) => state.f[k]);
    const terms = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    if (!active.length && !terms.length) return rows;
    return rows.filter((r) => active.every((k) => FILTERS[k](r) === state.f[k]) &&
      terms.every((t) => r.search.includes(t)));
  }

  /** Distinct values of one filter with counts, in a sensible order (versions newest first). */
  function filterOptions(rows, key) {
    const counts = new Map();
    for (const r of rows) {
      const v = FILTERS[key](r);
      counts.set(v, (counts.get(v) || 0) + 1);
    }
    const values = [...counts.keys()];
    if (key === "version") values.sort((a, b) => (versionKey(a) < versionKey(b) ? 1 : -1));
    else if (key === "workload") values.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    else values.sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" }));
    return values.map((v) => ({ value: v, count: counts.get(v) }));
  }

  const defaultState = () => ({
    tab: "single", sort: "throughput", dir: "desc", q: "", page: 1, open: "",
    f: Object.fromEntries(Object.keys(FILTERS).map((k) => [k, ""])),
  });

  /** Read the view state from a location hash such as "#tab=multi&sort=ttft&dir=asc&model=gpt2". */
  function parseHash(hash) {
    const p = new URLSearchParams(String(hash || "").replace(/^#/, ""));
    const s = defaultState();
    if (p.get("tab") === "multi") s.tab = "multi";
    if (COLUMN[p.get("sort")]) {
      s.sort = p.get("sort");
      s.dir = COLUMN[s.sort].dir;
    }
    if (p.get("dir") === "asc" || p.get("dir") === "desc") s.dir = p.get("dir");
    s.q = p.get("q") || "";
    for (const k of Object.keys(FILTERS)) s.f[k] = p.get(k) || "";
    const page = parseInt(p.get("page") || "1", 10);
    s.page = page > 0 ? page : 1;
    s.open = p.get("open") || "";
    return s;
  }

  /** The inverse of parseHash, writing only non-default values in a fixed order (stable links). */
  function stateToHash(s) {
    const d = defaultState();
    const p = new URLSearchParams();
    if (s.tab !== d.tab) p.set("tab", s.tab);
    if (s.sort !== d.sort || s.dir !== d.dir) {
      p.set("sort", s.sort);
      p.set("dir", s.dir);
    }
    if (s.q) p.set("q", s.q);
    for (const k of Object.keys(FILTERS)) if (s.f[k]) p.set(k, s.f[k]);
    if (s.page > 1) p.set("page", String(s.page));
    if (s.open) p.set("open", s.open);
    return p.toString();
  }

  // Fixed locale: the page must read the same for everyone and in tests.
  const formats = new Map();
  function fmt(v, digits) {
    if (v === null) return "—";
    if (!formats.has(digits)) {
      formats.set(digits, new Intl.NumberFormat("en-US", { maximumFractionDigits: digits }));
    }
    return formats.get(digits).format(v);
  }
  // Sub-millisecond values are common (tiny models on fast hardware): keep two significant digits there.
  const fmtMs = (v) => (v === null ? "—" : v > 0 && v < 1 ? String(Number(v.toPrecision(2)))
    : fmt(v, v >= 100 ? 0 : v >= 10 ? 1 : 2));
  const fmtMem = (mb) => (mb === null ? "—" : mb >= 1024 ? fmt(mb / 1024, 1) + " GB" : fmt(mb, 0) + " MB");
  const fmtPct = (v) => (v === null ? "—" : fmt(v * 100, 2) + "%");

  /** True only for absolute http(s) URLs: the only strings the page ever turns into links. */
  function isHttpUrl(v) {
    if (typeof v !== "string" || !/^https?:\/\//i.test(v)) return false;
    try {
      const u = new URL(v);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch (_) {
      return false;
    }
  }

  Object.assign(LB, {
    obj, num, str, normalize, FILTERS, COLUMNS, COLUMN, sortRows, filterRows, filterOptions,
    defaultState, parseHash, stateToHash, fmt, fmtMs, fmtMem, fmtPct, isHttpUrl, versionKey,
  });
})(window);
