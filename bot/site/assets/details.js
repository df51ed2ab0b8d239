/* details.js — the expanded view of one entry: every field, grouped, plus the reproduce command.
 * Entry text only ever reaches the page through textContent / setAttribute; links only for http(s). */
(function (root) {
  "use strict";
  const LB = (root.LB = root.LB || {});

  // Attributes a reader sees or hears: their text has its hidden characters shown, like every text child.
  const SHOWN = new Set(["title", "aria-label", "data-label"]);

  /** Create an element; string children become text nodes (never parsed as HTML), with control, bidi and
   * invisible characters shown as ⟨U+XXXX⟩ (LB.visible). Nodes (LB.u, LB.textBreaks) go in as they are. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else node.setAttribute(k, v === true ? "" : SHOWN.has(k) ? LB.visible(v) : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false || c === "") continue;
      node.appendChild(typeof c === "object" ? c : document.createTextNode(LB.visible(c)));
    }
    return node;
  }

  const LABELS = {
    entry_id: "Entry ID", config_type: "Configuration", sagellm_version: "sageLLM version",
    engine_version: "Engine version", canonical_path: "Canonical path", chip_model: "Chip", chip_count: "Chips",
    chips_per_node: "Chips per node", intra_node_interconnect: "Intra-node interconnect",
    memory_per_chip_gb: "Memory per chip (GB)", total_memory_gb: "Total memory (GB)",
    node_count: "Nodes", comm_backend: "Comm backend", inter_node_network: "Inter-node network",
    network_bandwidth_gbps: "Network bandwidth (Gbps)", topology_type: "Topology",
    tensor_parallel: "Tensor parallel", pipeline_parallel: "Pipeline parallel", data_parallel: "Data parallel",
    input_length: "Input tokens", output_length: "Output tokens", batch_size: "Batch size",
    concurrent_requests: "Concurrent requests", ttft_ms: "TTFT (ms)", tbt_ms: "TBT (ms)", tpot_ms: "TPOT (ms)",
    throughput_tps: "Throughput (tok/s)", peak_mem_mb: "Peak memory (MB)", error_rate: "Error rate",
    prefix_hit_rate: "Prefix hit rate", kv_used_tokens: "KV tokens used", kv_used_bytes: "KV bytes used",
    evict_count: "Evictions", evict_ms: "Eviction time (ms)", spec_accept_rate: "Speculative accept rate",
    os: "OS", python_version: "Python", pytorch_version: "PyTorch", cuda_version: "CUDA", cann_version: "CANN",
    driver_version: "Driver", control_plane: "Control plane", kv_cache: "KV cache", eviction_policy: "Eviction policy",
    budget_tokens: "Budget (tokens)", prefix_cache_enabled: "Prefix cache", submitted_at: "Submitted",
    data_source: "Data source", git_commit: "Git commit", release_date: "Release date",
    changelog_url: "Changelog", idempotency_key: "Idempotency key",
  };
  const label = (k) => LABELS[k] || (k.charAt(0).toUpperCase() + k.slice(1)).replace(/_/g, " ");

  /** A field's value; `exact` is its submitted JSON text where JavaScript only approximates it (> 2^53). */
  function value(v, exact) {
    if (v === null || v === undefined || v === "") return el("span", { class: "muted" }, "—");
    if (typeof v === "boolean") return v ? "Yes" : "No";
    // Rounded for reading; the exact value stays available on hover.
    if (typeof v === "number") return el("span", { title: exact ?? LB.plain(v) }, LB.fmt(v, 4, exact));
    if (typeof v === "object") return el("code", {}, LB.u(exact ?? JSON.stringify(v), null, true));
    if (LB.isHttpUrl(v)) return el("a", { href: v, rel: "noopener noreferrer nofollow" }, LB.u(v, null, true));
    return LB.u(v, null, true);
  }
  const field = (o, k) => [el("dt", {}, LB.u(label(k))), el("dd", {}, value(o[k], LB.exactText(o, k)))];

  /** One <dl> for an object; nested objects (e.g. parallelism) are flattened one level. */
  function fieldList(o, skip) {
    const dl = el("dl");
    for (const [k, v] of Object.entries(LB.obj(o))) {
      if (skip && skip.includes(k)) continue;
      if (v && typeof v === "object" && !Array.isArray(v)) {
        for (const k2 of Object.keys(v)) dl.append(...field(v, k2));
      } else {
        dl.append(...field(o, k));
      }
    }
    return dl;
  }

  const section = (title, body) => el("section", { class: "detail-section" }, el("h3", {}, title), body);
  const KNOWN = ["hardware", "model", "workload", "metrics", "cluster", "versions", "environment",
    "kv_cache_config", "metadata"];

  /** This configuration's best throughput per sageLLM version: a sparkline and the same as text. */
  function historySection(r, points) {
    if (!points || points.length < 2) return null;
    const list = el("ol", { class: "history-list" }, ...points.map((p) =>
      el("li", { class: p.version === r.sagellm ? "current" : null }, `${p.version}: ${LB.fmt(p.tput, 1)} tok/s`)));
    return el("div", { class: "history" }, el("h3", {}, "This configuration across sageLLM versions"),
      el("p", { class: "muted" }, "Best throughput of ", LB.u(r.engine), " on ",
        ...r.configParts.flatMap((p, i) => [i ? " · " : "", LB.u(p)]), "."), LB.sparkline(points, r.sagellm), list);
  }

  /** The expanded panel for one normalised row; `points` is its configuration's history (LB.history). */
  function renderDetails(r, points) {
    const e = r.entry, md = LB.obj(e.metadata);
    const top = { entry_id: e.entry_id, config_type: e.config_type, sagellm_version: e.sagellm_version,
      engine: r.engine, engine_version: r.engineVersion };
    // Entries may carry extra properties: show them too rather than silently dropping data.
    for (const [k, v] of Object.entries(e)) {
      if (KNOWN.includes(k) || k in top) continue;
      top[k] = v;
      if (LB.exactText(e, k) !== undefined) LB.keepExact(top, k, LB.exactText(e, k));
    }
    const grid = el("div", { class: "detail-grid" },
      section("Entry", fieldList(top)),
      section("Model", fieldList(e.model)),
      section("Hardware", fieldList(e.hardware)),
      e.cluster && typeof e.cluster === "object" ? section("Cluster & parallelism", fieldList(e.cluster)) : null,
      section("Workload", fieldList(e.workload)),
      section("Metrics", fieldList(e.metrics)),
      section("Versions", fieldList(e.versions)),
      section("Environment", fieldList(e.environment)),
      section("KV cache", e.kv_cache_config ? fieldList(e.kv_cache_config) : el("p", { class: "muted" }, "Not reported")),
      section("Provenance", fieldList(md, ["reproducible_cmd", "notes", "engine", "engine_version"])));
    const parts = [grid, historySection(r, points)];
    if (md.notes) parts.push(el("div", { class: "detail-notes" }, el("h3", {}, "Notes"), el("p", {}, LB.textBreaks(LB.str(md.notes)))));
    // The command as shown, hidden characters made visible: what is copied is what the reader saw.
    const cmd = LB.visibleBreaks(LB.str(md.reproducible_cmd));
    parts.push(el("div", { class: "reproduce" }, el("h3", {}, "Reproduce"),
      cmd ? el("div", { class: "reproduce-box" }, el("pre", {}, el("code", { class: "reproduce-cmd" }, LB.textBreaks(cmd))),
        el("button", { type: "button", class: "btn btn-small copy", "data-copy": cmd }, "Copy"))
        : el("p", { class: "muted" }, "No reproduce command was submitted.")));
    return el("div", { class: "details" }, ...parts);
  }

  /** Copy the command next to a Copy button; falls back to selecting the text (clipboard needs https). */
  function copyCommand(button) {
    const text = button.getAttribute("data-copy") || "";
    const done = () => {
      button.textContent = "Copied";
      setTimeout(() => (button.textContent = "Copy"), 1500);
    };
    const select = () => {
      const code = button.parentNode.querySelector("code");
      const range = document.createRange();
      range.selectNodeContents(code);
      const sel = getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, select);
    else select();
  }

  Object.assign(LB, { el, renderDetails, copyCommand });
})(window);
