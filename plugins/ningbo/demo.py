"""李惠利医院 demo data: its alliance, trusteeship, consortium and branch brands in 2019 (seeds/004).

Everything is keyed by codes, names and fixed dates, so loading twice changes nothing.
People, including the patients helped, are synthetic; the sixth trusteed hospital is invented.
"""

from __future__ import annotations

import datetime as dt

from .elements import BRANDS

REGION = "330200"
HOSPITAL = "宁波市医疗中心李惠利医院"
PARTNER = "北仑区第三人民医院"
PERIOD_START = dt.date(2019, 1, 1)
ADMITTED_BEFORE = PERIOD_START - dt.timedelta(days=366)  # full members: admitted a year before
ALLIANCE_SIGNED = dt.date(2019, 11, 15)

REGIONS = (("330000", "浙江省", "province", None), ("330200", "宁波市", "city", "330000"))
TRUSTEESHIP = (  # 6 grassroots hospitals; 镇海区协作医院 is invented (the article names five)
    (PARTNER, "county_hospital"),
    ("余姚市中医医院", "tcm_hospital"),
    ("余姚市第四人民医院", "county_hospital"),
    ("宁海县第二医院", "county_hospital"),
    ("溪口医院", "county_hospital"),
    ("镇海区协作医院", "county_hospital"),
)
CONSORTIUM = tuple(  # 8 community health centres; the article names 白鹤, 明楼, 东柳
    f"{street}街道社区卫生服务中心" for street in ("白鹤", "明楼", "东柳", "东胜", "百丈", "福明", "新明", "东郊")
)
# code, name, department
BRANCHES = (
    ("NB-N6", "内六支部", "肾内科"),
    ("NB-XN", "心内科党支部", "心血管内科"),
    ("NB-ZL", "肿瘤科党支部", "肿瘤科"),
    ("NB-JZ", "急诊党支部", "急诊科"),
    ("NB-HL", "护理党支部", "护理部"),
    ("NB-XH", "消化内科党支部", "消化内科"),
    ("NB-WC", "胃肠外科党支部", "胃肠外科"),
    ("NB-MZ", "门诊党支部", "门诊部"),
)
STUDIOS = (  # expert workstations moved into 北仑区第三人民医院 when the alliance was signed
    ("NB-XH", "消化内科专家工作室（北仑区第三人民医院）"),
    ("NB-WC", "胃肠外科专家工作室（北仑区第三人民医院）"),
)
# 腹透药互助 in 2019: date, synthetic patient, patients helped for the first time (3 in all)
DIALYSIS_AID = (
    (dt.date(2019, 5, 17), "患者甲", 1),
    (dt.date(2019, 6, 21), "患者乙", 1),
    (dt.date(2019, 7, 19), "患者甲", 0),
    (dt.date(2019, 9, 12), "患者丙", 1),
    (dt.date(2019, 10, 18), "患者乙", 0),
    (dt.date(2019, 11, 22), "患者丙", 0),
)
FIRST_AID = (  # 心能量: public first-aid training
    (dt.datetime(2019, 4, 13, 9, 0), "心能量公众急救培训：心肺复苏与AED使用", "天一广场", 150),
    (dt.datetime(2019, 6, 15, 9, 0), "心能量进校园：中小学生急救知识课堂", "鄞州区中学", 120),
    (dt.datetime(2019, 9, 14, 9, 0), "心能量公众急救培训：海姆立克急救法", "东柳街道社区", 80),
    (dt.datetime(2019, 12, 7, 9, 0), "心能量进企业：职工急救技能培训", "北仑区企业", 95),
)


