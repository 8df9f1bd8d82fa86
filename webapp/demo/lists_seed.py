"""Demo lists (清单制) for the demo villages, written after the seed documents [000][004]: the seven
kinds of list with flow steps, a town template handed to both villages, a second version of the
services list, a service-desk log and three months of three-affairs disclosures."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from typing import Any

from flask import current_app
from PIL import Image, ImageDraw
from sqlalchemy import select

from webapp.extensions import db
from webapp.lists.services import (
    catalog as lists_catalog,
    disclosures,
    service_desk,
    templates as lists_templates,
    versions as lists_versions,
)
from webapp.lists.services.attachments import attachment_root
from webapp.people.models.geo import Town, Village
from webapp.people.models.household import Household

SUPERVISOR = "村务监督委员会"
BASIS_LISTS = "《农业农村部 国家乡村振兴局关于在乡村治理中推广运用清单制有关工作的通知》（农经发〔2021〕4号）"
BASIS_BURDEN = "《中共中央办公厅 国务院办公厅关于规范村级组织工作事务、机制牌子和证明事项的意见》"


def _item(code: str, name: str, category: str, responsible: str, steps: str, limit: int | None = None,
          **facts: str) -> dict[str, Any]:
    """An item; steps as "who:does what:days / …" (days may be empty)."""
    parsed = []
    for step in filter(None, (s.strip() for s in steps.split("/"))):
        actor, action, days = step.split(":")
        parsed.append({"actor": actor, "action": action, "days": int(days) if days else None})
    return {"code": code, "name": name, "category": category, "responsible": responsible, "time_limit_days": limit,
            "steps": parsed, "supervisor": facts.pop("supervisor", SUPERVISOR), **facts}


RESPONSIBILITY = [
    _item("ZT-01", "组织实施积分制和清单制", "基层治理", "村“两委”",
          "村党组织:提出积分事项和清单事项初稿:7 / 村“两委”联席会议:讨论修改，广泛征求村民意见:10 / "
          "村民代表会议:审议表决:1 / 村民委员会:清单“上墙”公示，照单办事、按图操作:3",
          basis=BASIS_LISTS, supervision="每季度向村民代表会议报告运行情况", guide="镇乡村振兴办"),
    _item("ZT-02", "农村人居环境整治", "生态宜居", "村民委员会",
          "网格员:每月入户查看庭院、厨房、厕所卫生:5 / 评议小组:交叉考察评议，记录积分:3 / "
          "村民委员会:每月10日前公布评议结果:2",
          basis="《农村人居环境整治提升五年行动方案（2021—2025年）》", supervision="群众监督，结果公示", guide="镇农业服务中心"),
    _item("ZT-03", "婚丧喜庆事宜报备（移风易俗）", "乡风文明", "村红白理事会",
          "操办户:事前向红白理事会报备操办规模:1 / 红白理事会:告知操办标准，劝导简办:1 / 红白理事会:全程监督，登记台账:",
          basis="本村村规民约", materials="报备表", supervision="大操大办的按积分办法扣分", guide="镇宣传办"),
    _item("ZT-04", "矛盾纠纷调解", "平安建设", "村人民调解委员会",
          "当事人:口头或书面申请调解:0 / 人民调解委员会:受理并调查核实:3 / 人民调解委员会:组织调解，达成协议的制作调解书:10 / "
          "人民调解委员会:回访协议履行情况:", limit=15,
          basis="《中华人民共和国人民调解法》", supervision="调解不成的告知当事人依法维权途径", guide="镇司法所"),
]
ADMISSION = [
    _item("ZR-01", "协助开展城乡居民医疗保险参保宣传", "协助政府工作", "村民委员会（协助）",
          "镇医保工作站:书面提出协助事项，明确工作经费:0 / 村民委员会:宣传动员、通知到户:15 / 村民委员会:反馈群众参保意愿和诉求:5",
          basis=BASIS_BURDEN, supervision="村级组织只做宣传动员，不承担收缴任务", guide="镇医保工作站"),
    _item("ZR-02", "协助做好森林草原防火宣传", "协助政府工作", "村民委员会（协助）",
          "镇应急办:下达宣传任务:0 / 村民委员会:张贴宣传材料，组织动员:7 / 村民委员会:发现火情立即报告:0",
          basis=BASIS_BURDEN, guide="镇应急办"),
    _item("ZR-03", "新增协助事项准入程序", "准入管理", "镇减负办",
          "镇有关部门:提出申请，说明法律依据和经费:0 / 镇减负办:审核是否符合准入条件:5 / "
          "镇党委会议:研究决定，权随责走、费随事转:10 / 村民委员会:接收并公开新增事项:3",
          basis=BASIS_BURDEN, supervisor="镇纪委", supervision="未经准入的事项村级组织有权拒绝", guide="镇减负办"),
]
NEGATIVE_FLOW = ("村级组织:拒绝承担并登记:0 / 村级组织:向镇减负办反映:1 / 镇减负办:核查，督促部门纠正:5 / "
                 "镇纪委:对违规部署的通报问责:")
NEGATIVE = [
    _item("FM-01", "不得将行政执法、拆迁拆违、城市管理、安全生产等部门职责交由村级组织承担", "负面事项", "镇各部门",
          NEGATIVE_FLOW, basis=BASIS_BURDEN, supervisor="镇纪委", guide="镇减负办"),
    _item("FM-02", "不得要求村级组织出具无法律法规依据的证明", "负面事项", "镇各部门", NEGATIVE_FLOW,
          basis=BASIS_BURDEN, supervisor="镇纪委", guide="镇减负办"),
    _item("FM-03", "不得要求村级组织填报与职责无关的报表台账，不得以上传截图代替实际工作", "负面事项", "镇各部门",
          NEGATIVE_FLOW, basis=BASIS_BURDEN, supervisor="镇纪委", guide="镇减负办"),
    _item("FM-04", "不得以“属地管理”为名将工作责任转嫁给村级组织", "负面事项", "镇各部门", "",
          basis=BASIS_BURDEN, supervisor="镇纪委", supervision="村级组织可向镇减负办反映", guide="镇减负办"),
]
DISCLOSURE = [
    _item("SW-01", "党务公开：党组织建设、党员发展、党费收缴", "党务", "村党组织",
          "村党组织:整理公开内容:5 / 村务监督委员会:审核把关:2 / 公开栏、村民微信群:公开，不少于7日:7 / 村党组织:收集意见并答复:5",
          supervision="每季度公开一次，群众可当面或书面提出意见", guide="镇党建办"),
    _item("SW-02", "村务公开：低保评议、惠农补贴、宅基地审批结果", "村务", "村民委员会",
          "村民委员会:整理公开内容:3 / 村务监督委员会:审核把关:2 / 公开栏、电子屏:公开，不少于7日:7",
          supervision="每月公开一次，重大事项随时公开", guide="镇民政办"),
    _item("SW-03", "财务公开：月度收支、集体资产资源", "财务", "村报账员",
          "村报账员:编制月度收支明细:5 / 村务监督委员会:逐笔审核签字:3 / 公开栏:每月10日前公开:2",
          supervision="群众对账目有疑问的可申请查账", guide="镇经管站"),
]
SERVICES = [
    _item("FW-01", "城乡居民基本养老保险参保登记", "社会保障", "村便民服务站",
          "申请人:携带材料到村便民服务站提出申请:0 / 帮办代办专员:审核材料，录入系统；材料不全的一次性告知:1 / "
          "镇社会保障服务中心:审核并办理参保登记:5 / 帮办代办专员:告知申请人办理结果:1",
          basis="《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
          conditions="年满16周岁（不含在校学生），不属于职工基本养老保险覆盖范围的本村户籍居民",
          materials="居民身份证\n户口簿", supervision="查阅帮办代办台账，每季度公开办理结果", guide="镇社会保障服务中心"),
    _item("FW-02", "最低生活保障申请", "社会救助", "村民委员会",
          "村民委员会:受理申请，登记台账:1 / 村民委员会、驻村干部:入户调查家庭经济状况:5 / "
          "村民代表会议:民主评议，结果公示7日:7 / 镇民政办:审核后报县民政局审批:15", limit=30,
          basis="《社会救助暂行办法》", materials="户口簿\n居民身份证\n家庭收入和财产状况说明",
          supervision="评议结果在村务公开栏公示", guide="镇民政办"),
    _item("FW-03", "残疾人证办理（代办）", "助残服务", "村便民服务站",
          "申请人或家属:提出申请，提交照片和身份证:0 / 帮办代办专员:代为预约评残医院:3 / 县残联:审核发证:15 / "
          "帮办代办专员:代领并送证上门:2",
          materials="居民身份证\n户口簿\n近期两寸照片", supervision="送证上门登记签收", guide="县残联、镇社会事务办"),
    _item("FW-04", "农村宅基地建房申请", "自然资源", "村民委员会",
          "申请户:提出书面申请:0 / 村民小组会议:讨论通过:5 / 村民委员会:审查并公示5个工作日:7 / "
          "镇人民政府:联审并批准:20", basis="《中华人民共和国土地管理法》第六十二条",
          conditions="一户只能拥有一处宅基地", materials="申请书\n户口簿\n建房设计图", supervision="公示期间可提出异议",
          guide="镇自然资源所"),
]
SERVICES_V2 = [
    *SERVICES[:1], {**SERVICES[1], "time_limit_days": 25, "steps": [*SERVICES[1]["steps"][:3], {
        "actor": "镇民政办", "action": "审核后报县民政局审批", "days": 12}]}, *SERVICES[2:],
    _item("FW-05", "高龄津贴申领", "养老服务", "村便民服务站",
          "申请人或家属:提出申请:0 / 帮办代办专员:核对年龄和户籍，录入系统:1 / 镇社会事务办:审核:5",
          conditions="年满80周岁的本村户籍老人", materials="居民身份证\n户口簿\n银行卡", guide="镇社会事务办"),
]
AUTONOMY = [
    _item("ZZ-01", "村级重大事项决策（“四议两公开”）", "民主决策", "村党组织",
          "村党组织:提议:3 / 村“两委”会议:商议:5 / 党员大会:审议:5 / 村民（代表）会议:决议:7 / "
          "村民委员会:决议公开、实施结果公开:3", basis="《中华人民共和国村民委员会组织法》", guide="镇组织办"),
    _item("ZZ-02", "村规民约修订", "民主管理", "村民委员会",
          "村民委员会:征求村民意见，形成草案:15 / 镇人民政府:合法性审查:10 / 村民会议:表决通过:7 / 村民委员会:公布并备案:3",
          basis="《中华人民共和国村民委员会组织法》第二十七条", guide="镇民政办"),
]
CERTIFICATES = [
    _item("ZM-01", "居住证明", "证明事项", "村民委员会",
          "申请人:到村便民服务站提出申请:0 / 村民委员会:核实实际居住情况:1 / 村民委员会:出具证明并登记台账:1",
          materials="居民身份证", supervisor="镇减负办", supervision="无法律法规依据的证明一律不得出具", guide="镇司法所"),
    _item("ZM-02", "亲属关系证明（无其他材料可以证明时）", "证明事项", "村民委员会",
          "申请人:提出申请，说明用途:0 / 村民委员会:查阅户籍资料，走访核实:2 / 村民委员会:出具证明并登记台账:1",
          materials="居民身份证\n户口簿", supervisor="镇减负办", guide="镇司法所"),
    _item("ZM-03", "死亡证明（在家中正常死亡的）", "证明事项", "村民委员会",
          "家属:提出申请:0 / 村民委员会、村卫生室:核实情况:1 / 村民委员会:出具证明，告知后续手续:0",
          materials="逝者居民身份证\n户口簿", supervisor="镇减负办", guide="镇派出所、镇卫生院"),
]


def _adopted(town: Town, village: Village | None, kind: str, items: list[dict[str, Any]], meeting: date):
    duty_list = lists_catalog.create_list(town, village, kind)
    lists_versions.replace_items(duty_list.versions[0], items)
    lists_versions.adopt(duty_list.versions[0], meeting, "村民代表会议表决通过（到会代表32人，同意31人）",
                         meeting + timedelta(days=5))
    return duty_list


def seed_lists(town: Town, villages: list[Village], today: date | None = None) -> None:
    """All the demo lists, desk log and disclosures (the caller commits)."""
    today = today or date.today()
    first = today - timedelta(days=150)
    template = _adopted(town, None, "certificate", CERTIFICATES, first - timedelta(days=20))
    handed = lists_templates.hand_out(template, villages, today, note="依据镇模板制定")
    for index, (village, draft) in enumerate(handed.drafts):
        lists_versions.adopt(draft, first + timedelta(days=index), "村民代表会议表决通过", first + timedelta(days=index + 5))
        kinds = (("responsibility", RESPONSIBILITY), ("admission", ADMISSION), ("negative", NEGATIVE),
                 ("disclosure", DISCLOSURE), ("service", SERVICES), ("autonomy", AUTONOMY))
        for kind, items in (kinds if index == 0 else kinds[2:5]):  # 王家村 keeps fewer lists
            _adopted(town, village, kind, items, first)
        services = next(d for d in lists_catalog.village_lists(village) if d.kind == "service")
        draft = lists_versions.start_draft(services, note="新增高龄津贴申领，低保审批时限缩短为25日")
        lists_versions.replace_items(draft, SERVICES_V2)
        lists_versions.adopt(draft, today - timedelta(days=40), "村民代表会议表决通过（到会代表30人，全票同意）",
                             today - timedelta(days=35))
    _desk_log(villages[0], today)
    _disclosures(villages[0], today)


def _desk_log(village: Village, today: date) -> None:
    """About two dozen matters over three months: most done, some returned, a few open and overdue."""
    rng = random.Random(7)
    households = list(db.session.scalars(select(Household).where(Household.village_id == village.id)
                                         .order_by(Household.code).limit(40)))
    items = [i for _d, found in service_desk.desk_items(village, today) for i in found]
    handlers = ("王秀英", "李建军")
    for _n in range(26):
        roll = rng.random()
        received = today - timedelta(days=rng.randint(1, 85) if roll < 0.7 else rng.randint(0, 12))
        matter = service_desk.register(village, rng.choice(households).code, rng.choice(items).id, received,
                                       handler=rng.choice(handlers), notes="帮办代办")
        if roll < 0.55:
            service_desk.transition(matter, "start", received)
            done_on = min(today, received + timedelta(days=rng.randint(0, 9)))
            service_desk.transition(matter, "finish", done_on)
        elif roll < 0.7:
            service_desk.transition(matter, "return", received, reason="材料不全：缺少户口簿，已一次性告知")
        elif roll < 0.85:
            service_desk.transition(matter, "start", min(today, received + timedelta(days=1)))


def _chart_png(seed: int) -> bytes:
    """A bar chart of a month's income and spending (a picture attachment, no text needed)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (480, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.line((30, 270, 460, 270), fill="black", width=2)
    for i in range(6):
        height = rng.randint(40, 230)
        draw.rectangle((50 + i * 70, 270 - height, 90 + i * 70, 270), fill="#b3261e" if i % 2 else "#1b6e3a")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _disclosures(village: Village, today: date) -> None:
    """Three months of party, village and financial posts, with a chart on each finance post."""
    for back in (2, 1, 0):
        year, month = (today.year * 12 + today.month - 1 - back) // 12, (today.year * 12 + today.month - 1 - back) % 12 + 1
        day = date(year, month, min(8, today.day) if back == 0 else 8)
        disclosures.post(village, "finance", f"{month}月份村集体财务收支公开",
                         f"本月收入：集体土地租金 {12000 + back * 800} 元，上级补助 5000 元。\n"
                         f"本月支出：环境整治 {3200 + back * 150} 元，积分超市购货 4680 元，办公 620 元。\n"
                         "以上收支经村务监督委员会审核。如有疑问，请于公示期内向村务监督委员会反映。",
                         day, files=[(f"{month}月收支图.png", _chart_png(back))],
                         root=attachment_root(current_app.config))
        disclosures.post(village, "village", f"{month}月份农村低保民主评议结果公示",
                         "经村民代表会议民主评议，以下申请拟纳入农村最低生活保障，详见公开栏。\n公示期7天。",
                         day)
        if back != 1:
            disclosures.post(village, "party", f"{year}年第{(month - 1) // 3 + 1}季度党费收缴情况公开",
                             "本季度应缴党费党员28名，已全部按时足额缴纳。", day)
