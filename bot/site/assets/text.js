/* text.js — how values reach the reader: submitted text shown with its hidden characters made visible
 * and isolated from the text around it, numbers formatted (exactly, even beyond 2^53), safe links, and the
 * JSON download with every number as it was submitted. No HTML is ever parsed. */
(function (root) {
  "use strict";
  const LB = (root.LB = root.LB || {});

  // Control, line-separator, bidirectional and invisible characters, as bot/render/plain.py's `visible`
  // shows them; the pattern comes from Python with the data (bot/site/data.py), so there is one list.
  const FALLBACK = "[\\x00-\\x1f\\x7f-\\x9f\\u00ad\\u061c\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff]";
  let unsafe;
  try {
    unsafe = new RegExp((root.LB_DATA && root.LB_DATA.unsafe) || FALLBACK, "gu");
  } catch (_) {
    unsafe = new RegExp(FALLBACK, "gu");
  }
  const code = (c) => "⟨U+" + c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0") + "⟩";
  /** Text with every such character shown as ⟨U+202E⟩: it cannot reorder, hide or break what it is in. */
  const visible = (text) => String(text).replace(unsafe, code);
  /** The same, but tabs and line breaks stay (notes and commands are shown as written, lines and all). */
  const visibleBreaks = (text) => String(text).replace(unsafe, (c) => ("\t\n\r".includes(c) ? c : code(c)));
  const textBreaks = (text) => document.createTextNode(visibleBreaks(text));

  // Cells, options, labels and headings show at most SHOWN_MAX characters of a submitted text: Chromium
  // lays out a table cell holding one long word in time that grows with the square of its length (one
  // valid 100,000-character chip name took a minute to draw). The details panel shows the whole text.
  const SHOWN_MAX = 120;
  /** `text` cut to `max` characters (code points, so no pair is split), "…" marking the cut. */
  function cut(text, max = SHOWN_MAX) {
    const s = String(text);
    if (s.length <= max) return s;
    const points = Array.from(s);
    return points.length <= max ? s : points.slice(0, max - 1).join("") + "…";
  }

  /** Submitted text as an isolated run (<bdi>): right-to-left text cannot reorder what surrounds it.
   * Cut to SHOWN_MAX characters unless `whole`; a cut run names its start and length in its title. */
  function u(text, className, whole) {
    const node = document.createElement("bdi");
    if (className) node.className = className;
    const s = String(text), shown = whole ? s : cut(s);
    node.textContent = visible(shown);
    if (shown !== s) node.title = `${Array.from(s).length.toLocaleString("en-US")} characters; the details show them all`;
    return node;
  }

  // Numbers JavaScript cannot hold exactly (unpacked by core.js): holder object -> key -> JSON text.
  const exact = new WeakMap();
  const keepExact = (holder, key, text) => {
    if (!exact.has(holder)) exact.set(holder, new Map());
    exact.get(holder).set(key, text);
  };
  /** The submitted JSON text of holder[key] when the number there is only an approximation, else undefined. */
  const exactText = (holder, key) => (holder && exact.has(holder) ? exact.get(holder).get(key) : undefined);
  /** holder[key] to show: the exact digits for an integer beyond 2^53, the number itself otherwise. */
  const shown = (holder, key) => exactText(holder, key) ?? holder[key];

  /** JSON of `value` with each approximated number written back as the digits that were submitted. */
  function toJson(value) {
    const raws = [];
    const plain = JSON.stringify(value, null, 2);
    let mark = "\u0000exact";
    while (plain.includes(JSON.stringify(mark).slice(1, -1))) mark += "!";
    const text = JSON.stringify(value, function (key, v) {
      const raw = exactText(this, key);
      if (raw === undefined) return v;
      raws.push(raw);
      return mark + (raws.length - 1);
    }, 2);
    const quoted = JSON.stringify(mark).slice(0, -1).replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
    return text.replace(new RegExp(quoted + '(\\d+)"', "g"), (_, i) => raws[Number(i)]);
  }

  // Fixed locale: the page must read the same for everyone and in tests. Intl formats a string of digits
  // exactly, so `exactDigits` (the submitted text of a number beyond 2^53) is shown as it was submitted.
  // Intl never writes an exponent ("4e-7" is how String() writes a TTFT of 0.0000004 ms).
  const formats = new Map();
  const format = (key, options) => formats.get(key) || formats.set(key, new Intl.NumberFormat("en-US", options)).get(key);
  /** `v` with at most `digits` decimals; a nonzero value that would keep fewer than two significant digits
   * (0.04 tok/s at one decimal read "0") keeps two instead, so a measured value never reads as 0. */
  function fmt(v, digits, exactDigits) {
    if (v === null) return "—";
    if (exactDigits !== undefined) return format(digits, { maximumFractionDigits: digits }).format(exactDigits);
    const needed = v !== 0 && Math.abs(v) < 1 ? 1 - Math.floor(Math.log10(Math.abs(v))) : 0; // decimals for two
    return needed > digits ? format("two", { maximumSignificantDigits: 2 }).format(v)
      : format(digits, { maximumFractionDigits: digits }).format(v);
  }
  // Sub-millisecond values are common (tiny models on fast hardware): fmt keeps two significant digits there.
  const fmtMs = (v, exactDigits) => (v === null ? "—" : fmt(v, v >= 100 ? 0 : v >= 10 ? 1 : 2, exactDigits));
  const fmtMem = (mb, exactDigits) => (mb === null ? "—" : mb >= 1024 ? fmt(mb / 1024, 1) + " GB"
    : fmt(mb, 0, exactDigits) + " MB");
  /** An error rate as a percentage: one just short of 1 (0.99996) reads ">99.99%", never a round "100%". */
  function fmtPct(v) {
    if (v === null) return "—";
    const text = fmt(v * 100, 2);
    return (v < 1 && text === "100" ? ">99.99" : text) + "%";
  }
  /** A number as plain decimal digits, all of them (String(4e-7) is "4e-7"): for the exact value on hover. */
  function plain(v) {
    const s = String(v);
    const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
    if (!m) return s;
    const digits = m[2] + (m[3] || ""), exp = Number(m[4]);
    // String() uses an exponent below 1e-6 and from 1e21 on, where the digits never reach the point.
    return m[1] + (exp < 0 ? "0." + "0".repeat(-exp - 1) + digits : digits.padEnd(exp + 1, "0"));
  }

  /** True only for absolute http(s) URLs: the only strings the page ever turns into links. */
  function isHttpUrl(v) {
    if (typeof v !== "string" || !/^https?:\/\//i.test(v)) return false;
    try {
      const url = new URL(v);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch (_) {
      return false;
    }
  }

  /** An SVG element (the charts'): text and labels show hidden characters as ⟨U+XXXX⟩, as the table does. */
  function svgEl(tag, attrs, text) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, k === "aria-label" ? visible(v) : String(v));
    if (text !== undefined) node.textContent = visible(text);
    return node;
  }

  Object.assign(LB, { visible, visibleBreaks, textBreaks, cut, u, svgEl, keepExact, exactText, shown, toJson,
    fmt, fmtMs, fmtMem, fmtPct, plain, isHttpUrl });
})(window);
