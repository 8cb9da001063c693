"""新都区 demo data: three comprehensive committees and what the article counts in 2021 (seeds/001).

Everything is keyed by codes, names and fixed dates, so loading twice changes nothing.
People are synthetic; township and community units the article does not name are invented.
"""

from __future__ import annotations

import datetime as dt

from .elements import BRANDS, FOUNDED

REGION = "510114"
PERIOD_START = dt.date(2021, 1, 1)
ADMITTED_BEFORE = PERIOD_START - dt.timedelta(days=366)  # full members: admitted a year before
MEMBERS_TOTAL = 1000  # 「覆盖党员近1000名」

REGIONS = (
    ("510000", "四川省", "province", None),
    ("510100", "成都市", "city", "510000"),
    ("510114", "新都区", "county", "510100"),
)

# fmt: off
# department branches (支部建在业务科室上): 17 + 16 + 16 = 49
RM_DEPTS = (
    ("NK", "内科"), ("WK", "外科"), ("FC", "妇产科"), ("EK", "儿科"), ("JZ", "急诊科"), ("ZZ", "重症医学科"),
    ("GK", "骨科"), ("SJ", "神经内科"), ("XN", "心血管内科"), ("HX", "呼吸与危重症医学科"), ("XH", "消化内科"),
    ("MZ", "麻醉科"), ("FS", "放射科"), ("JY", "检验科"), ("YJ", "药剂科"), ("HL", "护理部"), ("KF", "康复医学科"),
)
EY_DEPTS = (
    ("FC", "妇产科"), ("NK", "内科"), ("WK", "外科"), ("EK", "儿科"), ("JZ", "急诊科"), ("GK", "骨科"),
    ("ZZ", "重症医学科"), ("XN", "心血管内科"), ("HX", "呼吸内科"), ("SN", "肾内科"), ("NF", "内分泌科"),
    ("YK", "眼科"), ("EB", "耳鼻喉科"), ("KQ", "口腔科"), ("FS", "医学影像科"), ("JY", "检验科"),
)
ZY_DEPTS = (
    ("ZK", "针灸科"), ("TN", "推拿科"), ("KF", "康复科"), ("GS", "骨伤科"), ("PW", "脾胃病科"), ("XB", "心病科"),
    ("NB", "脑病科"), ("FB", "肺病科"), ("SB", "肾病科"), ("FK", "妇科"), ("EK", "儿科"), ("WK", "外科"),
    ("ZZ", "重症医学科"), ("JZ", "急诊科"), ("ZW", "治未病中心"), ("YJ", "药剂科"),
)
# member units of each community (9 + 9 + 9 = 27); the 「第N社区卫生服务站」 are invented
RM_UNITS = (
    ("DF", "大丰街道社区卫生服务中心"), ("XD", "新都街道社区卫生服务中心"), ("SH", "三河街道社区卫生服务中心"),
    ("GH", "桂湖街道社区卫生服务中心"), ("DF1", "大丰街道第一社区卫生服务站"),
    ("DF2", "大丰街道第二社区卫生服务站"), ("XD1", "新都街道第一社区卫生服务站"),
    ("SH1", "三河街道第一社区卫生服务站"), ("GH1", "桂湖街道第一社区卫生服务站"),
)
EY_UNITS = (
    ("XF", "新繁中心卫生院"), ("QL", "清流镇卫生院"), ("JT", "军屯镇卫生院"), ("XM", "新民镇卫生院"),
    ("TX", "泰兴镇卫生院"), ("XF1", "新繁街道第一社区卫生服务站"), ("XF2", "新繁街道第二社区卫生服务站"),
    ("QL1", "清流镇第一社区卫生服务站"), ("JT1", "军屯镇第一社区卫生服务站"),
)
ZY_UNITS = (
    ("SBT", "石板滩街道社区卫生服务中心"), ("BZY", "斑竹园街道社区卫生服务中心"), ("ML", "木兰镇卫生院"),
    ("MJ", "马家镇卫生院"), ("LQ", "龙桥镇卫生院"), ("SBT1", "石板滩街道第一社区卫生服务站"),
    ("BZY1", "斑竹园街道第一社区卫生服务站"), ("ML1", "木兰镇第一社区卫生服务站"), ("LQ1", "龙桥镇第一社区卫生服务站"),
)

