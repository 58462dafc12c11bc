"""What the server answered, as ``response.json`` records it: redirect chain, headers, address, TLS.

Each hop of the redirect chain keeps its status, its headers in the order and spelling the server
sent them (duplicates such as ``Set-Cookie`` included), and the address it came from.  For https
the certificate the browser was shown is kept whole (PEM, leaf first) and its subject and issuer
are spelled out in full (RFC 4514) with the `cryptography` package: Playwright only gives their
common names.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from urllib.parse import urlsplit

from evidence.web.page_guard import short

__all__ = ["certificate_details", "hop_record", "origin_of", "page_response", "response_record"]

RESPONSE_FORMAT = "casebook-web-response/1"


def origin_of(url: str) -> str:
    """The origin of a URL, the key Chromium files the certificates it was shown under.

    Parameters
    ----------
    url : str

    Returns
    -------
    str
        ``scheme://host[:port]`` (any user name dropped).
    """
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def _epoch_utc(seconds) -> str | None:
    try:
        return datetime.fromtimestamp(float(seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def certificate_details(chain_b64: list[str]) -> dict:
    """Subject, issuer, validity, serial, fingerprint and names of the leaf; the chain as PEM.

    Parameters
    ----------
    chain_b64 : list of str
        DER certificates in base64, leaf first (what DevTools ``Network.getCertificate`` gives).

    Returns
    -------
    dict
        ``{"subject", "issuer", "serial_hex", "not_before_utc", "not_after_utc", "sha256_fingerprint",
        "subject_alt_names", "chain_pem"}``; ``{"error": ...}`` for a certificate that cannot be parsed
        (it is kept as PEM all the same).
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    ders = []
    for item in chain_b64:
        try:
            ders.append(base64.b64decode(item, validate=True))
        except (binascii.Error, ValueError):
            continue
    pems = []
    for der in ders:
        body = base64.encodebytes(der).decode("ascii").replace("\n", "")
        lines = [body[i:i + 64] for i in range(0, len(body), 64)]
        pems.append("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n")
    out: dict = {"chain_pem": pems}
    if not ders:
        return {**out, "error": "the browser gave no certificate"}
    try:
        leaf = x509.load_der_x509_certificate(ders[0])
    except ValueError as err:
        return {**out, "error": f"the certificate cannot be parsed: {err}"}
    try:
        names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        alt = [str(name.value) for name in names]
    except x509.ExtensionNotFound:
        alt = []
    out.update({
        "subject": leaf.subject.rfc4514_string(),
        "issuer": leaf.issuer.rfc4514_string(),
        "serial_hex": format(leaf.serial_number, "x"),
        "not_before_utc": leaf.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "not_after_utc": leaf.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sha256_fingerprint": leaf.fingerprint(hashes.SHA256()).hex(),
        "subject_alt_names": alt,
    })
    return out


def hop_record(url: str, method: str, status: int, status_text: str, headers: list[dict],
               server: dict | None, security: dict | None) -> dict:
    """One request-response pair of the redirect chain.

    Parameters
    ----------
    url, method : str
        The request.
    status, status_text, headers
        The response; ``headers`` as Playwright's ``headers_array()`` gives them (order and
        duplicates kept).
    server, security : dict or None
        Playwright's ``server_addr()`` and ``security_details()``.

    Returns
    -------
    dict
        ``{"url", "method", "status", "status_text", "headers": [[name, value], ...], "server", "tls"}``.
    """
    tls = None
    if security:
        tls = {"protocol": security.get("protocol"), "subject_cn": security.get("subjectName"),
               "issuer_cn": security.get("issuer"), "valid_from_utc": _epoch_utc(security.get("validFrom")),
               "valid_to_utc": _epoch_utc(security.get("validTo"))}
    return {"url": url, "method": method, "status": status, "status_text": status_text,
            "headers": [[item["name"], item["value"]] for item in headers],
            "server": {"ip": server.get("ipAddress"), "port": server.get("port")} if server else None,
            "tls": tls}


def response_record(requested_url: str, chain: list[dict], certificates: dict[str, dict],
                    navigations: list[str]) -> dict:
    """The whole ``response.json`` document.

    Parameters
    ----------
    requested_url : str
        The address the capture was asked for.
    chain : list of dict
        :func:`hop_record` items, first request first, the page's own response last.
    certificates : dict
        Origin -> :func:`certificate_details` for each https origin of the chain.
    navigations : list of str
        Main-frame documents the page moved to by itself after the first one (scripts, meta refresh);
        the chain is that of the last.

    Returns
    -------
    dict
        ``{"format", "requested_url", "final_url", "status", "server", "tls", "chain", "certificates",
        "client_navigations"}``.
    """
    final = chain[-1] if chain else {}
    tls = None
    if final.get("tls") is not None:
        cert = certificates.get(origin_of(final["url"]), {})
        tls = {**final["tls"], "subject": cert.get("subject"), "issuer": cert.get("issuer"),
               "sha256_fingerprint": cert.get("sha256_fingerprint")}
    return {"format": RESPONSE_FORMAT, "requested_url": requested_url, "final_url": final.get("url"),
            "status": final.get("status"), "server": final.get("server"), "tls": tls, "chain": chain,
            "certificates": certificates, "client_navigations": navigations}


async def page_response(page, cdp, watch, url: str) -> dict:
    """The response record of a captured page from what Playwright saw; certificates through ``cdp`` when given."""
    final = next((r for r in reversed(watch.main_responses) if not 300 <= r.status < 400), None)
    if final is None and watch.main_responses:
        final = watch.main_responses[-1]
    requests = []
    request = final.request if final is not None else None
    while request is not None:
        requests.append(request)
        request = request.redirected_from
    chain = []
    for request in reversed(requests):
        response = await request.response()
        if response is None:
            continue
        chain.append(hop_record(request.url, request.method, response.status, response.status_text,
                                await response.headers_array(), await response.server_addr(),
                                await response.security_details()))
    certificates = {}
    https = sorted({origin_of(hop["url"]) for hop in chain if hop["tls"] is not None})
    if https and cdp is not None:
        for origin in https:
            try:
                names = (await cdp.send("Network.getCertificate", {"origin": origin})).get("tableNames", [])
            except Exception as err:  # the browser no longer holds it: say so, keep Playwright's facts
                certificates[origin] = {"error": f"certificate not available: {short(err, 200)}"}
                continue
            certificates[origin] = certificate_details(names)
    later = [nav for nav in watch.navigations[1:] if nav != url]
    return response_record(url, chain, certificates, later)
