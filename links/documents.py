"""One evidence file -> what kind of record it is (ledger, order export, chat log) and its mentions.

Tables are told apart by their headers, not their file names: a shop's "账本.xlsx" may be a
purchase ledger and "导出.csv" an order export.  Files that are not text records (photos, disk
images, web captures) are not read here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from links import ledgers, orders
from links.chats import read_chat
from links.entities import Mention
from links.spreadsheets import TABLE_SUFFIXES, HeaderMatch, find_header, read_sheets
from safeio.errors import InputError

__all__ = ["CHAT_SUFFIXES", "DocumentReading", "is_record_file", "read_document"]

CHAT_SUFFIXES = (".txt", ".log", ".text")
RECORD_SUFFIXES = (*TABLE_SUFFIXES, *CHAT_SUFFIXES)


@dataclass
class DocumentReading:
    """A record file read: its kind (ledger | orders | chat), encoding, rows or lines, headers and mentions."""

    file: str
    kind: str
    encoding: str = ""
    units: int = 0  # rows of a table, lines of a chat log
    headers: list[HeaderMatch] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


def is_record_file(path: Path) -> bool:
    """Whether ``path`` is a file this module reads (tables and plain-text chat logs)."""
    return path.suffix.lower() in RECORD_SUFFIXES


def read_document(path: str | Path, case: str = "", file: str = "") -> DocumentReading | None:
    """Read one evidence file as a ledger, an order export or a chat log; None if it is none of these kinds.

    Parameters
    ----------
    path : the file.
    case : the case id for the mentions' sources.
    file : the path shown in sources (relative to the case folder).

    Returns
    -------
    DocumentReading or None

    Raises
    ------
    InputError
        When the file cannot be read or decoded, or a table has no headers casebook recognises.
    """
    path = Path(path)
    file = file or path.name
    suffix = path.suffix.lower()
    if suffix in CHAT_SUFFIXES:
        chat = read_chat(path, case, file)
        return DocumentReading(file, "chat", chat.encoding, chat.lines, [], chat.mentions)
    if suffix not in TABLE_SUFFIXES:
        return None
    kinds: list[str] = []
    reading = DocumentReading(file, "")
    for sheet in read_sheets(path):
        l_index, l_header = find_header(sheet, ledgers.VOCABULARY)
        o_index, o_header = find_header(sheet, orders.VOCABULARY)
        is_ledger = l_index >= 0 and ledgers.is_ledger_header(l_header)
        is_orders = o_index >= 0 and orders.is_order_header(o_header)
        if is_ledger and (not is_orders or len(l_header) >= len(o_header)):
            units, mentions = ledgers.ledger_mentions(sheet, l_index, l_header, case, file)
            kinds.append("ledger")
            reading.headers += l_header
        elif is_orders:
            units, mentions = orders.order_mentions(sheet, o_index, o_header, case, file)
            kinds.append("orders")
            reading.headers += o_header
        else:
            continue
        reading.encoding = reading.encoding or sheet.encoding
        reading.units += units
        reading.mentions += mentions
    if not kinds:
        raise InputError("no column headers casebook recognises: neither a purchase ledger nor an order export",
                         path=str(path),
                         hint="A ledger needs a header row such as 进货日期, 商品名称, 供货单位, 联系电话, 生产厂家; an order "
                              "export 订单号, 收货地区, 支付账号. Add or correct the header row and run again.")
    reading.kind = "ledger" if "ledger" in kinds else "orders"
    return reading