# code, committee, lead institution, lead kind, report code, community, branch prefix, depts, units, deputies
COMMITTEES = (
    ("XD-RM", "区人民医院医共体综合党委", "新都区人民医院", "county_hospital", "510114-RM",
     "新都区人民医院医共体", "区人民医院", RM_DEPTS, RM_UNITS, 2),
    ("XD-EY", "区第二人民医院片区医共体综合党委", "新都区第二人民医院", "county_hospital", "510114-EY",
     "新都区第二人民医院片区医共体", "二医院", EY_DEPTS, EY_UNITS, 1),
    ("XD-ZY", "区中医医院医共体综合党委", "新都区中医医院", "tcm_hospital", "510114-ZY",
     "新都区中医医院医共体", "区中医医院", ZY_DEPTS, ZY_UNITS, 2),
)
# fmt: on
MEETING_DAYS = ((3, 25), (6, 24), (9, 23), (12, 23))  # the quarterly 党建联席会议

# raised at a joint meeting (quarter index), the measures taken, days until closed: all closed in 2021
RECTIFICATIONS = {
    "XD-EY": (
        (
            0,
            "成员单位招聘医护人员困难，收到的优质简历少",
            "二医院用自身宣传平台以医共体名义发布招聘广告，已招聘到理想的医护人员",
            56,
        ),
        (
            1,
            "新繁中心卫生院妇产科医疗设备操作不熟练、医护人员经验不足",
            "二医院妇产科党支部签订结对帮扶责任书，每月下沉筛查带教",
            30,
        ),
        (2, "成员单位党员线上学习参与率不高", "开展“线上+线下党员联学”，每季度通报学习情况", 45),
    ),
    "XD-RM": (
        (0, "社区卫生服务中心慢病随访数据与牵头医院不互通", "牵头医院开放随访平台，成员单位统一接入", 70),
        (2, "成员单位检验标本转运不及时", "建立医共体检验标本每日集中转运机制", 40),
    ),
    "XD-ZY": (
        (1, "成员单位中医适宜技术推广不足", "针灸科、推拿科党支部轮流下沉带教", 60),
        (3, "部分成员单位主题党日活动形式单一", "制定各单位轮流开展义诊、急救培训主题党日计划", 5),
    ),
}

# helper branch, helped branch, letter signed, goals, what each monthly report says
PAIRINGS = (
    (
        "XD-EY-FC",
        "XD-EY-XF",
        dt.date(2020, 12, 28),
        "每月对新繁中心卫生院高危孕产妇进行筛查，做好孕期保健；向其医护人员提供专业技术和理论知识教学",
        "高危孕产妇筛查、孕期保健与设备操作带教",
    ),
    ("XD-RM-NK", "XD-RM-DF", dt.date(2021, 1, 8), "慢病管理与家庭医生签约服务带教", "慢病随访与签约服务带教"),
    ("XD-ZY-ZK", "XD-ZY-ML", dt.date(2021, 1, 12), "中医适宜技术推广与针灸带教", "针灸、推拿适宜技术带教"),
)


def load(demo) -> None:
    for code, name, level, parent in REGIONS:
        demo.region(code, name, level, parent)
    demo.institution("新都区卫生健康局", "bureau", REGION)
    demo.organisation(
        "XD", "新都区卫生健康局党委", "committee", REGION, institution="新都区卫生健康局", report_code="510114-WJ"
    )
    branches = _branches(demo)
    people = _people(demo, branches)
    for spec in BRANDS:
        demo.brand(spec.name, spec.organisation_code, spec.description, spec.launched_on)
    for k, committee in enumerate(COMMITTEES):
        seats = _committee_seats(demo, committee, people)
        _meetings(demo, k, committee, seats)
        _theme_days(demo, k, committee, people)
    for helper, helped, signed, goals, topic in PAIRINGS:
        demo.pairing(
            helper,
            helped,
            started_on=dt.date(2021, 1, 1),
            letter_signed_on=signed,
            goals=goals,
            reports={202100 + m: f"2021年{m}月：{topic}，按责任书完成当月帮扶任务" for m in range(1, 13)},
        )
    demo.report("2021")  # the period of the article's figures


