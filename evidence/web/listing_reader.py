"""Read a captured listing: title, price, seller and shop, the business licence the shop shows, CCC numbers, text.

The page is read from what the capture sealed (``page.html``: the DOM after the page's scripts
ran), never from the network.  Every value keeps where it stood: the element's path (readable,
``body > div#detail > h1.title``, and an XPath by position, ``/*[1]/*[2]/*[1]/*[1]``) and, once
:func:`locate` has run, its region on the full-page screenshot (x, y, width, height in screenshot
pixels).  Regions come from element boxes recorded at capture time when ``capture.json`` holds
them, else from rendering the sealed DOM again offline in Chromium: scripts off, every request
answered from the sealed ``page.mhtml`` or refused, the capture's viewport, so the layout is the
one the screenshot shows.

The parser is the standard library's ``html.parser``: ``page.html`` is Chromium's own
serialisation (every element closed, ``tbody`` in place), so the tree it gives is the browser's;
it is walked without recursion, so a page nested 100,000 deep is just a long path.
What the e-commerce law asks a shop to show (电子商务法 第十五条: 营业执照 information on its page)
is read from the key words shops use (企业名称, 统一社会信用代码, 住所 ...).
"""

from __future__ import annotations

import bisect
import email
import email.policy
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from evidence.certification.cert_numbers import find_cert_numbers
from safeio.limits import loads_json, read_capped

__all__ = ["Listing", "ListingValue", "TextNode", "locate", "read_listing", "text_nodes"]

MAX_HTML_BYTES = 64 << 20
MAX_MHTML_BYTES = 256 << 20
MAX_NODES = 200_000
MAX_PATH_DEPTH = 512  # deeper elements keep the path of their 512th ancestor
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
SKIP = frozenset("script style noscript template head svg canvas iframe object".split())
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

KEYS: dict[str, tuple[str, ...]] = {
    "ccc": ("3C证书编号", "CCC证书编号", "3C认证证书编号", "CCC认证证书编号", "认证证书编号", "3C证书号", "CCC证书号",
            "证书编号"),
    "maker": ("生产企业", "生产厂家", "生产厂商", "生产商", "制造商", "生产者", "厂家名称", "厂名", "厂家"),
    "model": ("产品型号", "规格型号", "3C规格型号", "型号"),
    "brand": ("品牌名称", "品牌"),
    "seller": ("店铺名称", "店铺", "卖家", "商家名称", "商家", "掌柜"),
    "company": ("企业名称", "经营者名称", "公司名称", "营业执照名称", "名称"),
    "credit_code": ("统一社会信用代码", "社会信用代码", "营业执照注册号", "注册号"),
    "address": ("住所", "经营场所", "注册地址", "企业地址", "经营地址"),
    "legal_rep": ("法定代表人", "经营者", "负责人"),
    "scope": ("经营范围",),
    "price": ("价格", "售价", "促销价", "到手价"),
}
LICENCE_FIELDS = ("company", "credit_code", "address", "legal_rep", "scope")
_KEY_ORDER = sorted(((w, role) for role, ws in KEYS.items() for w in ws), key=lambda x: -len(x[0]))
_KEY_RE = re.compile(r"^\s*(" + "|".join(re.escape(w) for w, _ in _KEY_ORDER) + r")\s*(?:[:：]\s*(.*)|$)", re.S)
_KEY_ROLE = dict(_KEY_ORDER)
_PRICE = re.compile(r"[¥￥]\s*([0-9]+(?:\.[0-9]{1,2})?)|([0-9]+(?:\.[0-9]{1,2})?)\s*元")
_USCC = re.compile(r"(?<![0-9A-Z])([0-9A-HJ-NPQRTUWXY]{18})(?![0-9A-Z])")
_TITLE_HINT = re.compile(r"(?:^|[-_\s])(?:item-?title|main-?title|product-?title|goods-?title|sku-?name|"
                         r"product-?name|goods-?name|title)(?:$|[-_\s])", re.IGNORECASE)
_PRICE_HINT = re.compile(r"price", re.IGNORECASE)
_SHOP_HINT = re.compile(r"shop|store|seller", re.IGNORECASE)
_LICENCE_LINK = re.compile(r"营业执照|证照信息|亮照|工商信息|资质")


@dataclass
class TextNode:
    """A run of visible text and the element it stands in."""

    text: str
    path: str  # readable: body > div#detail > h1.title
    xpath: str  # by position, for the browser: /*[1]/*[2]/*[1]
    tag: str
    hints: str  # the element's (and its parent's) id, class and itemprop
    offset: int = 0  # where it starts in Listing.text
    region: list[int] | None = None  # x, y, width, height on the screenshot, once located


