"""The page generator without a browser: embedding, escaping, determinism and the ``site`` command."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bot.cli.main import main
from bot.site.build import DATA_SCRIPT, MULTI_FILE, SCRIPTS, SINGLE_FILE, SiteError, build_site, embed_json
from tests.support.paths import ROOT

DATA = ROOT / "data"
ASSETS = ROOT / "bot" / "site" / "assets"
EVIL = "</script><script>alert(1)</script><!-- <img src=x onerror=alert(2)> \u2028 &amp;"
DATA_BLOCK = re.compile(r"\Awindow\.LB_DATA = (.*);\n\Z", re.S)
FILES = ["index.html", "style.css", DATA_SCRIPT, SINGLE_FILE, MULTI_FILE, *SCRIPTS]


def real() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The repository's real data files."""
    single = json.loads((DATA / SINGLE_FILE).read_text(encoding="utf-8"))
    multi = json.loads((DATA / MULTI_FILE).read_text(encoding="utf-8"))
    return single, multi


def evil_entry() -> dict[str, Any]:
    """A real entry whose free-text fields try to break out of the page."""
    entry = copy.deepcopy(real()[0][0])
    entry["model"]["name"] = EVIL
    entry["metadata"]["notes"] = EVIL
    return entry


def unpack(payload: dict[str, Any]) -> dict[str, Any]:
    """An independent reading of the packed format documented in bot/site/data.py."""
    shapes, strings, objects = payload["shapes"], payload["strings"], payload["objects"]

    def decode(packed: list[Any]) -> dict[str, Any]:
        shape = shapes[packed[0]]
        out = {}
        for i in range(0, len(shape), 2):
            value = packed[i // 2 + 1]
            kind = shape[i + 1]
            if kind == 1:
                out[shape[i]] = decode(objects[value])
            else:  # 3: the JSON text of a value JavaScript would only approximate
                out[shape[i]] = (
                    strings[value] if kind == 2 else json.loads(strings[value]) if kind == 3 else value
                )
        return out

    rest = {k: v for k, v in payload.items() if k not in ("shapes", "strings", "objects", "single", "multi")}
    return {
        **rest,
        "single": [decode(e) for e in payload["single"]],
        "multi": [decode(e) for e in payload["multi"]],
    }


def embedded(data_js: str) -> Any:
    """The entries in data.js, unpacked."""
    match = DATA_BLOCK.search(data_js)
    assert match, "data.js is not one assignment of the payload"
    return unpack(json.loads(match.group(1)))


def test_build_site_writes_page_assets_and_embeds_the_data() -> None:
    single, multi = real()
    files = build_site(single, multi, generated_at="2026-03-18T00:00:00Z")
    assert sorted(files) == sorted(FILES)
    payload = embedded(files[DATA_SCRIPT])
    assert payload["single"] == single
    assert payload["multi"] == multi
    assert payload["generated_at"] == "2026-03-18T00:00:00Z"
    page = files["index.html"]
    assert f'<span class="count">{len(single)}</span>' in page
    assert f'<span class="count">{len(multi)}</span>' in page
    for name in (DATA_SCRIPT, *SCRIPTS):  # data first: the code scripts read it
        assert re.search(rf'<script src="{re.escape(name)}\?v=[0-9a-f]{{12}}" defer></script>', page)
    assert page.index(DATA_SCRIPT) < page.index(SCRIPTS[0])
    assert json.loads(files[SINGLE_FILE]) == single  # the raw data files beside the page
    # Self-contained: nothing but the data itself may point at another host (the SVG namespace is no request).
    code = "".join(v for k, v in files.items() if k not in (DATA_SCRIPT, SINGLE_FILE, MULTI_FILE))
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", code)
    assert len(page.encode()) < 12_000  # the shell stays small: the data is a file of its own


def test_tab_counts_use_thousands_separators() -> None:
    page = build_site([{"entry_id": str(i)} for i in range(12_345)], [])["index.html"]
    assert '<span class="count">12,345</span>' in page


def test_packed_data_is_much_smaller_than_the_entries() -> None:
    single, multi = real()
    clones = [{**copy.deepcopy(single[i % len(single)]), "entry_id": f"id-{i}"} for i in range(2000)]
    files = build_site(clones, multi)
    assert embedded(files[DATA_SCRIPT])["single"] == clones
    assert len(files[DATA_SCRIPT]) * 4 < len(json.dumps(clones, separators=(",", ":")))


def test_packing_keeps_types_key_order_and_odd_keys() -> None:
    odd = [{"b": 1, "a": 1.0, "c": True, "d": None, "e": [1, {"x": "y"}], "__proto__": {"k": "v"}, "f": {}},
           {"a": 1.0, "b": 1, "n": {"m": {"deep": "1"}}}]  # fmt: skip
    back = embedded(build_site(odd, [])[DATA_SCRIPT])["single"]
    assert back == odd
    assert [list(e) for e in back] == [list(e) for e in odd]
    assert type(back[0]["a"]) is float
    assert type(back[0]["b"]) is int


def test_code_and_data_have_separate_cache_keys() -> None:
    single, multi = real()
    before, after = build_site(single, multi)["index.html"], build_site(single[:-1], multi)["index.html"]
    src = re.compile(r'src="([a-z]+\.js\?v=[0-9a-f]+)"')
    changed = set(src.findall(before)) ^ set(src.findall(after))
    assert {s.split("?")[0] for s in changed} == {DATA_SCRIPT}  # a data update keeps the cached code


def test_links_to_the_repository_issue_form_reference_and_data() -> None:
    page = build_site([], [], repo_url="https://github.com/o/r")["index.html"]
    for href in (
        "https://github.com/o/r",
        "https://github.com/o/r/issues/new?template=submit-results.yml",
        "https://github.com/o/r/blob/HEAD/docs/FIELD_SPECIFICATION.md",
        SINGLE_FILE,
        MULTI_FILE,
    ):
        assert f'href="{href}"' in page
    assert "Repository" not in build_site([], [])["index.html"]  # no repository known: data links only
    with pytest.raises(SiteError, match="--repo-url must look like"):
        build_site([], [], repo_url='javascript:alert(1)//"x')


def test_data_script_holds_hostile_text_safely() -> None:
    single, multi = real()
    files = build_site([evil_entry(), *single], multi)
    data_js = files[DATA_SCRIPT]
    assert embedded(data_js)["single"][0]["metadata"]["notes"] == EVIL
    # data.js is a script: no markup characters, no line separators (old JS engines end strings there),
    # so it stays safe even if it were ever inlined into the page.
    assert not set(data_js) & set("<>&\u2028\u2029")
    # Every "</script>" in the page closes one of our own script elements; no entry text is in the page.
    assert files["index.html"].count("</script>") == len(SCRIPTS) + 1
    assert "alert(1)" not in files["index.html"]


def test_embed_json_escapes_markup_characters_and_round_trips() -> None:
    value = {"a": "</script>", "b": "<!--", "c": "&", "d": "\u2029"}
    text = embed_json(value)
    assert not set(text) & set("<>&\u2028\u2029")
    assert json.loads(text) == value


def test_embed_json_rejects_nan() -> None:
    with pytest.raises(ValueError, match="JSON"):
        embed_json({"x": float("nan")})


def test_build_site_is_deterministic_and_has_no_timestamp_by_default() -> None:
    single, multi = real()
    first = build_site(single, multi)
    assert first == build_site(copy.deepcopy(single), copy.deepcopy(multi))
    assert "Generated" not in first["index.html"]
    assert embedded(first[DATA_SCRIPT])["generated_at"] is None


def test_placeholders_inside_the_data_are_not_expanded() -> None:
    entry = evil_entry()
    entry["metadata"]["notes"] = "{{footer}} {{data_json}}"
    files = build_site([entry], [], generated_at="<b>now</b>")
    page = files["index.html"]
    assert embedded(files[DATA_SCRIPT])["single"][0]["metadata"]["notes"] == "{{footer}} {{data_json}}"
    assert "Generated &lt;b&gt;now&lt;/b&gt;" in page
    assert "<b>now</b>" not in page.replace(embed_json("<b>now</b>"), "")


def test_javascript_never_parses_strings_as_html() -> None:
    for path in ASSETS.glob("*.js"):
        code = path.read_text(encoding="utf-8")
        for sink in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
        ):
            assert sink not in code, f"{path.name} uses {sink}"
        assert "fetch(" not in code, f"{path.name} loads data over the network (breaks file://)"


