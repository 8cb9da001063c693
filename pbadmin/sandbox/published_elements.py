"""The province's own copy of the data element catalogue (docs/gateway-contract.md, "Data element catalogue").

The sandbox plays the province, so it does not ask pbadmin what exists: it keeps the catalogue the
contract publishes, and a test checks this copy against the contract's tables. Region elements are
kept by the GB/T 2260 code of the region they were issued for; a profile publishes those of the
regions under its ``province_prefix`` (pbadmin.sync.profiles), dhis2 (prefix "") every region's.
"""

from __future__ import annotations

from pbadmin.sync.profiles import profile_spec

VALUE_TYPE = "NUMBER"

CORE_ELEMENTS: dict[str, str] = {
    "PB_BRANCHES": "党支部数 (incl. temporary)",
    "PB_COMMITTEES": "党委/综合党委/党总支数",
    "PB_MEMBERS": "党员数 (正式 + 预备)",
    "PB_MEMBERS_PROBATIONARY": "预备党员数",
    "PB_MEMBERS_JOINED": "新发展党员数",
    "PB_ACTIVITIES": "开展活动次数",
    "PB_ATTENDANCE": "参加活动人次",
    "PB_SERVED": "服务群众人次",
    "PB_VOLUNTEER_HOURS": "志愿服务时长 (小时)",
    "PB_SHYK_GENERAL": "支部党员大会次数",
    "PB_SHYK_COMMITTEE": "支委会次数",
    "PB_SHYK_GROUP": "党小组会次数",
    "PB_SHYK_LECTURE": "党课次数",
    "PB_THEME_DAYS": "主题党日次数",
    "PB_SHYK_COMPLIANT": "三会一课达标支部数",
    "PB_BRANDS": "党建品牌数",
    "PB_VENUES": "党建阵地数",
    "PB_PAIRINGS": "结对帮扶对数",
    "PB_PAIRING_REPORTS": "结对帮扶月报份数",
    "PB_RECTIFY_OPEN": "未完成整改问题数",
    "PB_RECTIFY_CLOSED": "本期完成整改问题数",
    "PB_DONATIONS_YUAN": "爱心捐款金额 (元)",
}

REGION_ELEMENTS: dict[str, dict[str, str]] = {
    "331004": {  # luqiao, 浙江省台州市路桥区
        "LQ_SECOND_COMMITTEES": "二级党委数",
        "LQ_XINGLIN_HOMES": "「红色杏林之家」党员活动室数",
        "LQ_VOLUNTEER_TEAMS": "「健康路桥行」党员志愿服务队数",
        "LQ_VOLUNTEERS": "志愿服务队队员数",
        "LQ_STATIONS": "「杏林暖心驿站」等阵地数",
    },
    "330200": {  # ningbo, 浙江省宁波市
        "NB_ALLIANCES": "党建联盟数",
        "NB_TRUSTEESHIP_HOSPITALS": "托管医院数",
        "NB_CONSORTIUM_CENTRES": "医联体社区卫生院数",
        "NB_BRANCH_BRANDS": "支部特色服务品牌数",
    },
    "510114": {  # xindu, 四川省成都市新都区
        "XD_COMPREHENSIVE_COMMITTEES": "医共体综合党委数",
        "XD_MEMBER_UNITS": "综合党委成员单位数",
        "XD_DEPT_BRANCHES": "业务科室党支部数",
        "XD_JOINT_MEETINGS": "党建联席会议次数",
    },
    "421000": {  # jingzhou, 湖北省荆州市
        "JZ_TEMP_BRANCHES": "临时党支部数",
        "JZ_SPECIALTY_ALLIANCES": "专科联盟数",
        "JZ_MDT_TEAMS": "MDT 团队数",
    },
    "371581": {  # linqing, 山东省临清市
        "LC_LEADER_LECTURES": "院领导讲党课次数",
        "LC_STUDY_SESSIONS": "集中学习讨论次数",
        "LC_MEMBER_LECTURES": "普通党员讲党课次数",
        "LC_PARTNER_CENTRES": "医疗协作乡镇卫生院数",
    },
}


def published_elements(profile: str) -> dict[str, str]:
    """code → Chinese name of every element the province publishes: the core ones, then its regions'."""
    prefix = profile_spec(profile).province_prefix
    published = dict(CORE_ELEMENTS)
    for region, elements in REGION_ELEMENTS.items():
        if region.startswith(prefix):
            published.update(elements)
    return published
