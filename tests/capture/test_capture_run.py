"""One real run of ``casebook evidence capture --list`` over loopback listing pages, checked from every side.

The run (a subprocess, as an officer would start it) captures into a sealed case: a redirect, a
page that rewrites itself after load, a tall page, a page that never settles, a hostile page, a
GBK page; and fails, one by one, a non-web address, a slow server, a self-signed certificate, a
redirect to file:, an unused port and a download.  The tests below read what it left.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from casebook.webcapture.case_capture import folder_name
from tests.support.browser import inspect_page
from tests.support.web_pages import HOSTILE_TITLE, unused_port, write_case

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
GOOD = ["/redirect", "/changes", "/tall", "/restless", "/hostile", "/gbk", "/moves"]


def casebook(*args, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "casebook.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO)


@dataclass
class Run:
    case: Path
    listing: Path
    code: int
    data: dict
    stderr: str
    urls: dict

    def capture(self, path: str) -> dict:
        return next(item for item in self.data["captured"] if item["url"] == self.urls[path])

    def folder(self, path: str) -> Path:
        return Path(self.capture(path)["folder"])


@pytest.fixture(scope="module")
def run(tmp_path_factory, site, https_site) -> Run:
    case = write_case(tmp_path_factory.mktemp("run"))
    assert casebook("evidence", "hash", case).returncode == 0  # the case was sealed before the pages were taken
    urls = {path: site.url(path) for path in GOOD}
    urls.update({"file": "file:///etc/passwd", "/slow": site.url("/slow"), "https": https_site.url("/listing"),
                 "/to-file": site.url("/to-file"), "unused": f"http://127.0.0.1:{unused_port()}/listing",
                 "/download": site.url("/download")})
    listing = case.parent / "urls.txt"
    listing.write_text("# 周口鞋业旗舰店 listings\n\n" + "\n".join(urls.values()) + "\n", encoding="utf-8")
    done = casebook("evidence", "capture", "--list", listing, "--case", case, "--timeout", 12, "--json")  # the whole capture of a page
    assert done.stdout.strip(), done.stderr
    return Run(case, listing, done.returncode, json.loads(done.stdout), done.stderr, urls)


def test_the_run_captures_the_good_pages_and_names_each_failure_by_line(run):
    assert run.code == 1 and "Traceback" not in run.stderr
    assert sorted(item["url"] for item in run.data["captured"]) == sorted(run.urls[p] for p in GOOD)
    lines = {url: number for number, url in enumerate(run.listing.read_text(encoding="utf-8").splitlines(), 1)}
    failed = {item["url"]: item for item in run.data["failed"]}
    assert set(failed) == {run.urls[k] for k in ("file", "/slow", "https", "/to-file", "unused", "/download")}
    for url, item in failed.items():
        assert item["row"] == lines[url]
    why = {key: failed[run.urls[key]]["message"] for key in ("file", "/slow", "https", "/to-file", "unused", "/download")}
    assert "not an http or https address" in why["file"]
    assert "did not answer within 12 s" in why["/slow"]
    assert "certificate" in why["https"] and "ERR_CERT_AUTHORITY_INVALID" in why["https"]
    assert "not http or https" in why["/to-file"]
    assert "nothing answers" in why["unused"]
    assert "file to download" in why["/download"]


def test_a_failed_address_leaves_no_folder_and_no_partial_one(run):
    web = run.case / "evidence" / "web"
    assert sorted(p.name for p in web.iterdir()) == sorted(Path(item["folder"]).name for item in run.data["captured"])


def test_each_capture_has_every_artifact_and_the_json_digests_are_the_files(run):
    for item in run.data["captured"]:
        assert {"url", "final_url", "status", "captured_at", "artifacts", "manifest", "record"} <= set(item)
        kinds = [a["kind"] for a in item["artifacts"]]
        assert kinds == ["html", "mhtml", "screenshot", "pdf", "response", "capture", "record", "record"]
        for artifact in item["artifacts"]:
            data = Path(artifact["path"]).read_bytes()
            assert artifact["bytes"] == len(data)
            assert artifact["sha256"] == hashlib.sha256(data).hexdigest()
            assert artifact["sm3"] == hashlib.new("sm3", data).hexdigest()
        assert Path(item["manifest"]).is_file() and item["record"].endswith("record.html")
        assert Path(item["record_pdf"]).read_bytes().startswith(b"%PDF")
        folder = Path(item["folder"])
        assert folder.parent == run.case / "evidence" / "web"
        # <UTC time>-<host> of the capture's start; a second capture of that host in the same second gets -2
        assert re.fullmatch(re.escape(folder_name(item["captured_at"], item["url"])) + r"(-\d+)?", folder.name)


def test_the_redirect_chain_status_headers_and_server_are_recorded(run):
    item = run.capture("/redirect")
    assert item["status"] == 200 and item["final_url"] == run.urls["/redirect"].replace("/redirect", "/listing")
    response = json.loads((run.folder("/redirect") / "response.json").read_text(encoding="utf-8"))
    assert [hop["status"] for hop in response["chain"]] == [302, 301, 200]
    assert [hop["url"].rsplit("/", 1)[1] for hop in response["chain"]] == ["redirect", "hop", "listing"]
    assert response["server"] == {"ip": "127.0.0.1", "port": int(run.urls["/redirect"].split(":")[2].split("/")[0])}
    assert response["tls"] is None
    cookies = [value for name, value in response["chain"][-1]["headers"] if name.lower() == "set-cookie"]
    assert cookies == ["session=abc; Path=/", "region=zk; Path=/"]  # duplicates kept, as sent


def test_a_page_that_moves_itself_on_is_captured_where_it_landed(run):
    item = run.capture("/moves")
    assert item["final_url"] == run.urls["/moves"].replace("/moves", "/listing") and item["status"] == 200
    response = json.loads((run.folder("/moves") / "response.json").read_text(encoding="utf-8"))
    assert response["client_navigations"] == [item["final_url"]]
    assert response["chain"][-1]["url"] == item["final_url"]
    assert "耐克 Air 运动鞋" in (run.folder("/moves") / "page.html").read_text(encoding="utf-8-sig")


def test_capture_json_has_both_clocks_versions_viewport_and_user_agent(run):
    record = json.loads((run.folder("/redirect") / "capture.json").read_text(encoding="utf-8"))
    from datetime import datetime, timedelta

    for key in ("started", "ended"):
        utc = datetime.fromisoformat(record[key]["utc"].replace("Z", "+00:00"))
        local = datetime.fromisoformat(record[key]["asia_shanghai"])
        assert utc == local and local.utcoffset() == timedelta(hours=8)
    assert record["started"]["utc"] <= record["snapshot"]["utc"] <= record["ended"]["utc"]
    version = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout
    assert record["browser"]["version"] in version and record["browser"]["executable"]
    assert record["tools"]["playwright"] and record["tools"]["name"] == "casebook"
    assert record["viewport"] == {"width": 1366, "height": 768, "device_scale_factor": 1}
    assert "Chrome/" in record["user_agent"] and "Headless" not in record["user_agent"]
    assert record["title"] == HOSTILE_TITLE and record["settled"] is True


def test_the_dom_is_taken_after_the_page_rewrote_itself(run):
    html = (run.folder("/changes") / "page.html").read_bytes()
    assert html.startswith(b"\xef\xbb\xbf")
    text = html.decode("utf-8-sig")
    assert "现价 ¥ 99（加载后改写）" in text and "原价 ¥ 399" not in text


def test_the_screenshot_is_the_whole_tall_page(run):
    png = (run.folder("/tall") / "screenshot.png").read_bytes()
    width, height = struct.unpack(">II", png[16:24])
    assert width == 1366 and height >= 6000
    record = json.loads((run.folder("/tall") / "capture.json").read_text(encoding="utf-8"))
    assert record["page_size"] == {"width": width, "height": height}


def test_a_page_that_never_settles_is_captured_at_the_timeout_and_the_record_says_so(run):
    item = run.capture("/restless")
    assert item["settled"] is False and item["not_settled"] == ["dom_quiet"]
    record = json.loads((run.folder("/restless") / "capture.json").read_text(encoding="utf-8"))
    assert record["settled"] is False and record["timeout_s"] == 12
    assert "在时限内未稳定" in (run.folder("/restless") / "record.html").read_text(encoding="utf-8")


def test_a_hostile_page_reaches_nothing_but_http(run, site):
    assert not [path for path in site.paths if path.startswith("/pwned")]
    record = json.loads((run.folder("/hostile") / "capture.json").read_text(encoding="utf-8"))
    refused = {(item["what"], item["url"].split(":", 1)[0]) for item in record["refused"]}
    assert {("frame", "data"), ("frame", "blob"), ("frame", "javascript"), ("websocket", "ws"), ("popup", "http")} <= refused
    assert [d["message"] for d in record["dialogs"]] == ["恭喜中奖"]
    assert any("file:///etc/hostname" in entry["text"] for entry in record["browser_log"])
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").is_file() else ""
    for name in ("page.html", "page.mhtml"):
        data = (run.folder("/hostile") / name).read_text(encoding="utf-8-sig", errors="replace")
        assert not hostname or hostname not in data.replace("file:///etc/hostname", "")


def test_a_gbk_page_reads_right_from_page_html(run, tmp_path):
    copy = tmp_path / "page.html"
    shutil.copy(run.folder("/gbk") / "page.html", copy)
    report = inspect_page(copy)
    assert "耐克运动鞋 清仓特价" in report.text and not report.network_requests


def test_the_capture_manifest_verifies_and_one_changed_screenshot_byte_fails(run, tmp_path, cli):
    manifest = run.capture("/redirect")["manifest"]
    code, out, _ = cli("evidence", "verify", manifest)
    assert code == 0 and "OK, all content matches" in out and "matched 6" in out
    copy = tmp_path / "copy"
    shutil.copytree(run.folder("/redirect"), copy)
    shot = bytearray((copy / "screenshot.png").read_bytes())
    shot[len(shot) // 2] ^= 0x01
    (copy / "screenshot.png").write_bytes(bytes(shot))
    code, out, _ = cli("evidence", "verify", copy / "manifest.json")
    assert code == 1 and "modified: screenshot.png" in out and "matched 5" in out


def test_the_custody_log_records_each_capture_with_its_seal_and_record(run, cli):
    code, out, _ = cli("evidence", "custody", "verify", run.case / "custody.jsonl")
    assert code == 0, out
    events = [json.loads(line) for line in (run.case / "custody.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["action"] for e in events] == ["hashed", *["captured"] * len(GOOD), "hashed"]
    assert {e["actor"] for e in events if e["action"] == "captured"} == {"王敏、李强"}
    for item in run.data["captured"]:
        event = item["custody_event"]
        assert event["action"] == "captured" and event["objects"][0]["url"] == item["url"]
        assert event["objects"][0]["merkle_root"] == item["merkle_root"]
        records = {Path(o["path"]).name: o["sha256"] for o in event["objects"][1:]}
        assert records == {Path(a["path"]).name: a["sha256"] for a in item["artifacts"] if a["kind"] == "record"}


def test_the_sealed_case_is_sealed_again_to_cover_the_captures(run, cli):
    seal = run.data["case_seal"]
    assert seal["state"] == "resealed" and seal["added"] == 9 * len(GOOD)  # 6 artifacts, manifest, 2 records
    assert Path(seal["archived"]).is_file()
    code, out, _ = cli("evidence", "verify", run.case / "manifest.json")
    assert code == 0, out


def test_the_record_shows_the_page_as_text_lists_the_files_and_makes_no_request(run):
    item = run.capture("/redirect")
    record = Path(item["record"])
    text = record.read_text(encoding="utf-8")
    assert "<script>window.__casebook_pwned" not in text
    assert "default-src 'none'; style-src 'sha256-" in html.unescape(text)  # no script, no request, one style
    for artifact in item["artifacts"][:6]:
        assert artifact["sha256"][:32] in text and artifact["sm3"][32:] in text and f">{artifact['bytes']}<" in text
    report = inspect_page(record)
    assert report.safe and not report.page_errors, report
    for shown in (HOSTILE_TITLE, "周口鞋业旗舰店 <script>window.__casebook_pwned=1</script>", "涉嫌销售侵犯注册商标专用权的商品",
                  "王敏（41160000001）", "见证人（签名）", item["merkle_root"], "HTTP 状态"):
        assert shown in report.text, shown


def test_a_rerun_skips_what_is_captured_whole_without_starting_a_browser(run, tmp_path):
    case = tmp_path / run.case.name
    shutil.copytree(run.case, case)
    listing = tmp_path / "again.txt"
    listing.write_text("\n".join(run.urls[p] for p in GOOD) + "\n", encoding="utf-8")
    before = (case / "custody.jsonl").read_bytes()
    done = casebook("evidence", "capture", "--list", listing, "--case", case, "--json", timeout=120)
    data = json.loads(done.stdout)
    assert done.returncode == 0 and not data["captured"] and not data["failed"]
    assert sorted(item["url"] for item in data["skipped"]) == sorted(run.urls[p] for p in GOOD)
    assert all(item["already_captured"] for item in data["skipped"])
    assert (case / "custody.jsonl").read_bytes() == before and data["case_seal"]["state"] == "unchanged"
    assert len(list((case / "evidence" / "web").iterdir())) == len(GOOD)


def test_a_rerun_finishes_a_capture_whose_run_died_after_its_custody_event(run, tmp_path):
    """Custody first, rename second: a run killed between them leaves a hidden folder the next run puts in place."""
    from casebook.webcapture.case_capture import CaseCapture

    case = tmp_path / run.case.name
    shutil.copytree(run.case, case)
    folder = run.folder(GOOD[-1])
    moved = case / "evidence" / "web" / folder.name
    partial = moved.with_name(f".{folder.name}.partial")
    moved.rename(partial)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process id that no longer runs: the owner of the hidden folder is dead
    (partial / ".owner.json").write_text(json.dumps({"pid": gone.pid, "host": os.uname().nodename}), encoding="utf-8")
    before = (case / "custody.jsonl").read_bytes()
    with CaseCapture(case) as again:
        assert again.removed_partial == [] and folder.name in again.partial_notes[0]
        found = again.capture(run.urls[GOOD[-1]])
    assert moved.is_dir() and not partial.exists() and not (moved / ".owner.json").exists()
    assert found.already_captured and found.event is None and (case / "custody.jsonl").read_bytes() == before


def test_a_folder_custody_never_recorded_is_not_adopted_by_a_rerun(run, tmp_path):
    from casebook.webcapture.case_capture import CaseCapture

    case = tmp_path / run.case.name
    shutil.copytree(run.case, case)
    log = case / "custody.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    lost = json.loads(lines[-2])  # the last page's 'captured' event (the reseal's 'hashed' follows it)
    log.write_text("".join(lines[:-2]), encoding="utf-8")
    with CaseCapture(case) as again:
        assert again._existing(lost["objects"][0]["url"]) is None


def test_the_dossier_lists_the_captured_pages_with_digests_and_record_links(run):
    from casebook.sections.base import Dossier

    markup = Dossier(run.case).evidence().markup
    assert "网络在线提取的网页" in markup and "<script>window.__casebook_pwned" not in markup
    for item in run.data["captured"]:
        assert html.escape(item["url"]) in markup
        assert Path(item["record"]).resolve().as_uri() in markup
        for artifact in item["artifacts"][:6]:
            assert artifact["sha256"] in markup and artifact["sm3"] in markup
    assert markup.count('class="cb-ok">与封存清单一致') == len(GOOD)


def test_the_mhtml_and_the_pdf_hold_the_page(run):
    import email

    folder = run.folder("/redirect")
    archive = email.message_from_bytes((folder / "page.mhtml").read_bytes())
    assert archive.get_content_type() == "multipart/related"
    page = next(part for part in archive.walk() if part.get_content_type() == "text/html")
    assert page["Content-Location"] == run.capture("/redirect")["final_url"]
    assert "耐克 Air 运动鞋 官方正品" in page.get_payload(decode=True).decode("utf-8")
    assert (folder / "page.pdf").read_bytes().startswith(b"%PDF")
