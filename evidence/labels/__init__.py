"""Label photos: OCR, fields, screening, and lookalike marks."""
