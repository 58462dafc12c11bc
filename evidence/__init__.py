"""evidence: what can be held as evidence.

Electronic data (hashing with SHA-256 and SM3, sealed manifests, the custody log, exports that
independent tools re-check) and seized product labels (OCR, field extraction, screening with
legal basis, lookalike brands).  A library: it returns data and knows nothing of notebooks or
the command line.
"""
