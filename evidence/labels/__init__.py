"""Label photos: OCR, fields, screening, lookalike marks, and scores of reading against a truth."""
