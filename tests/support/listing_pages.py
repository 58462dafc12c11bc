"""Listing pages for the patrol tests, served on loopback, and the register export they are checked in.

Each page is built the way shops build theirs (a title, a price, a parameter table, a shop and
licence block, a description), so the reader meets real structure.  The expected findings are
written in the tests, not here.
"""

from __future__ import annotations

import contextlib
import http.server
import threading

REGISTER_CSV = """证书信息查询结果（导出）
证书编号,证书状态,委托人名称,生产者名称,生产企业名称,产品名称,产品型号规格,发证日期,证书到期日期,状态变更日期
2020010201234567,有效,公牛集团股份有限公司,公牛集团股份有限公司,宁波公牛电器有限公司,转换器,GN-B3、GN-B4、GN-B5,2020-03-01,2030-03-01,
2021010201000001,撤销,慈溪市恒远电器厂,慈溪市恒远电器厂,慈溪市恒远电器厂,插座,HY-5,2021-01-05,2031-01-05,2024-05-01
2022010717000001,有效,广东美的生活电器制造有限公司,广东美的生活电器制造有限公司,广东美的生活电器制造有限公司,液体加热器,MK-SH17、MK-SH15,2022-06-01,2032-06-01,
"""

_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title} - {shop}</title>
<style>body{{font-family:sans-serif;margin:20px}} .gallery{{width:400px;height:300px;background:#ddd}}
table td,table th{{border:1px solid #ccc;padding:4px}}</style></head>
<body><div id="J_header"><a href="/">首页</a> <span class="shop-name">{shop}</span></div>
<div id="detail"><div class="gallery"></div>
<h1 class="item-title">{title}</h1>
<div class="price-box">价格 <span class="price">¥{price}</span></div>
<table class="params"><tbody>{params}</tbody></table>
<div class="desc">{desc}</div></div>
<div class="licence-box"><p>企业名称：{company}</p><p>统一社会信用代码：{uscc}</p><p>住所：{address}</p></div>
<script>document.querySelector('.price').dataset.loaded = '1';</script>
</body></html>"""


def _params(**values: str) -> str:
    return "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in values.items())


LISTINGS = {
    "/socket-none": _PAGE.format(
        title="公牛 新国标插座 5孔 1.8米 排插", shop="周口电器专营店", price="39.90",
        params=_params(品牌="公牛", 型号="GN-B3", 生产企业="宁波公牛电器有限公司"),
        desc="<p>五孔插位，独立开关，儿童保护门。</p>", company="周口市川汇区顺达电器商行",
        uscc="91411600MA9G12345W", address="河南省周口市川汇区七一路18号"),
    "/socket-withdrawn": _PAGE.format(
        title="恒远 家用插座 五孔 带开关", shop="恒远电器工厂店", price="12.80",
        params=_params(品牌="恒远", 型号="HY-5", **{"3C证书编号": "2021010201000001"}, 生产企业="慈溪市恒远电器厂"),
        desc="<p>工厂直销，量大从优。</p>", company="慈溪市恒远电器厂", uscc="91440606722473344C",
        address="浙江省慈溪市周巷镇工业区"),
    "/socket-borrowed": _PAGE.format(
        title="新国标 插线板 6位 3米 排插", shop="宏达五金店", price="19.90",
        params=_params(型号="HD-6", **{"3C证书编号": "2020010201234567"}, 生产企业="项城市宏达电器有限公司"),
        desc="<p>加厚铜片，插拔顺滑。</p>", company="项城市宏达五金商行", uscc="91411600MA9G12345W",
        address="河南省周口市项城市秣陵镇建设路45号"),
    "/health-cure": _PAGE.format(
        title="蓝帽子 蜂胶软胶囊 60粒 保健食品", shop="康宁保健品店", price="168.00",
        params=_params(品牌="康宁", 批准文号="国食健注G20190123", 生产企业="安徽康宁生物科技有限公司"),
        desc="<p>本品为保健食品，辅助降血糖。</p><p>坚持服用可根治糖尿病，无效退款！</p>"
             "<p>本品不能代替药物。</p>",
        company="周口康宁保健品经营部", uscc="91411600MA9G12345W", address="河南省周口市川汇区交通路8号"),
    "/copycat": _PAGE.format(
        title="康帅傅红烧牛肉面 5连包 方便面", shop="好又多零食铺", price="15.50",
        params=_params(净含量="5×105克", 生产许可证="SC10341162400017"),
        desc="<p>经典红烧口味，面饼劲道。</p>", company="鹿邑县好又多副食商行", uscc="91411600MA9G12345W",
        address="河南省周口市鹿邑县真源大道66号"),
    "/clean-kettle": _PAGE.format(
        title="美的 电热水壶 1.7L 304不锈钢 MK-SH17", shop="美的生活电器官方旗舰店", price="99.00",
        params=_params(品牌="美的", 型号="MK-SH17", **{"3C证书编号": "2022010717000001"},
                       生产企业="广东美的生活电器制造有限公司"),
        desc="<p>最大功率1800W，最近30天售出2000台。</p><p>首次使用前请清洗，最好在干燥处存放。</p>",
        company="广东美的生活电器制造有限公司", uscc="91440606722473344C", address="广东省佛山市顺德区北滘镇"),
    "/clean-biscuit": _PAGE.format(
        title="奥利奥 夹心饼干 原味 388g", shop="周口食品批发", price="21.90",
        params=_params(品牌="奥利奥", 净含量="388克", 保质期="12个月", 生产许可证="SC10131011500456"),
        desc="<p>最佳食用期：开封后7天内。</p><p>最后一批清仓，欲购从速。</p>",
        company="周口市川汇区丰收食品批发部", uscc="91411600MA9G12345W", address="河南省周口市川汇区八一路2号"),
}


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        body = LISTINGS.get(self.path.split("?", 1)[0])
        data = (body or "<h1>404</h1>").encode("utf-8")
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextlib.contextmanager
def serve_listings():
    """The listings on http://127.0.0.1:<free port>; yields the base address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
