"""Integrity of evidence: hashing, sealed manifests, custody, verification, exports."""