def write_data(folder: Path, single: Any, multi: Any) -> Path:
    """Write a data dir with the two files (values are JSON-serialised, text and bytes written verbatim)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, value in ((SINGLE_FILE, single), (MULTI_FILE, multi)):
        if isinstance(value, bytes):
            (folder / name).write_bytes(value)
            continue
        text = value if isinstance(value, str) else json.dumps(value)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_site_command_writes_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert main(["site", "--data-dir", str(DATA), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert f"wrote {out / 'index.html'}" in printed
    single, multi = real()
    assert f"{len(single)} single-node and {len(multi)} multi-node entries" in printed
    assert embedded((out / DATA_SCRIPT).read_text(encoding="utf-8"))["single"] == single
    assert (out / "app.js").stat().st_mode & 0o777 == 0o644


def test_site_command_is_reproducible_with_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1773792000")
    for name in ("a", "b"):
        assert main(["site", "--data-dir", str(DATA), "--out", str(tmp_path / name)]) == 0
    page = (tmp_path / "a" / "index.html").read_text(encoding="utf-8")
    assert page == (tmp_path / "b" / "index.html").read_text(encoding="utf-8")
    assert "Generated 2026-03-18T00:00:00Z" in page


@pytest.mark.parametrize(
    ("single", "multi", "message"),
    [
        (None, None, "data file not found"),
        ("[{", "[]", "invalid JSON"),
        ('[{"x": NaN}]', "[]", "leaderboard_single.json:1:8: error: $[0].x: NaN is not a finite JSON number"),
        (
            '[{"x": 1e999}]',
            "[]",
            "leaderboard_single.json:1:8: error: $[0].x: 1e999 is not a finite JSON number",
        ),
        ('[{"x": 1, "x": 2}]', "[]", '$[0].x: key "x" appears more than once in this object [LB002]'),
        ("{}", "[]", "expected a JSON array of entries, got dict"),
        ("[1]", "[]", "leaderboard_single.json:1:2: $[0] is not an object: a data file is an array of entry"),
        (b"\xff[]", "[]", "not UTF-8 text (the byte at offset 0); save the data file as UTF-8"),
    ],
)
def test_site_command_reports_bad_data_without_a_traceback(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    single: str | bytes | None,
    multi: str | None,
    message: str,
) -> None:
    data = tmp_path / "data"
    if single is not None:
        write_data(data, single, multi)
    out = tmp_path / "site"
    assert main(["site", "--data-dir", str(data), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.startswith("leaderboard-bot site: error:")
    assert "Traceback" not in err
    assert not out.exists()


def test_site_command_names_a_data_file_it_cannot_read_and_an_out_that_is_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both answered in Python's words once ("[Errno 21] Is a directory: ...", "[Errno 17] File exists")."""
    data = write_data(tmp_path / "data", "[]", "[]")
    (data / SINGLE_FILE).unlink()
    (data / SINGLE_FILE).mkdir()
    assert main(["site", "--data-dir", str(data), "--out", str(tmp_path / "site")]) == 2
    assert capsys.readouterr().err == (
        f"leaderboard-bot site: error: {data / SINGLE_FILE}: cannot be read (Is a directory)\n"
    )
    taken = tmp_path / "page.html"
    taken.write_text("mine")
    assert main(["site", "--data-dir", str(DATA), "--out", str(taken)]) == 2
    assert capsys.readouterr().err == (
        f"leaderboard-bot site: error: {taken}: cannot be written (a file, where --out names the folder the "
        "page goes into); nothing was written (pass --out a folder you can write to)\n"
    )
    assert taken.read_text() == "mine"


