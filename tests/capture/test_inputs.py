"""What a capture accepts before any browser starts: addresses, list files, case folders, folder names."""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casebook.webcapture.case_capture import CaseCapture, folder_name, read_url_list
from evidence.web.page_capture import check_url
from safeio.errors import InputError


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "FILE:///C:/Windows/win.ini", "javascript:alert(1)", " javascript:alert(document.domain)",
    "data:text/html,<script>alert(1)</script>", "ftp://example.com/x", "ws://example.com/", "chrome://settings",
    "about:blank", "blob:http://example.com/uuid", "example.com/item/1", "//example.com/x", "http://", "https:///x",
    "http://user:secret@example.com/", "http://example.com:99999/", "http://exa mple.com/", "http://exa\nmple.com/",
    "",
])
def test_anything_but_a_plain_http_or_https_address_is_refused(url):
    with pytest.raises(InputError) as caught:
        check_url(url)
    assert caught.value.field == "url" and caught.value.hint


@pytest.mark.parametrize(("given_url", "expected"), [
    ("HTTPS://Shop.Example.COM", "https://shop.example.com/"),
    ("http://127.0.0.1:8080/item?id=3#详情", "http://127.0.0.1:8080/item?id=3#详情"),
    ("https://[::1]:8443/a", "https://[::1]:8443/a"),
    ("  https://item.example.cn/123.htm  ", "https://item.example.cn/123.htm"),
])
def test_web_addresses_are_written_in_one_form(given_url, expected):
    assert check_url(given_url) == expected


@given(st.text(max_size=60))
def test_check_url_only_ever_returns_http_or_https_with_a_host(text):
    try:
        url = check_url(text)
    except InputError:
        return
    assert url.split(":", 1)[0] in ("http", "https")
    assert check_url(url) == url  # one form: checking again changes nothing


@given(st.sampled_from(["file", "javascript", "data", "ftp", "ws", "gopher", "vbscript"]), st.text(max_size=30))
def test_other_schemes_are_refused_whatever_follows(scheme, rest):
    with pytest.raises(InputError):
        check_url(f"{scheme}:{rest}")


def test_a_list_file_gives_each_address_once_with_its_line(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("\ufeff# 待提取\nhttps://a.example/1\n\n  https://b.example/2  \nhttps://a.example/1\nfile:///x\n",
                       encoding="utf-8")
    assert read_url_list(listing) == [(2, "https://a.example/1"), (4, "https://b.example/2"), (6, "file:///x")]


@pytest.mark.parametrize(("content", "message"), [(None, "does not exist"), (b"# nothing\n\n", "holds no address"),
                                                  (b"\xff\xfe\x00bad", "not UTF-8")])
def test_an_unusable_list_file_is_refused(tmp_path, content, message):
    listing = tmp_path / "urls.txt"
    if content is not None:
        listing.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_url_list(listing)


def test_folder_names_are_utc_time_and_ascii_host():
    assert folder_name("2024-06-07T08:15:02.123Z", "https://Shop.Example.com:8443/x") == "20240607T081502Z-shop.example.com"
    assert folder_name("2024-06-07T08:15:02Z", "https://例子.测试/商品") == "20240607T081502Z-xn--fsqu00a.xn--0zwm56d"
    assert folder_name("2024-06-07T08:15:02Z", "http://[::1]:8080/") == "20240607T081502Z-__1"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "data:text/html,hello"])
def test_cli_refuses_other_schemes_with_exit_2_and_no_folder(cli, case_dir, url):
    code, _, err = cli("evidence", "capture", url, "--case", case_dir)
    assert code == 2 and "is not an http or https address" in err and "Traceback" not in err
    assert not (case_dir / "evidence" / "web").exists()


def test_cli_refuses_a_missing_case_folder(cli, tmp_path):
    code, _, err = cli("evidence", "capture", "https://shop.example/1", "--case", tmp_path / "nope")
    assert code == 2 and "case folder does not exist" in err


def test_cli_refuses_a_folder_without_case_yml(cli, tmp_path):
    code, _, err = cli("evidence", "capture", "https://shop.example/1", "--case", tmp_path)
    assert code == 2 and "case.yml is missing" in err
    assert not (tmp_path / "evidence").exists()


def test_cli_wants_one_url_or_a_list(cli, case_dir, tmp_path):
    assert cli("evidence", "capture", "--case", case_dir)[0] == 2
    (tmp_path / "urls.txt").write_text("https://a.example/\n", encoding="utf-8")
    assert cli("evidence", "capture", "https://a.example/", "--list", tmp_path / "urls.txt", "--case", case_dir)[0] == 2


def test_partial_folders_of_dead_runs_are_swept_and_live_ones_kept(case_dir):
    web = case_dir / "evidence" / "web"
    stale, live = web / ".20240101T000000Z-old.example.partial", web / ".20990101T000000Z-new.example.partial"
    for folder in (stale, live):
        folder.mkdir(parents=True)
        (folder / "page.html").write_text("half", encoding="utf-8")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    with CaseCapture(case_dir) as run:  # no address: no browser starts
        assert run.removed_partial == [stale.name]
    assert not stale.exists() and live.exists()


@pytest.mark.parametrize(("message", "expected"), [
    ("Page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:9999/", "nothing answers"),
    ("Page.goto: net::ERR_NAME_NOT_RESOLVED at http://shop.invalid/", "cannot be resolved"),
    ("Page.goto: net::ERR_CERT_DATE_INVALID at https://shop.example/", "certificate"),
    ("Page.goto: net::ERR_SSL_PROTOCOL_ERROR at https://shop.example/", "certificate or connection"),
    ("Page.goto: net::ERR_UNSAFE_REDIRECT at http://shop.example/r", "not http or https"),
    ("Page.goto: Download is starting", "file to download"),
    ("Page.goto: net::ERR_TOO_MANY_REDIRECTS at http://shop.example/", "could not be opened (Page.goto: net::ERR_TOO"),
])
def test_browser_errors_are_told_in_plain_words(message, expected):
    from evidence.web.web_errors import navigation_error

    err = navigation_error("http://shop.example/", Exception(message), 30)
    assert expected in err.message and err.message.startswith("http://shop.example/: ")


def test_a_timeout_says_how_long_was_waited():
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    from evidence.web.web_errors import navigation_error

    err = navigation_error("http://shop.example/", PlaywrightTimeout("Page.goto: Timeout 6000ms exceeded."), 6)
    assert "did not answer within 6 s" in err.message and "--timeout" in err.hint
