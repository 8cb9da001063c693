"""Demo structure of the five seed regions (seeds/000–004): regions, institutions,
medical communities and organisation trees. People are generated, never taken from
the articles. Region plugins (issue 3) take these over and add the articles' figures.
"""
from __future__ import annotations

REGIONS = [
    # code, name, level, parent code
    ("330000", "浙江省", "province", None),
    ("331000", "台州市", "city", "330000"),
    ("331004", "路桥区", "county", "331000"),
    ("330200", "宁波市", "city", "330000"),
    ("510000", "四川省", "province", None),
    ("510100", "成都市", "city", "510000"),
    ("510114", "新都区", "county", "510100"),
    ("420000", "湖北省", "province", None),
    ("421000", "荆州市", "city", "420000"),
    ("370000", "山东省", "province", None),
    ("371500", "聊城市", "city", "370000"),
    ("371581", "临清市", "county", "371500"),
]

# Each region: institutions (name, kind), communities (name, kind, lead, [members]),
# organisations (code, name, kind, parent code, institution, department, report code).
DEMO = {
    "luqiao": {
        "region": "331004",
        "institutions": [
            ("路桥区卫生健康局", "bureau"),
            ("路桥区中医院", "tcm_hospital"),
            ("路桥区第二人民医院", "county_hospital"),
            ("路桥区第三人民医院", "county_hospital"),
            ("横街镇卫生院", "township_centre"),
            ("新桥镇卫生院", "township_centre"),
            ("蓬街镇卫生院", "township_centre"),
            ("路桥博爱医院", "general_hospital"),
            ("路桥民营康复医院", "private_hospital"),
        ],
        "communities": [
            ("路桥区中医院医共体", "county_community", "路桥区中医院", ["蓬街镇卫生院"]),
            ("路桥区第二人民医院医共体", "county_community", "路桥区第二人民医院", []),
            ("路桥区第三人民医院医共体", "county_community", "路桥区第三人民医院", ["横街镇卫生院", "新桥镇卫生院"]),
        ],
        "organisations": [
            ("LQ", "路桥区卫生健康局党工委", "working_committee", None, "路桥区卫生健康局", None, "331004-PBW"),
            ("LQ-JG", "局机关直属党委", "committee", "LQ", "路桥区卫生健康局", None, "331004-JG"),
            ("LQ-ZY", "区中医院医共体党委", "committee", "LQ", "路桥区中医院", None, "331004-ZY"),
            ("LQ-EY", "区第二人民医院医共体党委", "committee", "LQ", "路桥区第二人民医院", None, "331004-EY"),
            ("LQ-SY", "区第三人民医院医共体党委", "committee", "LQ", "路桥区第三人民医院", None, "331004-SY"),
            ("LQ-BA", "博爱医院党委", "committee", "LQ", "路桥博爱医院", None, "331004-BA"),
            ("LQ-MY", "民营医院党委", "committee", "LQ", "路桥民营康复医院", None, "331004-MY"),
            ("LQ-JG-1", "局机关第一党支部", "branch", "LQ-JG", "路桥区卫生健康局", None, None),
            ("LQ-ZY-NK", "区中医院内科党支部", "branch", "LQ-ZY", "路桥区中医院", "内科", None),
            ("LQ-ZY-PJ", "蓬街镇卫生院党支部", "branch", "LQ-ZY", "蓬街镇卫生院", None, None),
            ("LQ-EY-FC", "区二院妇产科党支部", "branch", "LQ-EY", "路桥区第二人民医院", "妇产科", None),
            ("LQ-SY-1", "区三院党支部", "branch", "LQ-SY", "路桥区第三人民医院", None, None),
            ("LQ-SY-HJ", "横街镇卫生院党支部", "branch", "LQ-SY", "横街镇卫生院", None, None),
            ("LQ-SY-XQ", "新桥镇卫生院党支部", "branch", "LQ-SY", "新桥镇卫生院", None, None),
            ("LQ-BA-1", "博爱医院党支部", "branch", "LQ-BA", "路桥博爱医院", None, None),
            ("LQ-MY-1", "民营康复医院党支部", "branch", "LQ-MY", "路桥民营康复医院", None, None),
        ],
    },
    "xindu": {
        "region": "510114",
        "institutions": [
            ("新都区卫生健康局", "bureau"),
            ("新都区人民医院", "county_hospital"),
            ("新都区第二人民医院", "county_hospital"),
            ("新都区中医医院", "tcm_hospital"),
            ("新繁中心卫生院", "township_centre"),
            ("大丰街道社区卫生服务中心", "community_centre"),
        ],
        "communities": [
            ("新都区人民医院医共体", "county_community", "新都区人民医院", ["大丰街道社区卫生服务中心"]),
            ("新都区第二人民医院片区医共体", "county_community", "新都区第二人民医院", ["新繁中心卫生院"]),
            ("新都区中医医院医共体", "county_community", "新都区中医医院", []),
        ],
        "organisations": [
            ("XD", "新都区卫生健康局党委", "committee", None, "新都区卫生健康局", None, "510114-WJ"),
            ("XD-RM", "区人民医院医共体综合党委", "comprehensive_committee", "XD", "新都区人民医院", None, "510114-RM"),
            ("XD-EY", "区第二人民医院片区医共体综合党委", "comprehensive_committee", "XD", "新都区第二人民医院", None, "510114-EY"),
            ("XD-ZY", "区中医医院医共体综合党委", "comprehensive_committee", "XD", "新都区中医医院", None, "510114-ZY"),
            ("XD-RM-NK", "区人民医院内科党支部", "branch", "XD-RM", "新都区人民医院", "内科", None),
            ("XD-RM-DF", "大丰街道社区卫生服务中心党支部", "branch", "XD-RM", "大丰街道社区卫生服务中心", None, None),
            ("XD-EY-FC", "二医院妇产科党支部", "branch", "XD-EY", "新都区第二人民医院", "妇产科", None),
            ("XD-EY-XF", "新繁中心卫生院党支部", "branch", "XD-EY", "新繁中心卫生院", None, None),
            ("XD-ZY-ZK", "区中医医院针灸科党支部", "branch", "XD-ZY", "新都区中医医院", "针灸科", None),
        ],
    },
    "jingzhou": {
        "region": "421000",
        "institutions": [("荆州市第一人民医院", "general_hospital"), ("荆州市胸科医院", "general_hospital")],
        "communities": [("荆州一医神经诊疗专科联盟", "specialty_alliance", "荆州市第一人民医院", ["荆州市胸科医院"])],
        "organisations": [
            ("JZ", "荆州市第一人民医院党委", "committee", None, "荆州市第一人民医院", None, "421000-JZYY"),
            ("JZ-ZL", "肿瘤科党支部", "branch", "JZ", "荆州市第一人民医院", "肿瘤科", None),
            ("JZ-XZ", "心脏中心党支部", "branch", "JZ", "荆州市第一人民医院", "心脏中心", None),
            ("JZ-PW", "普外科党支部", "branch", "JZ", "荆州市第一人民医院", "普外科", None),
            ("JZ-SJ", "神经诊疗中心党支部", "branch", "JZ", "荆州市第一人民医院", "神经诊疗中心", None),
            ("JZ-LS1", "集中收治临时党支部", "temporary_branch", "JZ", "荆州市胸科医院", None, None),
            ("JZ-LS2", "方舱医院临时党支部", "temporary_branch", "JZ", "荆州市第一人民医院", None, None),
        ],
    },
    "linqing": {
        "region": "371581",
        "institutions": [("临清市人民医院", "county_hospital"), ("临清市康庄镇卫生院", "township_centre")],
        "communities": [],
        "organisations": [
            ("LC", "临清市人民医院党委", "committee", None, "临清市人民医院", None, "371581-RMYY"),
            ("LC-NK", "内科党支部", "branch", "LC", "临清市人民医院", "内科", None),
            ("LC-WK", "外科党支部", "branch", "LC", "临清市人民医院", "外科", None),
            ("LC-YJ", "医技党支部", "branch", "LC", "临清市人民医院", "医技科室", None),
            ("LC-HL", "护理党支部", "branch", "LC", "临清市人民医院", "护理部", None),
            ("LC-XZ", "行政党支部", "branch", "LC", "临清市人民医院", "行政后勤", None),
            ("LC-LT", "离退休党支部", "branch", "LC", "临清市人民医院", None, None),
        ],
    },
    "ningbo": {
        "region": "330200",
        "institutions": [
            ("宁波市医疗中心李惠利医院", "general_hospital"),
            ("北仑区第三人民医院", "county_hospital"),
            ("余姚市中医医院", "tcm_hospital"),
            ("余姚市第四人民医院", "county_hospital"),
            ("宁海县第二医院", "county_hospital"),
            ("溪口医院", "county_hospital"),
            ("白鹤街道社区卫生服务中心", "community_centre"),
            ("明楼街道社区卫生服务中心", "community_centre"),
            ("东柳街道社区卫生服务中心", "community_centre"),
        ],
        "communities": [
            ("李惠利医院医联体", "consortium", "宁波市医疗中心李惠利医院",
             ["白鹤街道社区卫生服务中心", "明楼街道社区卫生服务中心", "东柳街道社区卫生服务中心"]),
            ("李惠利医院托管医院", "trusteeship", "宁波市医疗中心李惠利医院",
             ["北仑区第三人民医院", "余姚市中医医院", "余姚市第四人民医院", "宁海县第二医院", "溪口医院"]),
        ],
        "organisations": [
            ("NB", "宁波市医疗中心李惠利医院党委", "committee", None, "宁波市医疗中心李惠利医院", None, "330200-LHL"),
            ("NB-N6", "内六支部", "branch", "NB", "宁波市医疗中心李惠利医院", "肾内科", None),
            ("NB-XN", "心内科党支部", "branch", "NB", "宁波市医疗中心李惠利医院", "心血管内科", None),
            ("NB-ZL", "肿瘤科党支部", "branch", "NB", "宁波市医疗中心李惠利医院", "肿瘤科", None),
            ("NB-JZ", "急诊党支部", "branch", "NB", "宁波市医疗中心李惠利医院", "急诊科", None),
            ("NB-HL", "护理党支部", "branch", "NB", "宁波市医疗中心李惠利医院", "护理部", None),
        ],
    },
}

# 三会一课 and the themed party day: every region records these (core activity types).
CORE_ACTIVITY_TYPES = [
    ("SHYK_GENERAL", "支部党员大会", "shyk", "general"),
    ("SHYK_COMMITTEE", "支委会", "shyk", "committee"),
    ("SHYK_GROUP", "党小组会", "shyk", "group"),
    ("SHYK_LECTURE", "党课", "shyk", "lecture"),
    ("THEME_DAY", "主题党日", "theme_day", None),
    ("FREE_CLINIC", "义诊", "service", None),
    ("VOLUNTEER", "志愿服务", "service", None),
]

MEMBERS_PER_BRANCH = 4
