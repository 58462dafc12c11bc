"""Trusted timestamps (RFC 3161) for a manifest's Merkle root, via ``rfc3161-client``.

The timestamped message is the Merkle root written as 64 lowercase hex characters (ASCII), so
anyone can re-check the token with OpenSSL alone::

    printf %s MERKLE_ROOT > root.txt
    openssl ts -verify -data root.txt -in manifest.json.tsr -CAfile tsa-ca.pem -untrusted tsa.pem

The token is stored beside the manifest as ``<manifest>.tsr`` (the DER TimeStampResp).  A chain
of custody cannot prove from inside when it was written; a token from an independent TSA can.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from evidence.integrity.manifest_model import Manifest
from safeio.atomic import write_bytes_atomic
from safeio.errors import InputError, IntegrityError, MissingDependencyError
from safeio.limits import read_capped

TSR_SUFFIX = ".tsr"
MAX_TOKEN_BYTES = 1 << 20  # a token with its certificate chain is a few KiB

__all__ = ["TSR_SUFFIX", "TimestampInfo", "manifest_message", "request_timestamp", "timestamp_manifest",
           "token_imprint", "token_path", "verify_manifest_timestamp", "verify_timestamp"]


@dataclass
class TimestampInfo:
    path: str | None
    message: str
    gen_time_utc: str
    serial_number: int
    policy: str
    tsa: str | None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _client():
    try:
        import rfc3161_client
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise MissingDependencyError("the Python package rfc3161-client is not installed",
                                     hint="pip install rfc3161-client") from err
    return rfc3161_client


def token_path(manifest_path: str | os.PathLike) -> Path:
    path = Path(manifest_path)
    return path.with_name(path.name + TSR_SUFFIX)


def manifest_message(manifest: Manifest) -> bytes:
    return manifest.merkle_root.encode("ascii")


def _info(response, message: bytes, path: str | None) -> TimestampInfo:
    tst = response.tst_info
    try:
        tsa = str(tst.name.value)
    except Exception:  # the TSA name is optional in RFC 3161
        tsa = None
    return TimestampInfo(path=path, message=message.decode("ascii", "replace"),
                         gen_time_utc=tst.gen_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                         serial_number=int(tst.serial_number), policy=tst.policy.dotted_string, tsa=tsa)


def request_timestamp(message: bytes, tsa_url: str, *, timeout: float = 30.0) -> bytes:
    """Ask the TSA at ``tsa_url`` to timestamp ``message``; return the DER response, checked to match."""
    rfc = _client()
    request = rfc.TimestampRequestBuilder().data(message).hash_algorithm(rfc.HashAlgorithm.SHA256).build()
    http = urllib.request.Request(tsa_url, data=request.as_bytes(), method="POST",
                                  headers={"Content-Type": "application/timestamp-query"})
    try:
        with urllib.request.urlopen(http, timeout=timeout) as reply:  # the officer's configured TSA
            body = reply.read()
    except (urllib.error.URLError, OSError) as err:
        raise InputError(f"the timestamp authority did not answer: {err}", field="tsa",
                         hint="Check the TSA address and the network, or hash without --tsa.") from err
    try:
        response = rfc.decode_timestamp_response(body)
    except Exception as err:
        raise IntegrityError(f"the timestamp authority's answer is not an RFC 3161 response: {err}",
                             field="tsa") from err
    if response.status not in (0, 1):
        raise IntegrityError(f"the timestamp authority refused the request (status {response.status}: "
                             f"{'; '.join(response.status_string)})", field="tsa")
    import hashlib

    if response.tst_info.message_imprint.message != hashlib.sha256(message).digest():
        raise IntegrityError("the timestamp token is for another message", field="tsa")
    if response.tst_info.nonce != request.nonce:
        raise IntegrityError("the timestamp token's nonce does not match the request (a replayed answer?)",
                             field="tsa")
    return body


def timestamp_manifest(manifest: Manifest, tsa_url: str, *, out: str | os.PathLike | None = None,
                       timeout: float = 30.0) -> TimestampInfo:
    """Timestamp the manifest's Merkle root and store the token beside the manifest (or at ``out``)."""
    if out is None and manifest.path is None:
        raise InputError("write the manifest before timestamping it, or give where to store the token")
    target = Path(out) if out is not None else token_path(manifest.path)
    message = manifest_message(manifest)
    body = request_timestamp(message, tsa_url, timeout=timeout)
    write_bytes_atomic(target, body)
    return _info(_client().decode_timestamp_response(body), message, str(target))


def token_imprint(token: bytes | str | os.PathLike) -> bytes:
    """The SHA-256 digest a token was issued for (its message imprint), without checking its signer.

    Raises
    ------
    InputError
        The token file is missing, oversized or a link.
    ValueError
        The bytes are not an RFC 3161 response.
    """
    data = token if isinstance(token, bytes) else read_capped(token, MAX_TOKEN_BYTES, what="timestamp token")
    return _client().decode_timestamp_response(data).tst_info.message_imprint.message


def _load_certs(paths: list[str | os.PathLike]) -> list:
    from cryptography import x509

    certs = []
    for path in paths:
        data = read_capped(path, MAX_TOKEN_BYTES, what="certificate")
        try:
            certs.extend(x509.load_pem_x509_certificates(data))
        except ValueError:
            certs.append(x509.load_der_x509_certificate(data))
    return certs


def verify_timestamp(token: bytes | str | os.PathLike, message: bytes, *, roots: list[str | os.PathLike],
                     tsa_cert: str | os.PathLike | None = None) -> TimestampInfo:
    """Check a stored token against ``message`` and trusted ``roots``; IntegrityError if it fails."""
    rfc = _client()
    path = None
    if not isinstance(token, bytes):
        path = str(token)
        token = read_capped(token, MAX_TOKEN_BYTES, what="timestamp token")
    try:
        response = rfc.decode_timestamp_response(token)
    except Exception as err:
        raise IntegrityError(f"the timestamp token is damaged: {err}", path=path) from err
    builder = rfc.VerifierBuilder()
    for cert in _load_certs(roots):
        builder = builder.add_root_certificate(cert)
    if tsa_cert is not None:
        builder = builder.tsa_certificate(_load_certs([tsa_cert])[0])
    try:
        builder.build().verify_message(response, message)
    except (rfc.VerificationError, ValueError) as err:
        raise IntegrityError(f"the timestamp token does not verify: {err}", path=path,
                             hint="The token does not belong to this manifest or to this TSA.") from err
    return _info(response, message, path)


def verify_manifest_timestamp(manifest: Manifest, *, roots: list[str | os.PathLike],
                              token: str | os.PathLike | None = None,
                              tsa_cert: str | os.PathLike | None = None) -> TimestampInfo:
    if token is None:
        if manifest.path is None:
            raise InputError("no token given and the manifest has no path")
        token = token_path(manifest.path)
    return verify_timestamp(token, manifest_message(manifest), roots=roots, tsa_cert=tsa_cert)
