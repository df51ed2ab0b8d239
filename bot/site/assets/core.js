/* core.js — pure data logic for the leaderboard page: normalising entries, formatting, filtering,
 * sorting and the URL-hash state. No DOM access here, so the rules stay easy to reason about.
 * Classic script (not an ES module) because modules refuse to load from file://. */
(function (root) {
  "use strict";
  const LB = (root.LB = root.LB || {});

  /** Show a visible error instead of a blank or half-drawn page. */
  LB.fail = (message) => {
    const box = document.getElementById("fatal");
    if (!box || document.documentElement.dataset.failed) return; // the first error is the one to fix
    box.textContent = message + " Reload the page; the results are also in the data files linked above.";
    box.hidden = false;
    document.documentElement.dataset.failed = "true";
  };
  // Capture phase: a <script> that fails to load fires a non-bubbling error event on its element.
  root.addEventListener("error", (ev) => {
    const src = ev.target && ev.target.src ? String(ev.target.src).split("/").pop().split("?")[0] : "";
    LB.fail(src ? `The page could not load ${src}.` : `The page hit an error (${ev.message}).`);
  }, true);
  // Deferred scripts all run before DOMContentLoaded: if app.js has not finished by then, it never will.
  document.addEventListener("DOMContentLoaded", () => {
    if (!document.documentElement.dataset.ready) LB.fail("The page's scripts did not finish (app.js).");
  });

  const obj = (v) => (v && typeof v === "object" && !Array.isArray(v) ? v : {});
  const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  // Entries are user-submitted: any field may be missing or of the wrong type, so coerce defensively.
  const str = (v) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
  const pad = (n) => String(n === null ? 0 : Math.round(n)).padStart(9, "0");
  // Version strings sort numerically part by part ("0.10.0" after "0.9.0").
  const versionKey = (v) => v.replace(/\d+/g, (d) => d.padStart(9, "0")).toLowerCase();

  /** Rebuild the entries from data.js's packed form (bot/site/data.py documents it). */
  function unpack(p) {
    p = obj(p);
    const shapes = p.shapes || [], strings = p.strings || [], objects = p.objects || [], done = [];
    const shared = (i) => done[i] || (done[i] = decode(objects[i]));
    function decode(packed) {
      const shape = shapes[packed[0]], o = {};
      for (let i = 0; i < shape.length; i += 2) {
        const kind = shape[i + 1], v = packed[i / 2 + 1];
        // Kind 3: a number beyond 2^53 (or an array holding one): approximated here, its text kept to show.
        if (kind === 3) LB.keepExact(o, shape[i], strings[v]);
        const value = kind === 1 ? shared(v) : kind === 2 ? strings[v] : kind === 3 ? JSON.parse(strings[v]) : v;
        // A key named "__proto__" must become an own property, as JSON.parse would make it.
        if (shape[i] === "__proto__") Object.defineProperty(o, shape[i], { value, enumerable: true, writable: true, configurable: true });
        else o[shape[i]] = value;
      }
      return o;
    }
    const list = (v) => (Array.isArray(v) ? v.map(decode) : []);
    // Per entry: [comparable set-up, engine build, the set-up's parts], computed in Python by the validator's key.
    const id = (name, tab, i) => (obj(p[name])[tab] || [])[i];
    const parts = Array.isArray(p.setup_parts) ? p.setup_parts : [];
    const ids = (tab) => (Array.isArray(p[tab]) ? p[tab] : []).map((_, i) => [id("setup", tab, i), id("contender", tab, i),
      parts[id("setup", tab, i)]]);
    return { single: list(p.single), multi: list(p.multi), ids: { single: ids("single"), multi: ids("multi") },
      setupFields: Array.isArray(p.setup_fields) ? p.setup_fields : [],
      generated_at: p.generated_at || null, repo_url: p.repo_url || null, version: p.version || "" };
  }

  // A metric of 0 (or less) is "not measured", never a best value: failed runs report 0 for everything.
  const measured = (v) => (v !== null && v > 0 ? v : null);

  // Chip names that are a CPU under another name: shown beside the name, never replacing the data.
  const CHIP_ALIASES = { x86_64: "CPU", amd64: "CPU", aarch64: "CPU", arm64: "CPU" };

  // A count as shown: the submitted digits (exact beyond 2^53), or null when it is not a number.
  const count = (o, k) => (num(o[k]) === null ? null : String(LB.shown(o, k)));

  /** Flatten one raw entry into the fields the table, filters and search need (computed once).
   * `ids` are its comparable set-up, engine build and the set-up's parts ([setup, contender, parts],
   * bot/site/groups.py). */
  function normalize(e, index, ids) {
    e = obj(e);
    const hw = obj(e.hardware), model = obj(e.model), wl = obj(e.workload);
    const m = obj(e.metrics), md = obj(e.metadata), cl = obj(e.cluster);
    const engine = str(e.engine || md.engine || "sagellm");
    const engineVersion = str(e.engine_version || md.engine_version || e.sagellm_version);
    const chip = str(hw.chip_model) || str(hw.vendor) || "unknown";
    const chips = num(hw.chip_count), nodes = num(cl.node_count);
    const inLen = num(wl.input_length), outLen = num(wl.output_length);
    const batch = num(wl.batch_size), conc = num(wl.concurrent_requests);
    // What the cells show: exact digits, even where the number above is only JavaScript's approximation.
    const t = { chips: count(hw, "chip_count"), nodes: count(cl, "node_count"), inLen: count(wl, "input_length"),
      outLen: count(wl, "output_length"), batch: count(wl, "batch_size"), conc: count(wl, "concurrent_requests"),
      ttft: LB.exactText(m, "ttft_ms"), tpot: LB.exactText(m, "tpot_ms"), tput: LB.exactText(m, "throughput_tps"),
      mem: LB.exactText(m, "peak_mem_mb") };
    const submitted = str(md.submitted_at);
    const ts = Date.parse(submitted);
    const quant = str(model.quantization);
    const r = {
      index, entry: e, key: str(e.entry_id) || "#" + index, t,
      model: str(model.name) || "(unnamed model)", params: str(model.parameters), precision: str(model.precision),
      quant: /^(none)?$/i.test(quant.trim()) ? "" : quant,
      vendor: str(hw.vendor), chip, chips, nodes, alias: CHIP_ALIASES[chip.toLowerCase()] || "",
      hardwareLabel: chip + (chips !== null ? " × " + t.chips : "") + (nodes !== null ? " · " + t.nodes + " nodes" : ""),
      inLen, outLen, batch, conc,
      workloadLabel: `${t.inLen ?? "?"}→${t.outLen ?? "?"} · bs ${t.batch ?? "–"} · c ${t.conc ?? "–"}`,
      engine, engineVersion, engineLabel: engineVersion ? engine + " " + engineVersion : engine,
      sagellm: str(e.sagellm_version),
      ttft: measured(num(m.ttft_ms)), tpot: measured(num(m.tpot_ms)), tput: measured(num(m.throughput_tps)),
      mem: measured(num(m.peak_mem_mb)), err: num(m.error_rate),
      submitted, ts: Number.isNaN(ts) ? null : ts, date: submitted.slice(0, 10),
      verified: md.verified === true,
    };
    // No measurement: nothing timed and nothing produced, or every request failed. Such runs are
    // excluded from ranks, summaries and charts (a toggle shows them, unranked, after the others).
    r.none = (r.ttft === null && r.tput === null) || r.err === 1;
    if (r.none) r.ttft = r.tpot = r.tput = r.mem = null;
    // Comparable = the validator's configuration without the engine (vendor, hardware, model, precision,
    // quantization, workload, folded as it folds text); a contender = one engine build of it (its repeats).
    ids = Array.isArray(ids) ? ids : [];
    r.config = "setup " + (ids[0] ?? "#" + index);
    r.contender = "build " + (ids[1] ?? "#" + index);
    r.setupParts = Array.isArray(ids[2]) ? ids[2] : []; // one id per field of LB_DATA.setup_fields
    r.configParts = [r.model, r.quant, r.precision, [r.vendor, r.hardwareLabel].filter(Boolean).join(" "),
      r.workloadLabel].filter(Boolean);
    r.configLabel = r.configParts.join(" · ");
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

  // Sortable columns: sort value (number or string; null sorts last in both directions), the first direction
  // (the better one for metrics: `better`, as docs/FIELD_SPECIFICATION.md says) and what each direction reads.
  const AZ = { asc: "A–Z", desc: "Z–A" };
  const LOW = { asc: "lowest (best) first", desc: "highest first" };
  const HIGH = { asc: "lowest first", desc: "highest (best) first" };
  const COLUMNS = [
    { key: "model", label: "Model", dir: "asc", order: AZ, value: (r) => r.model.toLowerCase() },
    { key: "precision", label: "Precision", dir: "asc", order: AZ, value: (r) => r.precision },
    { key: "hardware", label: "Hardware", dir: "asc", order: AZ,
      value: (r) => r.chip.toLowerCase() + "\u0000" + pad(r.chips) + pad(r.nodes) },
    { key: "workload", label: "Workload", dir: "asc", order: { asc: "shortest first", desc: "longest first" },
      value: (r) => pad(r.inLen) + pad(r.outLen) + pad(r.batch) + pad(r.conc) },
    { key: "engine", label: "Engine", dir: "asc", order: AZ,
      value: (r) => r.engine.toLowerCase() + "\u0000" + versionKey(r.engineVersion) },
    { key: "ttft", label: "TTFT", unit: "ms", num: true, better: "lower", dir: "asc", order: LOW, value: (r) => r.ttft },
    { key: "tpot", label: "TPOT", unit: "ms", num: true, better: "lower", dir: "asc", order: LOW, value: (r) => r.tpot },
    { key: "throughput", label: "Throughput", unit: "tok/s", num: true, better: "higher", dir: "desc", order: HIGH,
      value: (r) => r.tput },
    { key: "memory", label: "Peak mem", num: true, better: "lower", dir: "asc", order: LOW, value: (r) => r.mem },
    { key: "errors", label: "Errors", num: true, better: "lower", dir: "asc", order: LOW, value: (r) => r.err },
    { key: "submitted", label: "Submitted", dir: "desc", order: { asc: "oldest first", desc: "newest first" },
      value: (r) => r.ts },
    { key: "verified", label: "Verified", dir: "desc", order: { asc: "unverified first", desc: "verified first" },
      value: (r) => (r.verified ? 1 : 0) },
  ];
  // No prototype: a link's `cols=constructor` or `sort=__proto__` must name no column.
  const COLUMN = Object.assign(Object.create(null), Object.fromEntries(COLUMNS.map((c) => [c.key, c])));
  const DEFAULT_COLUMNS = COLUMNS.map((c) => c.key);

  // Download columns: the submitted values as they are (metrics unrounded, zeros kept), plus our verdict.
  const metric = (k) => (r) => LB.shown(obj(r.entry.metrics), k);
  const CSV_FIELDS = [
    ["entry_id", (r) => r.entry.entry_id], ["model", (r) => r.model], ["parameters", (r) => r.params],
    ["precision", (r) => r.precision], ["vendor", (r) => r.vendor], ["chip_model", (r) => r.chip],
    ["chip_count", (r) => r.t.chips], ["node_count", (r) => r.t.nodes], ["input_length", (r) => r.t.inLen],
    ["output_length", (r) => r.t.outLen], ["batch_size", (r) => r.t.batch], ["concurrent_requests", (r) => r.t.conc],
    ["engine", (r) => r.engine], ["engine_version", (r) => r.engineVersion], ["sagellm_version", (r) => r.sagellm],
    ["ttft_ms", metric("ttft_ms")], ["tpot_ms", metric("tpot_ms")], ["throughput_tps", metric("throughput_tps")],
    ["peak_mem_mb", metric("peak_mem_mb")], ["error_rate", metric("error_rate")],
    ["submitted_at", (r) => r.submitted], ["verified", (r) => r.verified], ["no_measurement", (r) => r.none],
  ].map(([label, csv]) => ({ label, csv }));

  /** Stable sort by one column; ties keep data-file order; missing values, then no-measurement runs, last. */
  function sortRows(rows, colKey, dir) {
    const col = COLUMN[colKey] || COLUMN.throughput;
    const sign = dir === "asc" ? 1 : -1;
    // Decorate once: calling value() inside the comparator would cost O(n log n) extractions.
    const keyed = rows.map((r) => ({ r, v: col.value(r) }));
    keyed.sort((a, b) => {
      if (a.r.none !== b.r.none) return a.r.none ? 1 : -1; // runs that measured nothing: always last
      if (a.v === b.v) return 0;
      if (a.v === null) return 1;
      if (b.v === null) return -1;
      return a.v < b.v ? -sign : sign;
    });
    return keyed.map((k) => k.r);
  }

  /** Rows passing every select filter (except `skip`), the toggles and every search term. */
  function filterRows(rows, state, skip) {
    const active = Object.keys(FILTERS).filter((k) => state.f[k] && k !== skip);
    const terms = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    if (!active.length && !terms.length && state.all && !state.verified) return rows;
    return rows.filter((r) => (state.all || !r.none) && (!state.verified || r.verified) &&
      active.every((k) => FILTERS[k](r) === state.f[k]) && terms.every((t) => r.search.includes(t)));
  }

  /** Values of one filter with the count each would show given the other active filters. */
  function filterOptions(rows, key, state) {
    const counts = new Map();
    for (const r of state ? filterRows(rows, state, key) : rows) {
      const v = FILTERS[key](r);
      counts.set(v, (counts.get(v) || 0) + 1);
    }
    const values = [...counts.keys()];
    if (key === "version") values.sort((a, b) => (versionKey(a) < versionKey(b) ? 1 : -1));
    else if (key === "workload") values.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    else values.sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" }));
    return values.map((v) => ({ value: v, count: counts.get(v) }));
  }

  const median = (xs) => {
    const v = xs.filter((x) => x !== null).sort((a, b) => a - b);
    return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : null;
  };

  /** Collapse sorted rows into one item per contender (configuration + engine build): best run first. */
  function collapse(sorted, col) {
    const items = new Map();
    for (const r of sorted) {
      const it = items.get(r.contender);
      if (it) it.runs.push(r);
      else items.set(r.contender, { key: r.contender, best: r, runs: [r], config: r.config });
    }
    for (const it of items.values()) {
      it.median = col.num && it.runs.length > 1 ? median(it.runs.map((r) => col.value(r))) : null;
    }
    return [...items.values()];
  }

  /** Items ranked 1..n in the given order by `col`; items without its value (sorted last) get no rank, as
   * a rank says how an entry compares on the sorted value. Unmeasured items have no value of any metric. */
  function rank(items, col) {
    let n = 0;
    for (const it of items) it.rank = it.best.none || col.value(it.best) === null ? null : ++n;
    return items;
  }

  /** The view as comparable groups (ordered by their best item) or one flat ranked list. */
  function arrange(rows, state) {
    const col = COLUMN[state.sort] || COLUMN.throughput;
    const sorted = sortRows(rows, col.key, state.dir);
    if (state.flat) return [{ key: "", parts: [], items: rank(sorted.map((r) => ({ key: "#" + r.index, best: r, runs: [r], median: null })), col) }];
    const groups = new Map();
    for (const it of collapse(sorted, col)) {
      const g = groups.get(it.config) || { key: it.config, parts: it.best.configParts, items: [] };
      g.items.push(it);
      groups.set(it.config, g);
    }
    for (const g of groups.values()) rank(g.items, col);
    return [...groups.values()]; // insertion order = order of each group's best item
  }

  /** One CSV line per row in `cols`' order; cells that a spreadsheet would run as formulas are defused. */
  function toCsv(rows, cols) {
    const cell = (v) => {
      let t = str(v);
      if (/^[=+\-@\t\r]/.test(t)) t = "'" + t;
      return /[",\n\r]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
    };
    return [cols.map((c) => cell(c.label)), ...rows.map((r) => cols.map((c) => cell(c.csv(r))))]
      .map((line) => line.join(",")).join("\r\n") + "\r\n";
  }

  const defaultState = () => ({
    tab: "single", sort: "throughput", dir: "desc", q: "", page: 1, open: "",
    flat: false, all: false, verified: false, cols: null, chart: "", cmp: [],
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
    s.flat = p.get("view") === "flat";
    s.all = p.get("all") === "1";
    s.verified = p.get("verified") === "1";
    if (p.has("cols")) s.cols = p.get("cols").split(",").filter((k) => COLUMN[k]);
    if (p.get("chart") === "ttft" || p.get("chart") === "tpot") s.chart = p.get("chart");
    if (p.get("cmp")) s.cmp = p.get("cmp").split(",").slice(0, 4);
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
    if (s.flat) p.set("view", "flat");
    if (s.all) p.set("all", "1");
    if (s.verified) p.set("verified", "1");
    if (s.cols) p.set("cols", s.cols.join(","));
    if (s.chart) p.set("chart", s.chart);
    if (s.cmp.length) p.set("cmp", s.cmp.join(","));
    if (s.page > 1) p.set("page", String(s.page));
    if (s.open) p.set("open", s.open);
    return p.toString();
  }

  Object.assign(LB, {
    obj, num, str, unpack, normalize, FILTERS, COLUMNS, COLUMN, sortRows, filterRows, filterOptions, arrange,
    median, toCsv, CSV_FIELDS, DEFAULT_COLUMNS, CHIP_ALIASES, defaultState, parseHash, stateToHash, versionKey,
  });
})(window);