def test_the_page_publishes_the_data_files_as_they_are(tmp_path: Path) -> None:
    """They were written again with json.dumps: the tab-indented multi-node file lost its layout."""
    out = tmp_path / "site"
    assert main(["site", "--data-dir", str(DATA), "--out", str(out)]) == 0
    for name in (SINGLE_FILE, MULTI_FILE):
        assert (out / name).read_bytes() == (DATA / name).read_bytes()
    assert b"\t" in (out / MULTI_FILE).read_bytes()  # the layout that was lost


@pytest.mark.parametrize(("out", "message"), [("data", "the data folder itself"), ("", "--out is empty")])
def test_the_page_is_not_written_into_the_data_folder_or_an_unnamed_one(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    out: str,
    message: str,
) -> None:
    """--out equal to --data-dir rewrote the data files there; --out '' wrote into the working folder."""
    data = write_data(tmp_path / "data", "[]", "[]")
    monkeypatch.chdir(tmp_path)
    assert main(["site", "--data-dir", str(data), "--out", out]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert sorted(p.name for p in data.iterdir()) == [MULTI_FILE, SINGLE_FILE]


def test_site_command_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    data = write_data(tmp_path / "data", "\ufeff[]", "[]")
    assert main(["site", "--data-dir", str(data), "--out", str(tmp_path / "site")]) == 0


def test_pages_workflow_builds_with_the_cli_and_pins_actions() -> None:
    workflow = YAML(typ="safe").load(
        (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    )
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    assert any("leaderboard-bot site" in s.get("run", "") for s in steps)
    for step in steps:
        if "uses" in step and step["uses"] != "./":  # the bot's own Action, installed to build the page
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


def test_a_bad_repository_from_the_environment_names_the_variables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No --repo-url was given, so the message must not blame it: GITHUB_REPOSITORY gave the value."""
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "not a repo")
    assert main(["site", "--data-dir", str(DATA), "--out", str(tmp_path / "site")]) == 2
    err = capsys.readouterr().err
    assert "GITHUB_SERVER_URL and GITHUB_REPOSITORY give 'https://github.com/not a repo'" in err
    assert "--repo-url must look like" not in err
    assert not (tmp_path / "site").exists()
    monkeypatch.setenv("GITHUB_REPOSITORY", "octo/board")
    assert main(["site", "--data-dir", str(DATA), "--out", str(tmp_path / "site")]) == 0
