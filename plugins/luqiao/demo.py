"""路桥区 demo data: the 党工委 tree and what the article counts in May 2018 (seeds/000).

Everything is keyed by codes, names and fixed dates, so loading twice changes nothing.
People are synthetic.
"""

from __future__ import annotations

import datetime as dt

from .elements import BRANDS

REGION = "331004"
PERIOD_START = dt.date(2018, 5, 1)
ADMITTED_BEFORE = PERIOD_START - dt.timedelta(days=366)  # full members: admitted a year before
FUND = "杏林帮扶爱心基金"
SERVED_TOTAL = 6280  # 「健康路桥行」: people served from 2017-07 to 2018-05

REGIONS = (
    ("330000", "浙江省", "province", None),
    ("331000", "台州市", "city", "330000"),
    ("331004", "路桥区", "county", "331000"),
)

# name, kind, short name used in venue names
INSTITUTIONS = (
    ("路桥区卫生健康局", "bureau", "卫健机关"),
    ("路桥区中医院", "tcm_hospital", "区中医院"),
    ("路桥区第二人民医院", "county_hospital", "区二院"),
    ("路桥区第三人民医院", "county_hospital", "区三院"),
    ("蓬街镇卫生院", "township_centre", "蓬街"),
    ("金清镇卫生院", "township_centre", "金清"),
    ("横街镇卫生院", "township_centre", "横街"),
    ("新桥镇卫生院", "township_centre", "新桥"),
    ("螺洋街道社区卫生服务中心", "community_centre", "螺洋"),
    ("路南街道社区卫生服务中心", "community_centre", "路南"),
    ("路北街道社区卫生服务中心", "community_centre", "路北"),
    ("路桥博爱医院", "general_hospital", "博爱医院"),
    ("路桥民营康复医院", "private_hospital", "民营康复医院"),
)
SHORT = {name: short for name, _, short in INSTITUTIONS}

COMMUNITIES = (
    ("路桥区中医院医共体", "路桥区中医院", ("蓬街镇卫生院", "金清镇卫生院", "螺洋街道社区卫生服务中心")),
    ("路桥区第二人民医院医共体", "路桥区第二人民医院", ("路南街道社区卫生服务中心", "路北街道社区卫生服务中心")),
    ("路桥区第三人民医院医共体", "路桥区第三人民医院", ("横街镇卫生院", "新桥镇卫生院")),
)

# the 6 second-level committees under the 党工委: code, name, institution, report code
COMMITTEES = (
    ("LQ-JG", "局机关直属党委", "路桥区卫生健康局", "331004-JG"),
    ("LQ-ZY", "区中医院医共体党委", "路桥区中医院", "331004-ZY"),
    ("LQ-EY", "区第二人民医院医共体党委", "路桥区第二人民医院", "331004-EY"),
    ("LQ-SY", "区第三人民医院医共体党委", "路桥区第三人民医院", "331004-SY"),
    ("LQ-BA", "博爱医院党委", "路桥博爱医院", "331004-BA"),
    ("LQ-MY", "民营医院党委", "路桥民营康复医院", "331004-MY"),
)

# code, name, parent, institution, department, members
BRANCHES = (
    ("LQ-JG-1", "局机关第一党支部", "LQ-JG", "路桥区卫生健康局", None, 12),
    ("LQ-ZY-NK", "区中医院内科党支部", "LQ-ZY", "路桥区中医院", "内科", 18),
    ("LQ-ZY-WK", "区中医院外科党支部", "LQ-ZY", "路桥区中医院", "外科", 15),
    ("LQ-ZY-PJ", "蓬街镇卫生院党支部", "LQ-ZY", "蓬街镇卫生院", None, 10),
    ("LQ-ZY-JQ", "金清镇卫生院党支部", "LQ-ZY", "金清镇卫生院", None, 9),
    ("LQ-ZY-LY", "螺洋街道社区卫生服务中心党支部", "LQ-ZY", "螺洋街道社区卫生服务中心", None, 8),
    ("LQ-EY-FC", "区二院妇产科党支部", "LQ-EY", "路桥区第二人民医院", "妇产科", 14),
    ("LQ-EY-NK", "区二院内科党支部", "LQ-EY", "路桥区第二人民医院", "内科", 13),
    ("LQ-EY-LN", "路南街道社区卫生服务中心党支部", "LQ-EY", "路南街道社区卫生服务中心", None, 8),
    ("LQ-EY-LB", "路北街道社区卫生服务中心党支部", "LQ-EY", "路北街道社区卫生服务中心", None, 7),
    ("LQ-SY-1", "区三院党支部", "LQ-SY", "路桥区第三人民医院", None, 16),
    ("LQ-SY-HJ", "横街镇卫生院党支部", "LQ-SY", "横街镇卫生院", None, 9),
    ("LQ-SY-XQ", "新桥镇卫生院党支部", "LQ-SY", "新桥镇卫生院", None, 8),
    ("LQ-BA-1", "博爱医院党支部", "LQ-BA", "路桥博爱医院", None, 12),
    ("LQ-MY-1", "民营康复医院党支部", "LQ-MY", "路桥民营康复医院", None, 6),
)
NEW_IN_MAY = ("LQ-ZY-NK", "LQ-SY-1")  # branches that admitted a member in May 2018
MODEL_POSTS = ("LQ-ZY-NK", "LQ-ZY-WK", "LQ-EY-FC", "LQ-EY-NK", "LQ-SY-1", "LQ-BA-1")  # 党员示范岗
TEN_YUAN_BRANCHES = ("LQ-ZY-NK", "LQ-SY-1", "LQ-SY-HJ", "LQ-SY-XQ")  # 「爱心十元捐」 in May 2018
JOINT_DAY_BRANCHES = ("LQ-SY-1", "LQ-SY-HJ", "LQ-SY-XQ")

