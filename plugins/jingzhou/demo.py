"""荆州市第一人民医院 demo data: 33 branches and what the article counts in 2022 (seeds/002).

Everything is keyed by codes, names and fixed dates, so loading twice changes nothing.
People are synthetic; the alliances' partner hospitals and specialty names are invented.
"""

from __future__ import annotations

import datetime as dt

from .elements import BRANDS

REGION = "421000"
HOSPITAL = "荆州市第一人民医院"
PERIOD_START = dt.date(2022, 1, 1)
ADMITTED_BEFORE = PERIOD_START - dt.timedelta(days=366)  # full members: admitted a year before

REGIONS = (("420000", "湖北省", "province", None), ("421000", "荆州市", "city", "420000"))
PARTNERS = ("公安县协作医院", "监利市协作医院", "江陵县协作医院", "石首市协作医院", "洪湖市协作医院", "松滋市协作医院")

# fmt: off
# 31 branches built in departments (支部建在科室): abbreviation, branch name, department, clinical?
BRANCHES = (
    ("ZL", "肿瘤科党支部", "肿瘤科", True), ("XZ", "心脏中心党支部", "心脏中心", True),
    ("PW", "普外科党支部", "普外科", True), ("SJ", "神经诊疗中心党支部", "神经诊疗中心", True),
    ("HX", "呼吸与危重症医学科党支部", "呼吸与危重症医学科", True), ("XH", "消化内科党支部", "消化内科", True),
    ("SN", "肾内科党支部", "肾内科", True), ("NF", "内分泌科党支部", "内分泌科", True),
    ("LN", "老年医学科党支部", "老年医学科", True), ("GR", "感染科党支部", "感染科", True),
    ("EK", "儿科党支部", "儿科", True), ("FC", "妇产科党支部", "妇产科", True), ("GK", "骨科党支部", "骨科", True),
    ("MW", "泌尿外科党支部", "泌尿外科", True), ("SW", "神经外科党支部", "神经外科", True),
    ("XW", "胸外科党支部", "胸外科", True), ("YK", "眼科党支部", "眼科", True),
    ("EB", "耳鼻咽喉头颈外科党支部", "耳鼻咽喉头颈外科", True), ("KQ", "口腔科党支部", "口腔科", True),
    ("PF", "皮肤科党支部", "皮肤科", True), ("KF", "康复医学科党支部", "康复医学科", True),
    ("ZZ", "重症医学科党支部", "重症医学科", True), ("JZ", "急诊医学科党支部", "急诊医学科", True),
    ("MZ", "麻醉科党支部", "麻醉科", True), ("YX", "医学影像科党支部", "医学影像科", True),
    ("JY", "检验科党支部", "检验科", True), ("YJ", "药学部党支部", "药学部", True),
    ("GW", "公共卫生中心党支部", "公共卫生中心", True), ("HL", "护理党支部", "护理部", False),
    ("JG", "机关第一党支部", "行政职能科室", False), ("HQ", "后勤党支部", "后勤保障部", False),
)
# fmt: on
# the two temporary branches of the 2022 outbreak: code, name, institution, founded
TEMPORARY = (
    ("JZ-LS1", "集中收治临时党支部", "荆州市胸科医院", dt.date(2022, 10, 30)),
    ("JZ-LS2", "方舱医院临时党支部", HOSPITAL, dt.date(2022, 11, 1)),
)
TEMPORARY_DISSOLVED = dt.date(2023, 1, 8)  # after the stable transition (平稳转段)

# fmt: off
SPECIALTIES = (  # 19 specialty alliances
    "神经诊疗", "胸痛", "卒中", "肿瘤", "呼吸", "消化", "肾脏病", "糖尿病", "儿科", "妇产", "骨科", "创伤",
    "泌尿外科", "眼科", "耳鼻咽喉头颈外科", "重症医学", "康复医学", "医学影像", "临床检验",
)
MDT_TEAMS = (  # 16 MDT teams, each run by a branch
    ("PW", "普外科“管道班”MDT团队"), ("XZ", "胸痛中心MDT团队"), ("SJ", "卒中中心MDT团队"), ("ZL", "肺癌MDT团队"),
    ("ZL", "乳腺肿瘤MDT团队"), ("XH", "消化道早癌MDT团队"), ("HX", "肺结节MDT团队"),
    ("FC", "危重孕产妇救治MDT团队"), ("EK", "危重新生儿救治MDT团队"), ("GK", "老年髋部骨折MDT团队"),
    ("NF", "糖尿病足MDT团队"), ("ZZ", "重症感染MDT团队"), ("JZ", "严重创伤MDT团队"), ("EB", "头颈肿瘤MDT团队"),
    ("SN", "肾脏病MDT团队"), ("MW", "泌尿系肿瘤MDT团队"),
)
# fmt: on
FIVE_ONES_PLACES = ("沙市区社区卫生服务中心", "荆州区乡镇卫生院", "江陵县敬老院", "公安县村卫生室", "监利市社区")
INTEGRITY = (
    (dt.datetime(2022, 3, 16, 15, 0), "《医疗机构工作人员廉洁从业九项准则》专题学习"),
    (dt.datetime(2022, 5, 18, 15, 0), "《作风建设永远在路上》警示教育片观看"),
    (dt.datetime(2022, 8, 17, 15, 0), "清廉医院建设推进会：“三权两力”规范约束机制"),
    (dt.datetime(2022, 11, 16, 15, 0), "监督执纪“四种形态”专题廉政党课"),
)


