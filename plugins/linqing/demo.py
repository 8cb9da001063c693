"""临清市人民医院 demo data: 6 branches, 210 members and what the article counts in 2016 (seeds/003).

Everything is keyed by codes, names and fixed dates, so loading twice changes nothing.
People are synthetic; three of the 19 health centres have invented names.
"""

from __future__ import annotations

import datetime as dt

from .elements import BRANDS

REGION = "371581"
HOSPITAL = "临清市人民医院"
PERIOD_START = dt.date(2016, 1, 1)
ADMITTED_BEFORE = PERIOD_START - dt.timedelta(days=366)  # full members: admitted a year before

REGIONS = (
    ("370000", "山东省", "province", None),
    ("371500", "聊城市", "city", "370000"),
    ("371581", "临清市", "county", "371500"),
)
# the 19 township health centres in medical cooperation: 16 towns and streets of 临清, 3 invented
# fmt: off
TOWNSHIPS = (
    "松林镇", "老赵庄镇", "康庄镇", "魏湾镇", "刘垓子镇", "八岔路镇", "潘庄镇", "烟店镇", "唐园镇", "金郝庄镇",
    "戴湾镇", "尚店镇", "大辛庄街道", "青年路街道", "新华路街道", "先锋路街道", "城东", "城西", "城南",
)
# fmt: on
CENTRES = tuple(f"临清市{name}卫生院" for name in TOWNSHIPS)

# code, name, department, members, of whom probationary (admitted in 2016): 210 in all
BRANCHES = (
    ("LC-NK", "内科党支部", "内科", 45, 2),
    ("LC-WK", "外科党支部", "外科", 42, 2),
    ("LC-YJ", "医技党支部", "医技科室", 33, 1),
    ("LC-HL", "护理党支部", "护理部", 40, 2),
    ("LC-XZ", "行政党支部", "行政后勤", 30, 1),
    ("LC-LT", "离退休党支部", None, 20, 0),
)
STUDY_SESSIONS = {"LC-NK": 11, "LC-WK": 11, "LC-YJ": 10, "LC-HL": 10, "LC-XZ": 10, "LC-LT": 10}  # 62: 「60余次」
LECTURE_TOPICS = (
    "学党章党规，做合格党员",
    "学习系列讲话精神",
    "坚定理想信念",
    "强化政治意识",
    "强化大局意识",
    "强化核心意识",
    "强化看齐意识",
    "《中国共产党廉洁自律准则》解读",
    "中央八项规定精神",
    "民主集中制与党委议事规则",
    "医德医风与“九不准”",
    "以党建促医院发展",
)
SEMINAR_TOPICS = (
    "坚定理想信念",
    "强化四种意识",
    "学用结合、边学边改",
    "医德医风建设",
    "分级诊疗与医疗协作",
    "精准扶贫",
)
# organisation, problem, source, found, deadline, closed on (None: still open), measures
PROBLEMS = (
    (
        "LC-XZ",
        "医院职工带熟人插队加塞、挂人情号",
        "public_feedback",
        dt.date(2016, 3, 10),
        dt.date(2016, 6, 30),
        dt.date(2016, 6, 15),
        "增设无节假日门诊、错时门诊和夏季夜间门诊，开展门诊“三增一禁”活动",
    ),
    (
        "LC-NK",
        "医疗卫生人员收受“红包”、回扣、开单提成等行风问题",
        "inspection",
        dt.date(2016, 2, 20),
        dt.date(2016, 9, 30),
        dt.date(2016, 8, 31),
        "落实“九不准”，与临床医师签订廉洁行医协议书",
    ),
    (
        "LC-LT",
        "年老体弱党员难以参加集中学习",
        "self_check",
        dt.date(2016, 4, 12),
        dt.date(2016, 6, 30),
        dt.date(2016, 5, 20),
        "制定助学人员名单，开展送学上门",
    ),
    ("LC-YJ", "部分支部“两学一做”学习记录不规范", "inspection", dt.date(2016, 11, 15), dt.date(2017, 1, 31), None, ""),
    (
        "LC-HL",
        "“党建网”、易信党建平台使用率不高",
        "self_check",
        dt.date(2016, 12, 5),
        dt.date(2017, 3, 31),
        None,
        "逐支部开展平台使用培训",
    ),
)
CLINICS = (
    (dt.datetime(2016, 3, 5, 8, 30), "关爱在身边：敬老院健康知识教育与义诊", "临清市社会福利中心敬老院", 86),
    (dt.datetime(2016, 5, 14, 8, 30), "义诊教育送健康：下乡健康宣教", "松林镇农村社区", 152),
    (dt.datetime(2016, 8, 20, 8, 30), "免费健康查体进农村社区", "魏湾镇农村社区", 178),
    (dt.datetime(2016, 10, 15, 8, 30), "关爱在身边：重阳节敬老院义诊", "临清市社会福利中心敬老院", 94),
)


