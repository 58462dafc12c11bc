"""casebook.leads: 12315 complaints and reports in the casebook - import, link to cases, show.

Reading an export is :mod:`links.complaint_exports` (the spreadsheet reader with its header
vocabulary and encodings lives in links); placing and counting is :mod:`geo.leads`; this package
stores the result (:mod:`casebook.leads.lead_store`), ties leads to cases and chains
(:mod:`casebook.leads.lead_links`) and presents them (:mod:`casebook.leads.lead_words`).
"""