# the 6 「健康路桥行」 teams: owning committee, name, headcount (504 in all)
TEAMS = (
    ("LQ-JG", "「健康路桥行」卫健机关党员志愿服务队", 60),
    ("LQ-ZY", "「健康路桥行」区中医院医共体党员志愿服务队", 120),
    ("LQ-EY", "「健康路桥行」区二院医共体党员志愿服务队", 98),
    ("LQ-SY", "「健康路桥行」区三院医共体党员志愿服务队", 110),
    ("LQ-BA", "「健康路桥行」博爱医院党员志愿服务队", 72),
    ("LQ-MY", "「健康路桥行」民营医院党员志愿服务队", 44),
)
SERVICE_MONTHS = tuple((2017 + (6 + i) // 12, (6 + i) % 12 + 1) for i in range(11))  # 2017-07 … 2018-05
PLACES = ("社区广场", "农贸市场", "敬老院", "中小学校", "村文化礼堂")
LEAD_HOSPITALS = ("路桥区中医院", "路桥区第二人民医院", "路桥区第三人民医院", "路桥博爱医院")
HEALTH_UNITS = tuple(name for name, kind, _ in INSTITUTIONS if kind not in ("bureau", "private_hospital"))


def load(demo) -> None:
    for code, name, level, parent in REGIONS:
        demo.region(code, name, level, parent)
    for name, kind, _ in INSTITUTIONS:
        demo.institution(name, kind, REGION)
    for name, lead, members in COMMUNITIES:
        demo.community(name, "county_community", REGION, lead, list(members), founded_on=dt.date(2017, 7, 1))
    people = _organisations(demo)
    for spec in BRANDS:
        demo.brand(spec.name, spec.organisation_code, spec.description, spec.launched_on)
    _venues(demo)
    _volunteering(demo, people)
    _may_2018(demo, people)
    demo.report("201805")  # the period of the article's figures


def _organisations(demo) -> dict:
    demo.organisation(
        "LQ",
        "路桥区卫生健康局党工委",
        "working_committee",
        REGION,
        institution="路桥区卫生健康局",
        report_code="331004-PBW",
    )
    for code, name, institution, report_code in COMMITTEES:
        demo.organisation(
            code, name, "committee", REGION, parent="LQ", institution=institution, report_code=report_code
        )
    people = {}
    for code, name, parent, institution, department, count in BRANCHES:
        demo.organisation(code, name, "branch", REGION, parent=parent, institution=institution, department=department)
        probationary = 1 if count >= 12 else 0
        joined = dt.date(2018, 5, 4) if code in NEW_IN_MAY else dt.date(2017, 11, 20)
        full = count - probationary
        people[code] = demo.members(code, full, admitted_before=ADMITTED_BEFORE)
        people[code] += demo.members(code, probationary, probationary=probationary, joined_on=joined, start=full)
        if code in MODEL_POSTS:
            demo.set(people[code][0], is_model_post=True)
    return people


def _venues(demo) -> None:
    home = {}
    for code, _, _, institution, _, _ in BRANCHES:
        home.setdefault(institution, code)
    rooms = [name for name, _, _ in INSTITUTIONS]  # 13 「红色杏林之家」, one per institution
    for index, institution in enumerate(rooms):
        demo.venue(
            f"「红色杏林之家」·{SHORT[institution]}",
            "activity_room",
            home[institution],
            institution,
            opened_on=dt.date(2017, 9, 1) + dt.timedelta(days=14 * index),
        )
    stations = [(f"杏林暖心驿站·{SHORT[name]}", name) for name in LEAD_HOSPITALS]
    for name in HEALTH_UNITS:  # 22 themed rooms: a 医务台 and a 书香角 in each of 11 health institutions
        stations += [(f"杏林暖心医务台·{SHORT[name]}", name), (f"杏林暖心书香角·{SHORT[name]}", name)]
    for index, (name, institution) in enumerate(stations):
        demo.venue(
            name,
            "station",
            home[institution],
            institution,
            opened_on=dt.date(2018, 1, 15) + dt.timedelta(days=3 * index),
        )


def _volunteering(demo, people) -> None:
    """The 6 teams and their monthly service: 6,280 people served from 2017-07 to 2018-05."""
    plan = {(t, m): 64 + (t * 23 + m * 37) % 61 for t in range(len(TEAMS)) for m in range(len(SERVICE_MONTHS))}
    plan[(len(TEAMS) - 1, len(SERVICE_MONTHS) - 1)] += SERVED_TOTAL - sum(plan.values())
    for t, (org, name, headcount) in enumerate(TEAMS):
        demo.volunteer_team(name, org, headcount, brand="杏林暖心", founded_on=dt.date(2017, 7, 1))
        volunteers = [rows[0] for code, rows in people.items() if _parent(code) == org]
        for m, (year, month) in enumerate(SERVICE_MONTHS):
            activity = demo.activity(
                org,
                "LQ_VOLUNTEER",
                f"「健康路桥行」{year}年{month}月志愿服务",
                dt.datetime(year, month, 6 + 3 * t, 8, 30),
                people_served=plan[(t, m)],
                volunteer_hours=2.0 * (8 + (t + m) % 5),
                brand="杏林暖心",
                place=PLACES[(t + m) % len(PLACES)],
            )
            demo.attend(activity, volunteers)


def _may_2018(demo, people) -> None:
    """The month's meetings, the joint themed day, the model lesson, the ten-yuan donations and a pairing."""
    for index, (code, *_rest) in enumerate(BRANCHES):
        count = len(people[code])
        demo.activity(
            code,
            "SHYK_COMMITTEE",
            "2018年5月支委会",
            dt.datetime(2018, 5, 7 + index % 5, 16, 0),
            attendees=min(5, count),
        )
        demo.activity(
            code, "SHYK_GROUP", "2018年5月党小组会", dt.datetime(2018, 5, 14 + index % 5, 16, 0), attendees=count
        )
    joint = demo.activity(
        "LQ-SY",
        "THEME_DAY",
        "“清风正气弘扬法治，开放包容彰显国威”主题党日活动",
        dt.datetime(2018, 5, 8, 14, 30),
        brand="杏林清风",
        place="区第三人民医院",
    )
    demo.attend(joint, [member for code in JOINT_DAY_BRANCHES for member in people[code]])
    demo.activity(
        "LQ-ZY-NK",
        "LQ_MODEL_LESSON",
        "党员示范课：中医适宜技术规范化操作",
        dt.datetime(2018, 5, 15, 15, 0),
        brand="杏林灯塔计划",
        attendees=10,
    )
    demo.activity(
        "LQ",
        "LQ_INTEGRITY",
        "「杏林清风」医德医风警示教育",
        dt.datetime(2018, 5, 24, 14, 30),
        brand="杏林清风",
        place="区卫生健康局",
    )
    for code in TEN_YUAN_BRANCHES:
        for member in people[code]:
            demo.donation(code, 201805, 10, FUND, member=member, note="爱心十元捐")
    demo.pairing(
        "LQ-SY-1",
        "LQ-SY-XQ",
        started_on=dt.date(2018, 1, 1),
        letter_signed_on=dt.date(2017, 12, 28),
        goals="杏林共建：区三院党支部帮扶新桥镇卫生院党支部规范三会一课、共享专家门诊",
        reports={201800 + m: f"2018年{m}月：联合开展组织生活与专家下沉坐诊" for m in range(1, 6)},
    )


# --- helpers -------------------------------------------------------------------------------------


def _parent(code: str) -> str:
    return next(parent for branch, _, parent, *_ in BRANCHES if branch == code)