def _branches(demo) -> list[tuple[str, str]]:
    """Institutions, communities, the three committees and their 49 + 27 branches: [(code, committee)]."""
    branches = []
    index = 0
    for code, name, lead, kind, report, community, prefix, depts, units, _ in COMMITTEES:
        demo.institution(lead, kind, REGION)
        for _, unit in units:
            demo.institution(unit, "township_centre" if unit.endswith("卫生院") else "community_centre", REGION)
        unit_names = [unit for _, unit in units]
        demo.community(community, "county_community", REGION, lead, unit_names, founded_on=dt.date(2019, 12, 1))
        demo.organisation(
            code,
            name,
            "comprehensive_committee",
            REGION,
            parent="XD",
            institution=lead,
            report_code=report,
            founded_on=FOUNDED,
        )
        for abbr, department in depts:  # new department branches, set up from 2020-09 on
            demo.organisation(
                f"{code}-{abbr}",
                f"{prefix}{department}党支部",
                "branch",
                REGION,
                parent=code,
                institution=lead,
                department=department,
                founded_on=dt.date(2020, 9, 1) + dt.timedelta(days=7 * index),
            )
            branches.append((f"{code}-{abbr}", code))
            index += 1
        for abbr, unit in units:
            demo.organisation(f"{code}-{abbr}", f"{unit}党支部", "branch", REGION, parent=code, institution=unit)
            branches.append((f"{code}-{abbr}", code))
    return branches


def _people(demo, branches) -> dict:
    """Exactly 1,000 members over the 76 branches; every fourth branch admitted one in 2021."""
    base, extra = divmod(MEMBERS_TOTAL, len(branches))
    people = {}
    for index, (code, _) in enumerate(branches):
        size = base + (1 if index < extra else 0)
        probationary = 1 if index % 4 == 0 else 0
        joined = dt.date(2021, 3 + index % 9, 15)
        full = size - probationary
        people[code] = demo.members(code, full, admitted_before=ADMITTED_BEFORE)
        people[code] += demo.members(code, probationary, probationary=probationary, joined_on=joined, start=full)
    return people


def _committee_seats(demo, committee, people) -> list:
    """The lead unit's secretary chairs, 1–2 deputies, the member units' branch heads sit on it."""
    code, *_, depts, units, deputies = committee
    chair = people[f"{code}-{depts[0][0]}"][0]
    seats = [(chair, "secretary")]
    seats += [(people[f"{code}-{abbr}"][0], "deputy_secretary") for abbr, _ in depts[1 : 1 + deputies]]
    seats += [(people[f"{code}-{abbr}"][0], "member") for abbr, _ in units]
    for member, role in seats:
        demo.seat(code, member, role)
    return [member for member, _ in seats]


def _meetings(demo, k, committee, seats) -> None:
    """Four quarterly joint meetings in 2021 and the problems they raised, all rectified."""
    code, _, lead, *_ = committee
    dates = [dt.date(2021, month, day + k) for month, day in MEETING_DAYS]
    for quarter, day in enumerate(dates, start=1):
        meeting = demo.activity(
            code,
            "XD_JOINT_MEETING",
            f"2021年第{quarter}季度党建联席会议",
            dt.datetime.combine(day, dt.time(14, 30)),
            place=lead,
        )
        demo.attend(meeting, seats)
    for quarter, problem, measures, days in RECTIFICATIONS[code]:
        found = dates[quarter]
        demo.rectification(
            code,
            problem,
            "joint_meeting",
            found,
            found + dt.timedelta(days=60),
            status="closed",
            closed_on=found + dt.timedelta(days=days),
            measures=measures,
        )


def _theme_days(demo, k, committee, people) -> None:
    """Units take turns hosting free clinics and first-aid trainings; joint study every other month."""
    code, *_, units, _ = committee
    for month in range(1, 13):
        host = f"{code}-{units[(month - 1) % len(units)][0]}"
        kind, label = ("XD_FREE_CLINIC_DAY", "义诊") if month % 2 else ("XD_FIRST_AID_DAY", "急救知识培训")
        demo.activity(
            host,
            kind,
            f"2021年{month}月{label}主题党日",
            dt.datetime(2021, month, 15 + k, 9, 0),
            people_served=40 + (month * 7 + k * 11) % 50,
            volunteer_hours=12 + month % 4,
            attendees=5,
            place=units[(month - 1) % len(units)][1],
        )
    learners = [rows[0] for branch, rows in people.items() if branch.startswith(f"{code}-")]
    for month in range(2, 13, 2):
        study = demo.activity(
            code,
            "XD_JOINT_STUDY",
            f"2021年{month}月线上+线下党员联学",
            dt.datetime(2021, month, 8 + k, 19, 0),
            brand="片区联学" if code == "XD-EY" else None,
        )
        demo.attend(study, learners)