def load(demo) -> None:
    for code, name, level, parent in REGIONS:
        demo.region(code, name, level, parent)
    demo.institution(HOSPITAL, "county_hospital", REGION)
    for name in CENTRES:
        demo.institution(name, "township_centre", REGION)
    demo.community("临清市人民医院医疗协作体", "consortium", REGION, HOSPITAL, list(CENTRES))
    demo.organisation("LC", "临清市人民医院党委", "committee", REGION, institution=HOSPITAL, report_code="371581-RMYY")
    people = {}
    for index, (code, name, department, size, probationary) in enumerate(BRANCHES):
        demo.organisation(code, name, "branch", REGION, parent="LC", institution=HOSPITAL, department=department)
        full, joined = size - probationary, dt.date(2016, 6 + index, 28)
        people[code] = demo.members(code, full, admitted_before=ADMITTED_BEFORE)
        people[code] += demo.members(code, probationary, probationary=probationary, joined_on=joined, start=full)
        demo.seat(code, people[code][0], "secretary")
    for spec in BRANDS:
        demo.brand(spec.name, spec.organisation_code, spec.description, spec.launched_on)
    demo.volunteer_team("天翼男护志愿服务队", "LC-HL", 12, brand="天翼男护")
    _two_studies_one_action(demo, people)
    _patients_voice(demo)
    for code, problem, source, found, deadline, closed, measures in PROBLEMS:
        status = "closed" if closed else ("in_progress" if measures else "open")
        demo.rectification(
            code,
            problem,
            source,
            found,
            deadline,
            status=status,
            closed_on=closed,
            measures=measures,
            responsible=people[code][0],
        )
    for starts_at, title, place, served in CLINICS:
        demo.activity(
            "LC-NK",
            "FREE_CLINIC",
            title,
            starts_at,
            people_served=served,
            volunteer_hours=24,
            brand="做群众的贴心人",
            attendees=8,
            place=place,
        )
    demo.honor("LC-NK", "先进基层党组织", "city", "中共聊城市委", dt.date(2016, 6, 30))
    demo.report("2016")  # the period of the article's figures


def _two_studies_one_action(demo, people) -> None:
    """「两学一做」 in 2016: 12 leader lectures, 62 study sessions, 6 member lectures, 6 seminars."""
    secretaries = [rows[0] for rows in people.values()]
    delegates = [member for rows in people.values() for member in rows[:3]]
    for month, topic in enumerate(LECTURE_TOPICS, start=1):
        lecture = demo.activity(
            "LC", "LC_LEADER_LECTURE", f"院领导讲党课：{topic}", dt.datetime(2016, month, 26, 15, 0), place="医院会议室"
        )
        demo.attend(lecture, delegates)
    for offset, (code, sessions) in enumerate(STUDY_SESSIONS.items()):
        for number in range(sessions):
            day = dt.date(2016, 1, 8 + offset) + dt.timedelta(days=33 * number)
            demo.activity(
                code,
                "LC_STUDY_SESSION",
                f"「两学一做」集中学习讨论（第{number + 1}次）",
                dt.datetime.combine(day, dt.time(16, 30)),
                attendees=len(people[code]),
            )
    for index, (code, *_rest) in enumerate(BRANCHES):
        demo.activity(
            code,
            "LC_MEMBER_LECTURE",
            "「普通党员讲党课」",
            dt.datetime(2016, 7 + index % 6, 12, 16, 0),
            attendees=len(people[code]),
        )
    for index, topic in enumerate(SEMINAR_TOPICS):
        seminar = demo.activity("LC", "LC_SEMINAR", f"学习研讨：{topic}", dt.datetime(2016, 2 * index + 2, 18, 15, 0))
        demo.attend(seminar, secretaries)


def _patients_voice(demo) -> None:
    """医德医风: a patient satisfaction survey and a forum with patients' families every quarter."""
    for quarter in range(4):
        month = 3 * quarter + 3
        demo.activity(
            "LC-XZ",
            "LC_SATISFACTION_SURVEY",
            f"2016年第{quarter + 1}季度患者满意度调查",
            dt.datetime(2016, month, 20, 9, 0),
            extra_figures={"surveyed": 300 + 20 * quarter, "satisfied_pct": 95.5 + 0.5 * quarter},
        )
        demo.activity(
            "LC-XZ",
            "LC_FAMILY_FORUM",
            f"2016年第{quarter + 1}季度陪属座谈会",
            dt.datetime(2016, month, 24, 15, 0),
            attendees=5,
            place="住院部会议室",
        )