def load(demo) -> None:
    for code, name, level, parent in REGIONS:
        demo.region(code, name, level, parent)
    for name in (HOSPITAL, "荆州市胸科医院"):
        demo.institution(name, "general_hospital", REGION)
    for name in PARTNERS:
        demo.institution(name, "county_hospital", REGION)
    for index, specialty in enumerate(SPECIALTIES):
        partners = [PARTNERS[(index + step) % len(PARTNERS)] for step in range(3)]
        founded = dt.date(2018, 3, 1) + dt.timedelta(days=70 * index)
        demo.community(f"荆州一医{specialty}专科联盟", "specialty_alliance", REGION, HOSPITAL, partners, founded)
    secretaries = _organisations(demo)
    for spec in BRANDS:
        demo.brand(spec.name, spec.organisation_code, spec.description, spec.launched_on)
    for index, (abbr, name) in enumerate(MDT_TEAMS):
        demo.venue(
            name, "expert_studio", f"JZ-{abbr}", HOSPITAL, opened_on=dt.date(2019, 6, 1) + dt.timedelta(days=60 * index)
        )
    _activities(demo, secretaries)
    demo.honor("JZ", "省抗击新冠肺炎疫情先进基层党组织", "provincial", "中共湖北省委", dt.date(2020, 9, 29))
    demo.honor("JZ", "省抗击新冠肺炎疫情先进集体", "provincial", "中共湖北省委、湖北省人民政府", dt.date(2020, 9, 29))
    demo.report("2022")  # the period of the article's figures


def _organisations(demo) -> list:
    """The hospital committee, 31 department branches and 2 temporary ones; each secretary seated.

    Clinical branch secretaries are also clinical leads: 双带头人."""
    demo.organisation(
        "JZ", "荆州市第一人民医院党委", "committee", REGION, institution=HOSPITAL, report_code="421000-JZYY"
    )
    secretaries = []
    for index, (abbr, name, department, clinical) in enumerate(BRANCHES):
        code = f"JZ-{abbr}"
        demo.organisation(code, name, "branch", REGION, parent="JZ", institution=HOSPITAL, department=department)
        probationary = 1 if index % 3 == 0 else 0
        joined = dt.date(2022, 1 + index % 12, 20)
        rows = demo.members(code, 6 - probationary, admitted_before=ADMITTED_BEFORE)
        rows += demo.members(code, probationary, probationary=probationary, joined_on=joined, start=6 - probationary)
        secretaries.append(_secretary(rows[0], code, demo, double_leader=clinical))
    for code, name, institution, founded in TEMPORARY:
        demo.organisation(
            code,
            name,
            "temporary_branch",
            REGION,
            parent="JZ",
            institution=institution,
            founded_on=founded,
            dissolved_on=TEMPORARY_DISSOLVED,
        )
        rows = demo.members(code, 8, admitted_before=ADMITTED_BEFORE)
        secretaries.append(_secretary(rows[0], code, demo, double_leader=False))
    return secretaries


def _activities(demo, secretaries) -> None:
    for month in range(1, 13):  # the oncology branch's 「五个一」 themed party days
        demo.activity(
            "JZ-ZL",
            "JZ_FIVE_ONES",
            f"2022年{month}月「五个一」主题党日",
            dt.datetime(2022, month, 10, 14, 0),
            people_served=30 + (month * 13) % 40,
            volunteer_hours=3 * 6,
            brand="「五个一」主题党日",
            attendees=6,
            place=FIVE_ONES_PLACES[month % len(FIVE_ONES_PLACES)],
        )
    for starts_at, title in INTEGRITY:  # 清廉医院: integrity education for the branch secretaries
        lesson = demo.activity(
            "JZ", "JZ_INTEGRITY", title, starts_at, brand="党旗增辉 一医为民", place="医院学术报告厅"
        )
        demo.attend(lesson, secretaries)
    for quarter in range(4):  # 「323」攻坚: 心脑高糖 screening in the countryside
        demo.activity(
            "JZ-XZ",
            "JZ_OUTREACH",
            f"2022年第{quarter + 1}季度“心脑高糖”下乡义诊筛查",
            dt.datetime(2022, 3 * quarter + 2, 22, 8, 30),
            people_served=120 + 15 * quarter,
            volunteer_hours=6 * 5,
            brand="心电一张网",
            attendees=5,
            place=PARTNERS[quarter],
        )


# --- helpers -------------------------------------------------------------------------------------


def _secretary(member, code, demo, double_leader: bool):
    demo.seat(code, member, "secretary")
    demo.set(member, is_double_leader=double_leader)
    return member
