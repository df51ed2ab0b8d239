"""The static leaderboard page (``leaderboard-bot site --out DIR`` writes it), built in memory.

The page is self-contained (no CDN, no network at view time). Code and data are separate files: a small
``index.html`` shell, the scripts and stylesheet, and ``data.js``, which assigns the packed entries
(``bot.site.data``) to ``window.LB_DATA``. A classic script rather than ``fetch()``: fetch of a local
file is blocked on ``file://``, a ``<script src>`` is not; and as its own file (with a content hash in its
URL) the data is cached apart from the code, so a data update downloads only the data.
All rendering happens in ``app.js``, which only ever writes entry text through ``textContent``.
The raw data files are copied beside the page so that its links to them work offline too.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

from bot import __version__
from bot.site.data import pack_payload

SINGLE_FILE = "leaderboard_single.json"
MULTI_FILE = "leaderboard_multi.json"
# Scripts load in this order; each adds to the ``window.LB`` namespace (no modules: they fail on file://).
SCRIPTS = ("core.js", "text.js", "chart.js", "scatter.js", "compare.js", "table.js", "details.js", "app.js")
DATA_SCRIPT = "data.js"
REPO_URL = re.compile(r"https://[A-Za-z0-9.-]+(?::\d+)?/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
BAD_REPO_URL = "--repo-url must look like https://github.com/OWNER/REPO, got {url!r}"
STYLES = ("style.css",)
_PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")
# Characters that could end the <script> element or open an HTML comment; \u escapes are valid JSON.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


class SiteError(Exception):
    """A problem with the input data that the user can fix (reported without a traceback)."""


def _asset(name: str) -> str:
    """Return the text of one packaged file from ``bot/site/assets``."""
    return (resources.files("bot.site") / "assets" / name).read_text(encoding="utf-8")


def embed_json(value: Any) -> str:
    """Serialise ``value`` as JSON that is safe to place inside a ``<script>`` element."""
    # allow_nan=False: NaN/Infinity are not JSON and would make JSON.parse fail in the browser.
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group(0)], text)


def _render(template: str, values: Mapping[str, str]) -> str:
    """Fill ``{{name}}`` placeholders in one pass, so inserted text is never scanned again."""
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def _links(repo_url: str | None) -> str:
    """The page's links (static HTML, so they also work without JavaScript)."""
    items = [(SINGLE_FILE, "Single-node data (JSON)"), (MULTI_FILE, "Multi-node data (JSON)")]
    if repo_url:
        items = [
            (repo_url, "Repository"),
            (f"{repo_url}/issues/new?template=submit-results.yml", "Submit results"),
            (f"{repo_url}/blob/HEAD/docs/FIELD_SPECIFICATION.md", "Field reference"),
            *items,
        ]
    return "".join(f'<li><a href="{html.escape(u)}">{html.escape(t)}</a></li>' for u, t in items)


def _digest(*texts: str) -> str:
    return hashlib.sha256("\0".join(texts).encode()).hexdigest()[:12]


def build_site(
    single: list[dict[str, Any]],
    multi: list[dict[str, Any]],
    generated_at: str | None = None,
    repo_url: str | None = None,
) -> dict[str, str]:
    """Build the page from the two entry lists; returns file name -> file content (deterministic)."""
    if repo_url is not None and not REPO_URL.fullmatch(repo_url):
        raise SiteError(BAD_REPO_URL.format(url=repo_url))
    assets = {name: _asset(name) for name in (*SCRIPTS, *STYLES)}
    extra = {"generated_at": generated_at, "version": __version__, "repo_url": repo_url}
    data_js = f"window.LB_DATA = {embed_json(pack_payload({'single': single, 'multi': multi}, extra))};\n"
    # A content hash in each URL keeps browsers from pairing a new index.html with a stale file; code
    # and data have their own hashes, so a data update leaves the cached code valid and vice versa.
    code = _digest(*(assets[n] for n in sorted(assets)))
    scripts = [f"{DATA_SCRIPT}?v={_digest(data_js)}", *(f"{n}?v={code}" for n in SCRIPTS)]
    stamp = f"Generated {generated_at} · " if generated_at else ""
    index = _render(
        _asset("index.html"),
        {
            "styles": "".join(f'<link rel="stylesheet" href="{n}?v={code}">' for n in STYLES),
            "scripts": "".join(f'<script src="{u}" defer></script>' for u in scripts),
            "links": _links(repo_url),
            "single_count": f"{len(single):,}",  # "10,000", as the page writes every count
            "multi_count": f"{len(multi):,}",
            "footer": html.escape(f"{stamp}leaderboard-bot {__version__}"),
        },
    )
    raw = {
        n: json.dumps(v, ensure_ascii=False, indent=2) + "\n"
        for n, v in ((SINGLE_FILE, single), (MULTI_FILE, multi))
    }
    return {"index.html": index, DATA_SCRIPT: data_js, **assets, **raw}