@dataclass
class ListingValue:
    """One value read from the page, with the words as shown and where they stand."""

    value: str
    shown: str
    path: str
    xpath: str
    region: list[int] | None = None  # x, y, width, height on the screenshot

    def to_dict(self) -> dict:
        return {"value": self.value, "shown": self.shown, "element": self.path, "xpath": self.xpath,
                "region": self.region}


@dataclass
class Listing:
    """What a captured listing shows."""

    title: ListingValue | None = None
    price: ListingValue | None = None
    seller: ListingValue | None = None
    maker: ListingValue | None = None
    model: ListingValue | None = None
    brand: ListingValue | None = None
    licence: dict[str, ListingValue] = field(default_factory=dict)  # company, credit_code, address ...
    licence_link: ListingValue | None = None
    ccc: list[ListingValue] = field(default_factory=list)
    nodes: list[TextNode] = field(default_factory=list)
    text: str = ""
    regions: str = "none"  # recorded | rendered | none
    _starts: list[int] | None = field(default=None, repr=False)

    @property
    def licence_shown(self) -> bool:
        return bool(self.licence or self.licence_link)

    def node_at(self, offset: int) -> TextNode | None:
        """The text node holding character ``offset`` of :attr:`text`."""
        index = bisect.bisect_right([node.offset for node in self.nodes] if self._starts is None else self._starts,
                                    offset) - 1
        return self.nodes[index] if index >= 0 else None

    def value_at(self, start: int, end: int) -> ListingValue | None:
        """Where the words at ``text[start:end]`` stand (the node holding their start)."""
        node = self.node_at(start)
        if node is None:
            return None
        return ListingValue(self.text[start:end], self.text[start:end], node.path, node.xpath, node.region)

    def to_dict(self) -> dict:
        one = {name: getattr(self, name).to_dict() if getattr(self, name) else None
               for name in ("title", "price", "seller", "maker", "model", "brand", "licence_link")}
        return {**one, "licence": {k: v.to_dict() for k, v in self.licence.items()},
                "licence_shown": self.licence_shown, "ccc": [v.to_dict() for v in self.ccc], "regions": self.regions}


