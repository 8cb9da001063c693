"""What jingzhou declares: its province's data elements, its activity types and its brands."""

from __future__ import annotations

from pbadmin.toolkit import ActivityTypeSpec, BrandSpec, DataElementSpec, measures

#: the elements 湖北省 issued for 荆州市第一人民医院 (provincial-api.md, region table)
DATA_ELEMENTS = (
    DataElementSpec(
        "JZ_TEMP_BRANCHES",
        "临时党支部数",
        "stock",
        "如疫情防控中成立的临时党支部",
        measure=measures.organisations(kinds=("temporary_branch",)),
    ),
    DataElementSpec(
        "JZ_SPECIALTY_ALLIANCES",
        "专科联盟数",
        "stock",
        "医院牵头的专科联盟",
        measure=measures.communities(kind="specialty_alliance"),
    ),
    # each MDT team works from an expert studio run by a branch
    DataElementSpec(
        "JZ_MDT_TEAMS",
        "MDT 团队数",
        "stock",
        "多学科诊疗团队",
        measure=measures.venues(kind="expert_studio", name_like="%MDT团队"),
    ),
)

ACTIVITY_TYPES = (
    ActivityTypeSpec("JZ_FIVE_ONES", "「五个一」主题党日", "theme_day"),
    ActivityTypeSpec("JZ_INTEGRITY", "清廉医院廉洁教育", "study"),
    ActivityTypeSpec("JZ_OUTREACH", "「323」攻坚下基层义诊筛查", "service"),
)

BRANDS = (
    BrandSpec("党旗增辉 一医为民", "JZ", "医院党委党建品牌：把党建工作融入业务、融入基层"),
    BrandSpec("「五个一」主题党日", "JZ-ZL", "肿瘤科党支部创新主题党日模式，带领党员深入基层、深入群众"),
    BrandSpec("心电一张网", "JZ-XZ", "心脏中心党支部依托国家胸痛中心，推动优质医疗资源下沉"),
    BrandSpec("海豚团队", "JZ-SJ", "神经诊疗中心党支部擦亮国家级高级卒中中心品牌"),
    BrandSpec("管道班", "JZ-PW", "普外科党支部 MDT 团队下基层、下乡镇开展技术帮扶"),
)