def load(demo) -> None:
    for code, name, level, parent in REGIONS:
        demo.region(code, name, level, parent)
    demo.institution(HOSPITAL, "general_hospital", REGION)
    for name, kind in TRUSTEESHIP:
        demo.institution(name, kind, REGION)
    for name in CONSORTIUM:
        demo.institution(name, "community_centre", REGION)
    demo.community("李惠利医院医联体", "consortium", REGION, HOSPITAL, list(CONSORTIUM))
    demo.community("李惠利医院托管医院", "trusteeship", REGION, HOSPITAL, [name for name, _ in TRUSTEESHIP])
    demo.organisation(
        "NB", "宁波市医疗中心李惠利医院党委", "committee", REGION, institution=HOSPITAL, report_code="330200-LHL"
    )
    people = {}
    for index, (code, name, department) in enumerate(BRANCHES):
        demo.organisation(code, name, "branch", REGION, parent="NB", institution=HOSPITAL, department=department)
        probationary = index % 2
        full, joined = 10 - probationary, dt.date(2019, 3 + index, 26)
        people[code] = demo.members(code, full, admitted_before=ADMITTED_BEFORE)
        people[code] += demo.members(code, probationary, probationary=probationary, joined_on=joined, start=full)
        demo.seat(code, people[code][0], "secretary")
    for spec in BRANDS:
        demo.brand(spec.name, spec.organisation_code, spec.description, spec.launched_on)
    demo.volunteer_team("惠民利民服务队", "NB-MZ", 30, brand="惠民利民服务队")
    demo.alliance(
        "李惠利医院—北仑区第三人民医院党建联盟",
        "NB",
        HOSPITAL,
        PARTNER,
        "expert_workstation",
        signed_on=ALLIANCE_SIGNED,
        description="北仑区卫健系统首个党建联盟：消化内科、胃肠外科专家工作室搬进北仑区第三人民医院；"
        "共建党建平台、志愿服务、医疗技术帮扶",
    )
    for code, name in STUDIOS:
        demo.venue(name, "expert_studio", code, PARTNER, opened_on=ALLIANCE_SIGNED)
    _activities(demo)
    demo.report("2019")  # the period of the article's figures


def _activities(demo) -> None:
    for number, (day, patient, new) in enumerate(DIALYSIS_AID, start=1):
        demo.activity(
            "NB-N6",
            "NB_DIALYSIS_AID",
            f"腹透药互助：第{number}次赠送（{patient}）",
            dt.datetime.combine(day, dt.time(15, 0)),
            people_served=1,
            volunteer_hours=2,
            brand="腹透药互助",
            attendees=2,
            extra_figures={"donations": 1, "patients": new},
        )
    demo.activity(
        "NB-N6",
        "FREE_CLINIC",
        "世界肾脏日义诊与健康教育",
        dt.datetime(2019, 3, 14, 8, 30),
        people_served=130,
        volunteer_hours=24,
        attendees=6,
        place="医院门诊大厅",
    )
    for starts_at, title, place, served in FIRST_AID:
        demo.activity(
            "NB-JZ",
            "NB_FIRST_AID",
            title,
            starts_at,
            people_served=served,
            volunteer_hours=12,
            brand="心能量",
            attendees=4,
            place=place,
        )
    for quarter in range(1, 4):
        demo.activity(
            "NB-XN",
            "NB_CARDIO_COURSE",
            f"心团队协作课程（第{quarter}期）：胸痛规范化诊治",
            dt.datetime(2019, 3 * quarter + 1, 20, 14, 0),
            people_served=40 + 5 * quarter,
            brand="心团队",
            attendees=3,
            place=TRUSTEESHIP[quarter][0],
        )
        demo.activity(
            "NB-ZL",
            "NB_ONCOLOGY_CARE",
            f"惠利科爱：肿瘤科普与患者关怀（第{quarter}期）",
            dt.datetime(2019, 3 * quarter + 2, 16, 14, 0),
            people_served=60 + 10 * quarter,
            brand="惠利科爱",
            attendees=4,
            place="肿瘤科病区",
        )
    for week in range(4):  # the experts' workstation sessions after the alliance was signed
        for code, studio in STUDIOS:
            demo.activity(
                code,
                "NB_EXPERT_CLINIC",
                "专家工作室北仑坐诊",
                dt.datetime.combine(ALLIANCE_SIGNED + dt.timedelta(days=7 * week + 7), dt.time(8, 30)),
                people_served=18 + 3 * week,
                venue=studio,
                attendees=1,
            )
