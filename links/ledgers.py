"""Purchase ledgers (进货台账) and supplier papers (索证索票) -> who supplied what, and who made it.

Shops must record, for each purchase, the supplier (供货单位) with its contact and licence, and
the goods with their maker (生产厂家) and batch.  Each shop words its headers its own way; the
synonyms below are the ones seen in county ledgers and in SAMR's model forms, and a header is
recognised exactly, by containing one, or by a close spelling (:mod:`links.spreadsheets`).

A supplier column is a record of a transaction: it links.  A maker column is copied from the
package, a claim like a label's: names and addresses in it only corroborate, identifiers (a
phone, a credit code, an SC number) link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from links.entities import Mention, Source
from links.extract import (
    CLAIM_TRUST,
    PRINTED_TRUST,
    address_mention,
    barcode_mention,
    credit_code_mentions,
    licence_mentions,
    name_mention,
    person_mention,
    phone_mentions,
    qq_mentions,
    wechat_mentions,
)
from links.spreadsheets import HeaderMatch, Sheet, Vocabulary, find_header, read_sheets, rows_of
from safeio.errors import InputError

__all__ = ["LEDGER_COLUMNS", "LedgerReading", "ledger_mentions", "read_ledger"]

LEDGER_COLUMNS: dict[str, tuple[str, ...]] = {
    "supplier": ("供货单位", "供货单位名称", "供货单位全称", "供应商", "供应商名称", "供货商", "供货商名称", "供货方",
                 "供货者", "供货人", "供货者名称", "进货单位", "进货来源", "进货渠道", "购进渠道", "来源", "供方",
                 "销售方", "卖方", "批发商", "上家", "供货企业", "供货主体", "单位名称", "供货单位及联系方式"),
    "supplier_phone": ("联系电话", "电话", "供货商电话", "供应商电话", "供货单位电话", "供货方电话", "供货者电话",
                       "联系方式", "手机", "手机号", "手机号码", "电话号码", "供货人电话", "联系人电话", "供货商联系方式",
                       "供应商联系方式"),
    "supplier_address": ("地址", "供货单位地址", "供应商地址", "供货地址", "供货商地址", "供货者地址", "联系地址",
                         "供货方地址"),
    "supplier_code": ("统一社会信用代码", "信用代码", "社会信用代码", "供货单位信用代码", "供应商信用代码",
                      "营业执照号", "营业执照编号", "营业执照注册号"),
    "supplier_licence": ("许可证号", "经营许可证号", "食品经营许可证", "食品经营许可证号", "许可证编号",
                         "供货单位许可证号"),
    "contact": ("联系人", "业务员", "送货人", "负责人", "供货联系人"),
    "wechat": ("微信", "微信号", "供货商微信", "联系人微信"),
    "qq": ("QQ", "QQ号", "qq"),
    "maker": ("生产厂家", "生产企业", "生产商", "厂家", "生产单位", "制造商", "生产者", "厂商", "生产厂商",
              "生产企业名称", "生产者名称", "厂名"),
    "maker_phone": ("厂家电话", "生产厂家电话", "厂家联系电话", "生产企业电话", "厂家联系方式"),
    "maker_address": ("厂家地址", "生产地址", "生产厂家地址", "生产企业地址", "厂址", "产地"),
    "maker_licence": ("生产许可证号", "生产许可证编号", "生产许可证", "SC编号", "SC号", "许可证SC"),
    "goods": ("商品名称", "品名", "货品名称", "产品名称", "名称", "商品", "货物名称", "食品名称"),
    "date": ("进货日期", "日期", "购进日期", "进货时间", "购货日期", "入库日期", "验收日期"),
    "quantity": ("数量", "进货数量", "购进数量"),
    "barcode": ("条码", "商品条码", "条形码"),
    "batch": ("批号", "生产批号", "生产日期", "批次"),
}
# "<party><attribute>" headers not listed above: 供方电话, 供应单位地址, 生产单位名称, 厂方联系方式 ...
PARTIES = {
    "supplier": ("供货单位", "供应单位", "供货商", "供应商", "供货方", "供应方", "供货者", "供货人", "供方", "卖方",
                 "销售方", "进货单位", "批发商", "上家"),
    "maker": ("生产厂家", "生产企业", "生产单位", "生产商", "生产者", "制造商", "制造单位", "厂家", "厂商", "厂方"),
}
ATTRIBUTES = {
    "name": ("名称", "全称", "单位"), "phone": ("电话", "电话号码", "手机", "手机号", "联系方式", "联系电话"),
    "address": ("地址", "所在地"), "code": ("统一社会信用代码", "信用代码", "营业执照号"),
    "licence": ("许可证号", "许可证编号", "许可证"), "wechat": ("微信", "微信号"), "contact": ("联系人",),
}
COMPOSE = {("supplier", "name"): "supplier", ("supplier", "phone"): "supplier_phone",
           ("supplier", "address"): "supplier_address", ("supplier", "code"): "supplier_code",
           ("supplier", "licence"): "supplier_licence", ("supplier", "wechat"): "wechat",
           ("supplier", "contact"): "contact", ("maker", "name"): "maker", ("maker", "phone"): "maker_phone",
           ("maker", "address"): "maker_address", ("maker", "licence"): "maker_licence"}
VOCABULARY = Vocabulary(LEDGER_COLUMNS, COMPOSE, PARTIES, ATTRIBUTES)
_CELL_BREAK = re.compile(r"[/，,;；|]|(?=\+?\d[\d\s-]{4})|(?=(?:电话|手机|微信|tel|TEL|Tel|VX|vx|wx|WX)[:：]?)")
_PARTY_ROLES = {"supplier", "maker", "supplier_phone", "maker_phone", "supplier_code", "wechat"}


@dataclass
class LedgerReading:
    """What one ledger file gave: its sheets, the headers recognised, rows read and the mentions."""

    path: Path
    encoding: str = ""
    headers: list[HeaderMatch] = field(default_factory=list)
    rows: int = 0
    mentions: list[Mention] = field(default_factory=list)


def ledger_mentions(sheet: Sheet, header_index: int, header: list[HeaderMatch], case: str,
                    file: str) -> tuple[int, list[Mention]]:
    """Mentions of every row under a recognised ledger header; returns (rows read, mentions)."""
    out: list[Mention] = []
    names = {m.role: m.text for m in header}
    sheet_name = sheet.name.split(":", 1)[1] if ":" in sheet.name else ""
    rows = 0
    for row in rows_of(sheet, header_index, header):
        rows += 1
        text = " | ".join(c for c in row.raw if c)
        where = f"{sheet_name}!" if sheet_name else ""

        def src(role: str, row=row, text=text, where=where) -> Source:
            return Source(case, file, "ledger", row=row.row, field=f"{where}{names[role]}", text=text)

        cells = row.cells
        if "supplier" in cells:
            name, rest = split_party_cell(cells["supplier"])
            out += name_mention(name, src("supplier"), "supplier")
            if rest:  # "汇通日化 13839462217" or "汇通日化（微信 ht888）" in one cell
                out += phone_mentions(rest, src("supplier"), "supplier") + wechat_mentions(rest, src("supplier"), "supplier")
        if "supplier_phone" in cells:
            out += _contact_mentions(cells["supplier_phone"], src("supplier_phone"), "supplier")
        if "supplier_address" in cells:
            out += address_mention(cells["supplier_address"], src("supplier_address"), "supplier")
        if "supplier_code" in cells:
            out += credit_code_mentions(cells["supplier_code"], src("supplier_code"), "supplier", bare=True)
        if "supplier_licence" in cells:
            out += licence_mentions(cells["supplier_licence"], src("supplier_licence"), "supplier")
        if "contact" in cells:
            out += person_mention(cells["contact"], src("contact"), "contact")
        if "wechat" in cells:
            out += wechat_mentions(cells["wechat"], src("wechat"), "supplier", bare=True)
        if "qq" in cells:
            out += qq_mentions(cells["qq"], src("qq"), "supplier", bare=True)
        if "maker" in cells:
            out += name_mention(cells["maker"], src("maker"), "maker", trust=CLAIM_TRUST)
        if "maker_phone" in cells:
            out += _contact_mentions(cells["maker_phone"], src("maker_phone"), "maker", PRINTED_TRUST)
        if "maker_address" in cells:
            out += address_mention(cells["maker_address"], src("maker_address"), "maker", trust=CLAIM_TRUST)
        if "maker_licence" in cells:
            out += licence_mentions(cells["maker_licence"], src("maker_licence"), "maker", PRINTED_TRUST)
        if "barcode" in cells:
            out += barcode_mention(cells["barcode"], src("barcode"))
    return rows, out


def _contact_mentions(cell: str, source: Source, role: str, trust: float = 1.0) -> list[Mention]:
    """A contact cell: phones, and a QQ or WeChat id written there with its keyword (``QQ：2853317760``)."""
    return phone_mentions(cell, source, role, trust) + qq_mentions(cell, source, role) + wechat_mentions(cell, source, role)


def split_party_cell(cell: str) -> tuple[str, str]:
    """(name, the rest) of a cell that may add a phone, a WeChat id or an address after the name."""
    parts = _CELL_BREAK.split(cell.strip(), maxsplit=1)
    name = parts[0].strip()
    return name, cell.strip()[len(name):].strip()


def is_ledger_header(header: list[HeaderMatch]) -> bool:
    """A ledger names at least one party column (supplier, maker, their phone or code) and one more column."""
    roles = {m.role for m in header}
    return bool(roles & _PARTY_ROLES) and len(roles) >= 2


def read_ledger(path: str | Path, case: str = "", file: str = "") -> LedgerReading:
    """Read one ledger (CSV in UTF-8 / UTF-8 BOM / GB18030, or Excel) into mentions with their rows.

    Parameters
    ----------
    path : the ledger file.
    case : the case id the mentions belong to.
    file : the file's path as shown in sources (relative to the case folder); default its name.

    Returns
    -------
    LedgerReading
        The headers recognised (and how), the number of rows read and the mentions.

    Raises
    ------
    InputError
        When the file cannot be read or decoded, or no sheet has recognisable ledger headers.
    """
    path = Path(path)
    file = file or path.name
    reading = LedgerReading(path)
    for sheet in read_sheets(path):
        index, header = find_header(sheet, VOCABULARY)
        if index < 0 or not is_ledger_header(header):
            continue
        rows, mentions = ledger_mentions(sheet, index, header, case, file)
        reading.encoding = reading.encoding or sheet.encoding
        reading.headers += header
        reading.rows += rows
        reading.mentions += mentions
    if not reading.headers:
        raise InputError("no ledger headers were recognised (looked for 供货单位, 供应商, 联系电话, 生产厂家 ...)",
                         path=str(path),
                         hint="Give the ledger a header row naming its columns, e.g. 进货日期, 商品名称, 供货单位, "
                              "联系电话, 生产厂家; the row may sit below a title.")
    return reading
