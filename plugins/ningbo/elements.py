"""What ningbo declares: its province's data elements, its activity types and its brands."""

from __future__ import annotations

import datetime as dt

from pbadmin.toolkit import ActivityTypeSpec, BrandSpec, DataElementSpec, FigureSpec, measures

#: the elements 浙江省 issued for 宁波市医疗中心李惠利医院 (provincial-api.md, region table)
DATA_ELEMENTS = (
    DataElementSpec("NB_ALLIANCES", "党建联盟数", "stock", "与基层医院签约的党建联盟", measure=measures.alliances()),
    DataElementSpec(
        "NB_TRUSTEESHIP_HOSPITALS", "托管医院数", "stock", measure=measures.community_members(kind="trusteeship")
    ),
    DataElementSpec(
        "NB_CONSORTIUM_CENTRES", "医联体社区卫生院数", "stock", measure=measures.community_members(kind="consortium")
    ),
    DataElementSpec(
        "NB_BRANCH_BRANDS",
        "支部特色服务品牌数",
        "stock",
        "一支部一特色",
        measure=measures.brands(owner_kinds=measures.BRANCH_KINDS),
    ),
)

ACTIVITY_TYPES = (
    ActivityTypeSpec(
        "NB_DIALYSIS_AID",
        "腹透药互助",
        "service",
        extra_figures=(FigureSpec("donations", "赠送次数"), FigureSpec("patients", "帮助患者数")),
    ),
    ActivityTypeSpec("NB_FIRST_AID", "公众急救培训", "service"),
    ActivityTypeSpec("NB_CARDIO_COURSE", "心血管病协作课程", "service"),
    ActivityTypeSpec("NB_ONCOLOGY_CARE", "肿瘤科普与关怀", "service"),
    ActivityTypeSpec("NB_EXPERT_CLINIC", "专家工作室基层坐诊", "service"),
)

#: one branch, one brand (一支部一特色)
BRANDS = (
    BrandSpec("护跑家", "NB-HL", "护理党支部公益服务品牌"),
    BrandSpec("心团队", "NB-XN", "与县市医疗机构合作，以协作课程提升基层心血管疾病诊治水平"),
    BrandSpec(
        "腹透药互助",
        "NB-N6",
        "内六支部（肾内科）收集退出腹透治疗患者多余药液，把关后赠送经济困难患者",
        dt.date(2019, 5, 1),
    ),
    BrandSpec("惠利科爱", "NB-ZL", "针对肿瘤患者及家属的肿瘤科普知识和关怀活动"),
    BrandSpec("心能量", "NB-JZ", "急诊医疗团队组成、致力于急救知识传播的公益品牌"),
    BrandSpec("惠民利民服务队", "NB-MZ", "门诊党支部便民志愿服务"),
)
