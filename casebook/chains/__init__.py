"""Supply chains across cases in the application: case folders linked, what a dossier shows of them, the chart, links.json and the 协查函 drafts."""
