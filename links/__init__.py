"""links: cross-case link analysis for counterfeit supply chains (全链条), offline.

Reads what case records, label readings, purchase ledgers, chat logs and order exports say
(phones, WeChat and QQ ids, credit codes, licence numbers, accounts, company names, addresses),
resolves the mentions into entities with their sources, weighs each entity by its kind and its
rarity, and groups cases tied by strong shared entities into chains, with the counties they span
and the roles (maker -> wholesaler -> retailer) that the documents state.

A library: it may use ``evidence``, ``geo`` and ``safeio``, returns data, and knows nothing of
case folders on disk, notebooks or the command line.  Entry point: :func:`link_mentions`; the
readers are :func:`read_document` (a ledger, order export or chat log), :func:`case_mentions`
and :func:`label_mentions`; :func:`chain_page` draws the chains as an offline HTML page, in the words it is handed.
"""

from links.analysis import LinkResult, link_mentions
from links.documents import DocumentReading, is_record_file, read_document
from links.entities import KINDS, CaseRecord, Entity, Mention, Source
from links.graph import LINK_THRESHOLD, Chain, rarity
from links.records import case_mentions, label_mentions

__all__ = [
    "KINDS", "LINK_THRESHOLD", "CaseRecord", "Chain", "DocumentReading", "Entity", "LinkResult", "Mention", "Source",
    "case_mentions", "is_record_file", "label_mentions", "link_mentions", "rarity", "read_document",
]
