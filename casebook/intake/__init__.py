"""Opening a case and bringing evidence in: case.yml, seized media, phone photos, the lab notebook."""
