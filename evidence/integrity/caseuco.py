"""A manifest (and its custody log) as a CASE/UCO chain-of-custody graph in JSON-LD.

The graph holds one ``uco-observable:File`` per hashed item (FileFacet: name, path, size, mtime;
ContentDataFacet: each digest as a ``uco-types:Hash``), the manifest itself as a File, the tool,
one ``case-investigation:InvestigativeAction`` for the hashing and one per custody event, and a
``case-investigation:ProvenanceRecord`` grouping the evidence.  Hash method names follow UCO's
vocabulary as plain strings ("SHA256", "MD5"); SM3 is not in it and is declared by the small
extension shipped in ``evidence/data/uco-sm3.ttl`` (pass it to ``case_validate --ontology-graph``).
Identifiers are UUID-5 values derived from the manifest's seal, so re-exporting gives the same graph.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from importlib import resources
from pathlib import Path, PurePosixPath

from evidence.integrity.manifest_model import Entry, Manifest, is_utf8, ns_to_utc_iso

__all__ = ["CONTEXT", "HASH_METHOD", "UCO", "case_graph", "sm3_extension_path"]

UCO = "https://ontology.unifiedcyberontology.org/uco/"
CONTEXT = {
    "kb": "urn:casebook:kb:",
    "case-investigation": "https://ontology.caseontology.org/case/investigation/",
    "uco-action": UCO + "action/",
    "uco-core": UCO + "core/",
    "uco-identity": UCO + "identity/",
    "uco-observable": UCO + "observable/",
    "uco-tool": UCO + "tool/",
    "uco-types": UCO + "types/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
HASH_METHOD = {"sha256": "SHA256", "md5": "MD5", "sm3": "SM3"}
_NAMESPACE = uuid.UUID("6f3c2a1e-7d2b-5c7e-9a54-2f1d0c8b9e41")


def sm3_extension_path() -> Path:
    """The ontology extension that declares SM3 (for ``case_validate --ontology-graph``)."""
    return Path(str(resources.files("evidence") / "data" / "uco-sm3.ttl"))


def _dt(text: str | None) -> dict | None:
    return None if not text else {"@type": "xsd:dateTime", "@value": text}


def _int(value: int) -> dict:
    return {"@type": "xsd:integer", "@value": str(value)}


def _hashes(digests: dict[str, str]) -> list[dict]:
    return [
        {"@id": None, "@type": "uco-types:Hash", "uco-types:hashMethod": HASH_METHOD[name],
         "uco-types:hashValue": {"@type": "xsd:hexBinary", "@value": value.upper()}}
        for name, value in digests.items() if name in HASH_METHOD
    ]


class _Ids:
    def __init__(self, seed: str) -> None:
        self.seed = seed

    def __call__(self, kind: str, key: str | bytes = "") -> str:
        if isinstance(key, bytes):
            key = base64.b64encode(key).decode("ascii")
        return f"kb:{kind}-{uuid.uuid5(_NAMESPACE, f'{self.seed}|{kind}|{key}')}"


def _file_node(ids: _Ids, entry: Entry) -> list[dict]:
    facet = {
        "@id": ids("FileFacet", entry.raw),
        "@type": "uco-observable:FileFacet",
        "uco-observable:fileName": PurePosixPath(entry.path).name,
        "uco-observable:filePath": entry.path,
        "uco-observable:sizeInBytes": _int(entry.size or 0),
    }
    suffix = PurePosixPath(entry.path).suffix.lstrip(".")
    if suffix:
        facet["uco-observable:extension"] = suffix
    modified = ns_to_utc_iso(entry.mtime_ns)
    if modified:
        facet["uco-observable:modifiedTime"] = _dt(modified)
    content = {"@id": ids("ContentDataFacet", entry.raw), "@type": "uco-observable:ContentDataFacet",
               "uco-observable:sizeInBytes": _int(entry.size or 0), "uco-observable:hash": []}
    for index, item in enumerate(_hashes(entry.digests)):
        item["@id"] = ids("Hash", entry.raw + f"|{index}".encode())
        content["uco-observable:hash"].append(item)
    node = {"@id": ids("File", entry.raw), "@type": "uco-observable:File",
            "uco-core:hasFacet": [{"@id": facet["@id"]}, {"@id": content["@id"]}]}
    if not is_utf8(entry.raw):
        node["uco-core:description"] = ("name is not UTF-8; raw bytes (base64): "
                                        + base64.b64encode(entry.raw).decode("ascii"))
    return [node, facet, content]


def case_graph(manifest: Manifest, custody_events: list[dict] | None = None, *, actor: str = "casebook") -> dict:
    """The JSON-LD document (a dict) for ``manifest`` and, if given, the custody events that name it."""
    ids = _Ids(manifest.seal["sha256"])
    graph: list[dict] = []
    tool = {"@id": ids("Tool"), "@type": "uco-tool:Tool", "uco-core:name": "casebook",
            "uco-tool:version": str(manifest.document["tool"]["version"]), "uco-tool:toolType": "evidence hashing"}
    graph.append(tool)
    people: dict[str, str] = {}

    def person(name: str) -> dict:
        if name not in people:
            people[name] = ids("Identity", name)
            graph.append({"@id": people[name], "@type": "uco-identity:Identity", "uco-core:name": name})
        return {"@id": people[name]}

    files = []
    for entry in manifest.entries:
        if entry.has_content:
            nodes = _file_node(ids, entry)
            graph.extend(nodes)
            files.append({"@id": nodes[0]["@id"]})
    manifest_bytes = manifest.to_bytes()
    manifest_entry = Entry(raw=(manifest.path.name if manifest.path else "manifest.json").encode("utf-8"),
                           type="file", size=len(manifest_bytes),
                           digests={name: hashlib.new(name, manifest_bytes).hexdigest() for name in ("sha256", "sm3")})
    manifest_nodes = _file_node(ids, manifest_entry)
    manifest_nodes[0]["uco-core:description"] = (
        f"casebook sealed manifest; Merkle root (RFC 6962, SHA-256) {manifest.merkle_root}")
    graph.extend(manifest_nodes)
    manifest_ref = {"@id": manifest_nodes[0]["@id"]}
    record = {"@id": ids("ProvenanceRecord"), "@type": "case-investigation:ProvenanceRecord",
              "uco-core:object": files or [manifest_ref],
              "uco-core:description": f"evidence sealed in manifest with Merkle root {manifest.merkle_root}"}
    if manifest.case_id:
        record["case-investigation:exhibitNumber"] = str(manifest.case_id)
    graph.append(record)
    hashing = {"@id": ids("InvestigativeAction", "hashing"), "@type": "case-investigation:InvestigativeAction",
               "uco-core:name": "hashed", "uco-core:description": "hash every item and seal the manifest",
               "uco-action:startTime": _dt(manifest.created_utc),
               "uco-action:endTime": _dt(manifest.document.get("finished_utc") or manifest.created_utc),
               "uco-action:instrument": [{"@id": tool["@id"]}], "uco-action:performer": person(actor),
               "uco-action:object": files or [manifest_ref],
               "uco-action:result": [manifest_ref, {"@id": record["@id"]}]}
    graph.append(hashing)
    for event in custody_events or []:
        names_this = any(item.get("merkle_root") == manifest.merkle_root for item in event.get("objects", []))
        action = {"@id": ids("InvestigativeAction", f"custody-{event.get('hash', '')}"),
                  "@type": "case-investigation:InvestigativeAction",
                  "uco-core:name": str(event.get("action", "")),
                  "uco-core:description": (f"custody event {event.get('seq')}: {event.get('note', '')} "
                                           f"(event hash {event.get('hash', '')})").strip(),
                  "uco-action:startTime": _dt(event.get("time_utc")),
                  "uco-action:performer": person(str(event.get("actor") or "unknown")),
                  "uco-action:object": [manifest_ref] if names_this else [{"@id": record["@id"]}]}
        graph.append(action)
    for node in graph:
        for key in [key for key, value in node.items() if value is None]:
            del node[key]
    return {"@context": CONTEXT, "@graph": graph}
