"""Single captures: the JSON contract, a rerun, https with its certificate and a trusted timestamp, failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.webcapture.case_capture import capture_urls
from evidence.web.page_capture import CaptureSettings
from tests.support.tsa import local_tsa
from tests.support.web_pages import unused_port

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def test_one_address_gives_the_json_of_the_contract_and_a_rerun_finds_it(cli, case_dir, site):
    code, out, err = cli("evidence", "capture", site.url("/listing"), "--case", case_dir, "--json", "--timeout", 20)
    assert code == 0, err
    data = json.loads(out)
    assert list(data)[:8] == ["url", "final_url", "status", "captured_at", "artifacts", "manifest", "record",
                              "record_pdf"]
    assert data["url"] == data["final_url"] == site.url("/listing") and data["status"] == 200
    assert data["captured_at"].endswith("Z") and not data["already_captured"]
    assert {a["kind"] for a in data["artifacts"]} == {"html", "mhtml", "screenshot", "pdf", "response", "capture",
                                                      "record"}
    assert data["case_seal"]["state"] == "unsealed"
    code, out, _ = cli("evidence", "capture", site.url("/listing"), "--case", case_dir, "--json")
    again = json.loads(out)
    assert code == 0 and again["already_captured"] and again["folder"] == data["folder"]
    assert again["artifacts"] == data["artifacts"]
    code, out, _ = cli("evidence", "capture", site.url("/listing"), "--case", case_dir)
    assert code == 0 and out.startswith("already captured: ")


def test_an_unreachable_port_exits_2_without_a_traceback_or_a_folder(case_dir):
    url = f"http://127.0.0.1:{unused_port()}/listing"
    done = subprocess.run([sys.executable, "-m", "casebook.cli", "evidence", "capture", url, "--case", str(case_dir)],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 2 and "nothing answers at this address" in done.stderr
    assert "Traceback" not in done.stderr and not done.stdout
    assert list((case_dir / "evidence" / "web").iterdir()) == []
    assert not (case_dir / "custody.jsonl").exists()


def test_https_records_the_certificate_and_a_trusted_timestamp_fixes_the_time(case_dir, https_site, tmp_path, cli):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    (tmp_path / "tsa").mkdir()
    with local_tsa(tmp_path / "tsa", "ec") as tsa:
        run = capture_urls(case_dir, [(None, https_site.url("/redirect"))], tsa_url=tsa["url"],
                           settings=CaptureSettings(timeout_s=20, ignore_https_errors=True))
        assert not run.failed, run.failed
        result = run.results[0]
        assert result.timestamp and not result.timestamp_error
        assert (result.folder / "manifest.json.tsr").is_file()
        code, out, _ = cli("evidence", "verify", result.manifest_path, "--tsa-ca", tsa["ca"])
        assert code == 0 and "timestamp: " in out
    response = json.loads((result.folder / "response.json").read_text(encoding="utf-8"))
    assert [hop["status"] for hop in response["chain"]] == [302, 301, 200]
    assert all(hop["tls"]["protocol"].startswith("TLS") for hop in response["chain"])
    assert response["tls"]["subject"] == response["tls"]["issuer"] == "O=周口鞋业测试网店,CN=127.0.0.1"
    site_cert = x509.load_pem_x509_certificate(https_site.cert_pem.read_bytes())
    kept = x509.load_pem_x509_certificate(next(iter(response["certificates"].values()))["chain_pem"][0].encode())
    assert kept == site_cert
    assert response["tls"]["sha256_fingerprint"] == site_cert.fingerprint(hashes.SHA256()).hex()
    record = result.record_html.read_text(encoding="utf-8")
    assert "O=周口鞋业测试网店,CN=127.0.0.1" in record and "RFC 3161" in record
    assert "未校验服务器的 TLS 证书" in record  # said plainly, never silently
    capture = json.loads((result.folder / "capture.json").read_text(encoding="utf-8"))
    assert capture["policy"]["ignore_https_errors"] is True


def test_a_crash_after_the_page_was_taken_leaves_no_folder(case_dir, site, monkeypatch):
    import casebook.webcapture.case_capture

    def broken_disk(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(casebook.webcapture.case_capture, "build_manifest", broken_disk)
    with pytest.raises(OSError, match="disk full"):
        capture_urls(case_dir, [(None, site.url("/listing"))], settings=CaptureSettings(timeout_s=20))
    assert list((case_dir / "evidence" / "web").iterdir()) == []
    assert not (case_dir / "custody.jsonl").exists()


def test_a_run_stopped_between_pages_cancels_the_page_in_flight_and_leaves_no_partial_folder(case_dir, site):
    from casebook.webcapture.case_capture import CaseCapture

    with CaseCapture(case_dir, settings=CaptureSettings(timeout_s=20)) as run:
        pages = run.capture_many([(1, site.url("/listing")), (2, site.url("/tall"))])
        row, _, first = next(pages)  # the first is sealed while the second is being taken ...
        pages.close()  # ... and then the officer stops the run
    assert row == 1 and first.folder.is_dir()
    assert [p.name for p in (case_dir / "evidence" / "web").iterdir()] == [first.folder.name]
    events = (case_dir / "custody.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(events) == 1 and json.loads(events[0])["objects"][0]["url"] == site.url("/listing")
