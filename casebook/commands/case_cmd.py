"""``casebook case new DIR`` and ``casebook case add-photos DIR PHOTO...``: open a case, bring label photos in.

Every field can be given as a flag (for scripts) or is asked for at the prompt; a wrong value is
refused on the spot with the field named (asked again at the prompt; exit 2 from a flag).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from safeio.errors import InputError
from safeio.limits import terminal_json, terminal_text


class _Asker:
    """Take a field from its flag, else ask for it (unless --no-input); check it either way."""

    def __init__(self, no_input: bool) -> None:
        self.no_input = no_input

    def __call__(self, given, question: str, check, *, default: str | None = None, required: bool = True):
        if given is not None:
            return check(given)  # a wrong flag is an InputError: exit 2, field named
        if self.no_input:
            if default is not None or not required:
                return check(default or "")
            return check("")  # says which field is missing

        def proc(text: str):
            try:
                return check(text)
            except InputError as err:
                raise click.BadParameter(f"field '{err.field}': {err.message}. {err.hint or ''}".strip()) from None

        return click.prompt(question, default=default if default is not None else ("" if not required else None),
                            value_proc=proc, show_default=bool(default))


@click.group()
def case() -> None:
    """Open a case folder and bring label photos into it."""


@case.command("new")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--title", help="案件名称")
@click.option("--case-no", help="文号, for example 周市监处罚〔2024〕17号")
@click.option("--organ", help="办案机构, for example 周口市市场监督管理局")
@click.option("--party-type", help="当事人类型: 企业, 个体工商户, 其他组织 or 自然人")
@click.option("--party-name", help="当事人名称或姓名")
@click.option("--party-id", help="统一社会信用代码 (a business) or 居民身份证号码 (a person)")
@click.option("--party-address", help="当事人住所或经营场所")
@click.option("--opened", help="立案日期 YYYY-MM-DD (default today)")
@click.option("--cause", help="案由: its text or its number in the list ('casebook case new --list-causes')")
@click.option("--category", help="商品类别: food, small_appliance, toiletry, hardware_electrical, agri_input, children "
              "(or its Chinese name or number); default from the 案由 where it implies one")
@click.option("--address", help="案发地址 (resolved to its county offline)")
@click.option("--lon", help="经度 in decimal degrees (optional)")
@click.option("--lat", help="纬度 in decimal degrees (optional)")
@click.option("--coord-sys", help="coordinate system of --lon/--lat: wgs84, cgcs2000, gcj02 or bd09")
@click.option("--investigator", "investigators", multiple=True, help="办案人员 'name' or 'name:badge' (repeat)")
@click.option("--no-input", is_flag=True, help="Never ask: a missing required field is an error.")
@click.option("--list-causes", is_flag=True, help="Print the list of 案由 and stop.")
@click.option("--json", "as_json", is_flag=True, help="Print the written case.yml fields as JSON.")
def new(directory: Path, title, case_no, organ, party_type, party_name, party_id, party_address, opened, cause,
        category, address, lon, lat, coord_sys, investigators, no_input, list_causes, as_json) -> int:
    """Open a new case in DIR (named after the case id, for example ZK-2024-017)."""
    from casebook.case import safe_case_id
    from casebook.intake import case_new as cn

    if list_causes:
        for number, name in enumerate(cn.CAUSES, 1):
            click.echo(f"{number}. {name}")
        return 0
    case_id = safe_case_id(directory.name)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InputError("this folder is not empty; a case is opened in a new folder", path=directory,
                         hint="Choose a new folder named after the case id.")
    ask = _Asker(no_input)
    fields = {"title": ask(title, "案件名称 / case title", lambda v: cn.check_text(v, "title"))}
    fields["case_no"] = ask(case_no, "文号 / case number (周市监处罚〔2024〕17号)", cn.check_case_no)
    fields["organ"] = ask(organ, "办案机构 / organ", lambda v: cn.check_text(v, "organ"))
    kind = ask(party_type, "当事人类型 / party type (企业, 个体工商户, 其他组织, 自然人)", cn.check_party_type)
    party = {"type": kind, "name": ask(party_name, "当事人名称 / party name", lambda v: cn.check_text(v, "party.name"))}
    label = "统一社会信用代码 / credit code" if cn.PARTY_TYPES[kind] == "credit_code" else "身份证号码 / ID number"
    id_field, id_value = ask(party_id, label, lambda v: cn.check_party_id(v, kind))
    party[id_field] = id_value
    party["address"] = ask(party_address, "当事人地址 / party address",
                           lambda v: cn.check_text(v, "party.address", required=False), required=False)
    fields["opened"] = ask(opened, "立案日期 / opened (YYYY-MM-DD)", cn.check_date, default=date.today().isoformat())
    if cause is None and not no_input:
        for number, name in enumerate(cn.CAUSES, 1):
            click.echo(f"  {number}. {name}", err=True)
    fields["cause"] = ask(cause, "案由 / cause (number or text)", cn.check_cause)
    implied = cn.CAUSES[fields["cause"]]
    if category is None and not no_input and not implied:
        from casebook.words.map_words import CATEGORIES

        for number, (code, (zh, _en)) in enumerate(CATEGORIES.items(), 1):
            click.echo(f"  {number}. {zh} ({code})", err=True)
    fields["category"] = ask(category, "商品类别 / product category (number, code or name)", cn.check_category,
                             default=implied or None, required=not implied)
    location = ask(address, "案发地址 / address of the place", cn.resolve_address)
    lon_text = ask(lon, "经度 / longitude (optional)", lambda v: cn.check_coordinate(v, "location.lon"), required=False)
    lat_text = ask(lat, "纬度 / latitude (optional)", lambda v: cn.check_coordinate(v, "location.lat"),
                   required=bool(lon_text))
    if bool(lon_text) != bool(lat_text):
        raise InputError("give both longitude and latitude, or neither", field="location.lat",
                         hint="A position needs both numbers.")
    if lon_text:
        location.update(lon=lon_text, lat=lat_text,
                        coord_sys=ask(coord_sys, "坐标系 / coordinate system (wgs84, cgcs2000, gcj02, bd09)",
                                      cn.check_coord_sys, default="wgs84"))
    people = []
    for text in investigators:
        name, _, badge = str(text).partition(":")
        person = {"name": cn.check_text(name, "investigators.name")}
        if badge.strip():
            person["badge"] = cn.check_text(badge, "investigators.badge")
        people.append(person)
    new_case = cn.NewCase(case_id=case_id, title=fields["title"], case_no=fields["case_no"], organ=fields["organ"],
                          party=party, opened=fields["opened"], cause=fields["cause"], category=fields["category"],
                          location=location,
                          investigators=people)
    path = cn.create_case(directory, new_case)
    if as_json:
        click.echo(terminal_json({"case_yml": str(path), **new_case.document()}, indent=1))
    else:
        click.echo(f"case opened: {terminal_text(str(path))} (county {terminal_text(location['county'])})")
        click.echo(f"next: casebook evidence acquire SRC --case {terminal_text(str(directory))}; "
                   f"casebook case add-photos {terminal_text(str(directory))} PHOTO... --item NAME")
    return 0


@case.command("add-photos")
@click.argument("directory", type=click.Path(path_type=Path))
@click.argument("photos", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--item", help="The seized item these photos show (扣押物品名称); they go to labels/<item-id>/.")
@click.option("--item-id", help="The item's folder name (default: made from --item, Chinese by its pinyin).")
@click.option("--complete", is_flag=True, help="Every side of the item has been photographed (recorded in case.yml).")
@click.option("--actor", default="casebook", show_default=True, help="Who adds the photos (custody log).")
@click.option("--use-gps-location/--no-gps-location", default=None,
              help="Take a photo's GPS point as the case location when the case has none (asked if not given).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def add_photos(directory: Path, photos, item, item_id, complete, actor, use_gps_location, as_json) -> int:
    """Bring label photos (JPEG, PNG, HEIC) from a phone into the case, with hash-on-copy.

    A photo already in the case (same SHA-256) is not added twice; EXIF time, orientation and GPS
    (WGS-84) are recorded in evidence/photo_metadata.json; the original bytes are never changed.
    """
    import sys

    from casebook.intake.phone_photos import add_photos as add
    from casebook.intake.phone_photos import set_case_location

    result = add(directory, list(photos), item=item, item_id=item_id, complete=complete, actor=actor)
    offer = result.location_offer
    if offer is not None:
        take = use_gps_location
        if take is None and not as_json and sys.stdin.isatty():
            take = click.confirm(f"案件没有位置。使用照片 {offer['photo']} 的 GPS 点 (WGS-84) "
                                 f"{offer['lon']}, {offer['lat']} 作为案件位置? / use it as the case location?",
                                 default=True)
        if take:
            set_case_location(directory, offer["lon"], offer["lat"], source=f"EXIF GPS of {offer['photo']}")
            offer["taken"] = True
            if not as_json:
                click.echo(f"case location set from {terminal_text(offer['photo'])}: {offer['lon']}, {offer['lat']} "
                           "(WGS-84)")
    if as_json:
        click.echo(terminal_json(result.to_dict(), indent=1))
        return 0 if result.ok else 1
    for record in result.added:
        exif = record["exif"]
        extra = []
        if exif["taken_local"]:
            extra.append(f"taken {exif['taken_local']}{exif['taken_offset']}")
        if exif["gps_lon"] is not None:
            extra.append(f"GPS {exif['gps_lon']}, {exif['gps_lat']} (WGS-84)")
        if exif["orientation"] != 1:
            extra.append(f"orientation: {exif['orientation_text']}")
        click.echo(f"added {terminal_text(record['path'])}" + (f" ({'; '.join(extra)})" if extra else ""))
    for dup in result.duplicates:
        click.echo(f"already in the case, not added again: {terminal_text(dup['photo'])} = {terminal_text(dup['already'])}")
    for failed in result.failed:
        click.echo(f"problem: {terminal_text(failed['photo'])}: {failed['problem']}", err=True)
    if offer is not None and not offer.get("taken"):
        click.echo(f"the case has no location; photo {terminal_text(offer['photo'])} has GPS {offer['lon']}, "
                   f"{offer['lat']} (WGS-84): rerun with --use-gps-location to take it")
    seal = result.case_seal or {}
    if seal.get("state") == "resealed":
        click.echo(f"case sealed again: Merkle root {seal['merkle_root']}")
    return 0 if result.ok else 1
