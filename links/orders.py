"""Order exports of online shops (淘宝, 拼多多, 微店 ...) -> payment accounts, buyers, receiving regions.

A payment account shared by two cases ties them as firmly as a phone.  Receiving regions say
where a seller's goods went: they show a chain's reach across counties, and never link on their
own (every shop ships to its own county).
"""

from __future__ import annotations

from links.entities import Mention, Source
from links.extract import (
    CLAIM_TRUST,
    account_mentions,
    name_mention,
    person_mention,
    phone_mentions,
    region_mention,
    wechat_mentions,
)
from links.names import normalise_name
from links.spreadsheets import HeaderMatch, Sheet, Vocabulary, rows_of

__all__ = ["ORDER_COLUMNS", "is_order_header", "order_mentions"]

ORDER_COLUMNS: dict[str, tuple[str, ...]] = {
    "order_no": ("订单号", "订单编号", "订单ID", "订单id", "交易号", "交易单号", "流水号", "子订单编号"),
    "region": ("收货地区", "收货地址", "收件地址", "收货人地址", "收件人地址", "省市区", "所在地区", "收货省市",
               "配送地址"),
    "buyer": ("买家", "买家昵称", "买家会员名", "收货人", "收件人", "客户名称", "客户", "收货人姓名", "买家名称",
              "采购方", "进货方"),
    "buyer_phone": ("收货人电话", "收货人手机", "联系手机", "收件人电话", "收件人手机", "买家电话", "联系电话",
                    "手机号", "手机", "电话"),
    "account": ("支付账号", "付款账号", "支付宝账号", "买家支付宝账号", "付款账户", "支付账户", "银行卡号",
                "付款人账号", "付款方式账号", "支付宝", "收款账号", "收款账户", "收款卡号", "收款人账号"),
    "shop": ("店铺名称", "店铺", "卖家", "商家", "卖家昵称", "商家名称"),
    "wechat": ("微信", "微信号", "买家微信"),
    "goods": ("商品名称", "宝贝标题", "商品标题", "品名", "商品"),
    "time": ("下单时间", "付款时间", "创建时间", "成交时间", "订单创建时间"),
    "amount": ("金额", "实付金额", "订单金额", "买家实付", "实收款"),
}
VOCABULARY = Vocabulary(ORDER_COLUMNS)
_PAYEE_WORDS = ("收款",)


def is_order_header(header: list[HeaderMatch]) -> bool:
    """An order export names its orders, or an account or region, beside at least one more column."""
    roles = {m.role for m in header}
    return bool(roles & {"order_no", "account"}) and len(roles) >= 2


def order_mentions(sheet: Sheet, header_index: int, header: list[HeaderMatch], case: str,
                   file: str) -> tuple[int, list[Mention]]:
    """Mentions of every order row: accounts (payer or payee), buyers, phones, regions, the shop."""
    out: list[Mention] = []
    names = {m.role: m.text for m in header}
    rows = 0
    for row in rows_of(sheet, header_index, header):
        rows += 1
        text = " | ".join(c for c in row.raw if c)

        def src(role: str, row=row, text=text) -> Source:
            return Source(case, file, "orders", row=row.row, field=names[role], text=text)

        cells = row.cells
        if "account" in cells:
            payee = any(word in names["account"] for word in _PAYEE_WORDS)
            out += account_mentions(cells["account"], src("account"), "payee" if payee else "buyer", bare=True)
        if "buyer" in cells:
            key = normalise_name(cells["buyer"])
            if key is not None and (key.trades or key.forms):
                out += name_mention(cells["buyer"], src("buyer"), "buyer", trust=CLAIM_TRUST)
            else:
                out += person_mention(cells["buyer"], src("buyer"), "buyer")
        if "buyer_phone" in cells:
            out += phone_mentions(cells["buyer_phone"], src("buyer_phone"), "buyer")
        if "wechat" in cells:
            out += wechat_mentions(cells["wechat"], src("wechat"), "buyer", bare=True)
        if "shop" in cells:
            out += name_mention(cells["shop"], src("shop"), "seller", trust=CLAIM_TRUST)
        if "region" in cells:
            out += region_mention(cells["region"], src("region"), "buyer")
    return rows, out