class _Walker(HTMLParser):
    """Visible text runs with their element paths; an explicit stack, no recursion."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, str, int, bool, str]] = []  # tag, readable, xpath, children, hidden, hints
        self.root_children = 0
        self.nodes: list[TextNode] = []
        self.title = ""
        self.meta: dict[str, str] = {}
        self._in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        values = {k: (v or "") for k, v in attrs}
        if tag == "meta" and values.get("property", values.get("name", "")).lower() in ("og:title", "og:price:amount"):
            self.meta[values.get("property", values.get("name", "")).lower()] = values.get("content", "")
        if tag == "title":
            self._in_title = True
        if tag in VOID:
            self._count_child()
            return
        index = self._count_child()
        parent = self.stack[-1] if self.stack else None
        hidden = bool(parent and parent[4]) or "hidden" in values or bool(_HIDDEN_STYLE.search(values.get("style", "")))
        hidden = hidden or tag in SKIP or bool(parent and parent[0] in SKIP)
        name = tag + (f"#{values['id']}" if values.get("id") else "".join(
            f".{c}" for c in values.get("class", "").split()[:2]) + f":nth-child({index})")
        readable = f"{parent[1]} > {name}" if parent else name
        xpath = f"{parent[2] if parent else ''}/*[{index}]"
        hints = " ".join(v for k, v in values.items() if k in ("id", "class", "itemprop"))
        if len(self.stack) >= MAX_PATH_DEPTH:
            readable, xpath = self.stack[-1][1], self.stack[-1][2]
        self.stack.append((tag, readable, xpath, 0, hidden, hints))

    def _count_child(self) -> int:
        if self.stack:
            tag, readable, xpath, children, hidden, hints = self.stack[-1]
            self.stack[-1] = (tag, readable, xpath, children + 1, hidden, hints)
            return children + 1
        self.root_children += 1
        return self.root_children

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        for depth in range(len(self.stack) - 1, max(-1, len(self.stack) - 64), -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if not self.stack or self.stack[-1][4] or len(self.nodes) >= MAX_NODES:
            return
        text = " ".join(data.split())
        if not text:
            return
        tag, readable, xpath, _, _, hints = self.stack[-1]
        parent_hints = self.stack[-2][5] if len(self.stack) > 1 else ""
        self.nodes.append(TextNode(text, readable, xpath, tag, f"{hints} {parent_hints}".strip()))


def text_nodes(html: str) -> tuple[list[TextNode], str, dict]:
    """The visible text runs of a page (with their paths), its <title>, and its og: meta values."""
    walker = _Walker()
    walker.feed(html)
    walker.close()
    return walker.nodes, " ".join(walker.title.split()), walker.meta


def _value(node: TextNode, value: str, shown: str | None = None) -> ListingValue:
    return ListingValue(value.strip(), shown or node.text, node.path, node.xpath)


def read_listing(folder: str | Path) -> Listing:
    """Read the listing a capture sealed in ``folder`` (``page.html``; regions are left to :func:`locate`).

    Parameters
    ----------
    folder : a capture folder (or a ``page.html`` file).

    Returns
    -------
    Listing

    Raises
    ------
    InputError
        ``page.html`` is missing, a link, or larger than 64 MiB.
    """
    source = Path(folder)
    page = source / "page.html" if source.is_dir() else source
    data = read_capped(page, MAX_HTML_BYTES, what="captured page")
    return read_listing_html(data.decode("utf-8-sig", errors="replace"))


def read_listing_html(html: str) -> Listing:
    """:func:`read_listing` on the HTML text itself."""
    nodes, page_title, meta = text_nodes(html)
    listing = Listing(nodes=nodes)
    parts, offset = [], 0
    for node in nodes:
        node.offset = offset
        parts.append(node.text)
        offset += len(node.text) + 1
    listing.text = "\n".join(parts)
    listing._starts = [node.offset for node in nodes]
    for index, node in enumerate(nodes):
        match = _KEY_RE.match(node.text)
        if match:
            role = _KEY_ROLE[match.group(1)]
            value, holder = (match.group(2) or "").strip(), node
            if not value and index + 1 < len(nodes) and not _KEY_RE.match(nodes[index + 1].text):
                holder = nodes[index + 1]
                value = holder.text
            if value:
                _keep(listing, role, holder, value)
        if _LICENCE_LINK.search(node.text) and node.tag == "a" and listing.licence_link is None:
            listing.licence_link = _value(node, node.text)
    if listing.title is None:
        listing.title = _title(nodes, page_title, meta)
    if listing.price is None:
        listing.price = _price(nodes)
    if listing.seller is None:
        node = next((n for n in nodes if _SHOP_HINT.search(n.hints) and len(n.text) <= 60), None)
        if node is not None:
            listing.seller = _value(node, re.sub(r"^[^:：]{0,6}[:：]", "", node.text))
    seen = {v.value for v in listing.ccc}
    for number, (start, end) in find_cert_numbers(listing.text):
        value = listing.value_at(start, end)
        if value is not None and number not in seen and re.sub(r"\D", "", number) not in seen:
            seen.add(number)
            value.shown = listing.node_at(start).text
            listing.ccc.append(value)
    return listing


def _keep(listing: Listing, role: str, node: TextNode, value: str) -> None:
    if role == "ccc":
        for number, _ in find_cert_numbers("证书编号 " + value) or [(value, None)]:
            listing.ccc.append(_value(node, number, node.text))
        return
    if role == "price":
        found = _PRICE.search(value) or re.search(r"([0-9]+(?:\.[0-9]{1,2})?)", value)
        if found and listing.price is None:
            listing.price = _value(node, next(g for g in found.groups() if g))
        return
    if role in LICENCE_FIELDS:
        if role == "credit_code":
            found = _USCC.search(value.upper())
            value = found.group(1) if found else value
        if role == "legal_rep" and "名称" in value:
            return
        listing.licence.setdefault(role, _value(node, value))
        return
    if getattr(listing, role) is None:
        setattr(listing, role, _value(node, value[:200]))


def _title(nodes: list[TextNode], page_title: str, meta: dict) -> ListingValue | None:
    for test in (lambda n: "itemprop" in n.hints and "name" in n.hints.split(),
                 lambda n: bool(_TITLE_HINT.search(n.hints)) and n.tag not in ("a", "span"),
                 lambda n: n.tag == "h1"):
        node = next((n for n in nodes if test(n) and 2 <= len(n.text) <= 200), None)
        if node is not None:
            return _value(node, node.text)
    text = meta.get("og:title") or page_title
    return ListingValue(text, text, "head > title", "/*[1]/*[1]") if text else None


def _price(nodes: list[TextNode]) -> ListingValue | None:
    for test in (lambda n: _PRICE_HINT.search(n.hints), lambda n: True):
        for node in nodes:
            if not test(node):
                continue
            found = _PRICE.search(node.text) or (re.search(r"^\s*([0-9]+(?:\.[0-9]{1,2})?)\s*$", node.text)
                                                 if _PRICE_HINT.search(node.hints) else None)
            if found:
                return _value(node, next(g for g in found.groups() if g))
    return None


# -- regions on the screenshot ---------------------------------------------------------------------

_REFRESH = re.compile(rb"<meta[^>]+http-equiv\s*=\s*[\"']?refresh[^>]*>", re.IGNORECASE)
_BOX_JS = """(paths) => paths.map((path) => {
  const node = document.evaluate(path, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
  if (!node || !node.getBoundingClientRect) return null;
  const r = node.getBoundingClientRect();
  return [Math.round(r.left + window.scrollX), Math.round(r.top + window.scrollY), Math.round(r.width),
          Math.round(r.height)];
})"""


def _sealed_resources(folder: Path) -> dict[str, tuple[str, bytes]]:
    """URL -> (content type, bytes) of every part of the sealed ``page.mhtml`` (none if it is missing)."""
    path = folder / "page.mhtml"
    if not path.is_file():
        return {}
    message = email.message_from_bytes(read_capped(path, MAX_MHTML_BYTES, what="captured web archive"),
                                       policy=email.policy.compat32)
    parts = {}
    for part in message.walk():
        location = part.get("Content-Location")
        if location and not part.is_multipart():
            parts[location] = (part.get_content_type(), part.get_payload(decode=True) or b"")
    return parts


def locate(listing: Listing, folder: str | Path, *, browser=None) -> Listing:
    """Give each value of ``listing`` its region on the capture's screenshot.

    Parameters
    ----------
    listing : read from ``folder`` by :func:`read_listing`.
    folder : the capture folder (``page.html``, ``page.mhtml``, ``capture.json``).
    browser : a Playwright (sync) Chromium to render in; one is started if not given.

    Returns
    -------
    Listing
        The same listing, its values' ``region`` set and ``regions`` saying how (``recorded`` or
        ``rendered``).  Values whose element cannot be found keep ``None``.
    """
    source = Path(folder)
    record = loads_json(read_capped(source / "capture.json", 16 << 20, what="capture record"), where=source)
    values = _all_values(listing)
    recorded = record.get("element_boxes") if isinstance(record, dict) else None
    if isinstance(recorded, dict):
        for value in values:
            box = recorded.get(value.xpath)
            value.region = list(box) if isinstance(box, list) and len(box) == 4 else None
        listing.regions = "recorded"
        return listing
    xpaths = sorted({v.xpath for v in values} | {n.xpath for n in listing.nodes})
    boxes = _render_boxes(source, record, xpaths, browser)
    for value in values:
        value.region = boxes.get(value.xpath)
    for node in listing.nodes:
        node.region = boxes.get(node.xpath)
    listing.regions = "rendered"
    return listing


def _all_values(listing: Listing) -> list[ListingValue]:
    out = [v for v in (listing.title, listing.price, listing.seller, listing.maker, listing.model, listing.brand,
                       listing.licence_link) if v is not None]
    return out + list(listing.licence.values()) + list(listing.ccc)


def _render_boxes(folder: Path, record: dict, xpaths: list[str], browser) -> dict[str, list[int]]:
    from evidence.web.chromium import CHROMIUM_ARGS, chromium_path, sync_playwright

    if browser is None:
        with sync_playwright() as pw:
            own = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
            try:
                return _render_boxes(folder, record, xpaths, own)
            finally:
                own.close()
    html = read_capped(folder / "page.html", MAX_HTML_BYTES, what="captured page")
    html = _REFRESH.sub(b"", html)  # a meta refresh would move the re-rendering off the sealed page
    resources = _sealed_resources(folder)
    url = str(record.get("final_url") or record.get("url") or "http://capture.invalid/").split("#", 1)[0]
    viewport = record.get("viewport") or {}
    context = browser.new_context(java_script_enabled=False, service_workers="block", device_scale_factor=1,
                                  viewport={"width": int(viewport.get("width") or 1366),
                                            "height": int(viewport.get("height") or 768)})
    try:
        def answer(route) -> None:
            wanted = route.request.url
            if wanted == url:
                route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
            elif wanted in resources:
                kind, body = resources[wanted]
                route.fulfill(status=200, content_type=kind, body=body)
            else:
                route.abort()

        context.route("**/*", answer)
        page = context.new_page()
        page.goto(url, wait_until="load", timeout=60_000)
        found = page.evaluate(_BOX_JS, xpaths)
    finally:
        context.close()
    return {path: box for path, box in zip(xpaths, found, strict=True) if box and box[2] > 0 and box[3] > 0}
