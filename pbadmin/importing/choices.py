"""Closed values as users write them: the Chinese labels of ``models.choices``, the codes, common synonyms.

Rosters say 本科 or 大学本科, 预备 or 预备党员, 男 or 男性; each maps to one stored code. The
Chinese labels come from the catalogue itself, so a relabelled choice is accepted at once.
"""

from __future__ import annotations

from functools import lru_cache

from flask_babel import force_locale

from pbadmin.importing.problems import N_, Invalid
from pbadmin.importing.values import compact
from pbadmin.models.choices import EDUCATION_LEVELS, GENDERS, MEMBER_STATUSES, Choices

CHINESE = "zh_Hans_CN"

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "gender": {"male": ("男", "男性", "M"), "female": ("女", "女性", "F")},
    "education": {
        "postgraduate": ("研究生", "研究生及以上", "硕士", "硕士研究生", "博士", "博士研究生", "硕士及以上"),
        "bachelor": ("本科", "大学", "大学本科", "本科及以上"),
        "college": ("大专", "专科", "大学专科"),
        "secondary": ("中专", "高中", "中专/高中", "中专及以下", "高中及以下", "中专或高中", "中技", "职高"),
        "other": ("其他", "其它", "初中", "初中及以下", "小学"),
    },
    "status": {
        "full": ("正式党员", "正式"),
        "probationary": ("预备党员", "预备"),
        "transferred": ("已转出", "转出"),
        "suspended": ("停止党籍",),
        "deceased": ("已去世", "去世", "死亡"),
    },
}

CHOICES: dict[str, Choices] = {"gender": GENDERS, "education": EDUCATION_LEVELS, "status": MEMBER_STATUSES}


def chinese_labels(name: str) -> list[str]:
    """The Chinese labels of a closed set, in its order (for templates and messages)."""
    with force_locale(CHINESE):
        return [str(label) for _, label in CHOICES[name].pairs]


@lru_cache(maxsize=8)
def _aliases(name: str) -> dict[str, str]:
    choices = CHOICES[name]
    aliases: dict[str, str] = {}
    for code, label in choices.pairs:
        for locale in ("en", CHINESE):
            with force_locale(locale):
                aliases[compact(str(label)).lower()] = code
        aliases[code.lower()] = code
    for code, words in SYNONYMS.get(name, {}).items():
        for word in words:
            aliases[compact(word).lower()] = code
    return aliases


def parse_choice(name: str, value: object) -> str:
    """The stored code for what the user wrote, or Invalid listing what may be written."""
    code = _aliases(name).get(compact(value).lower())
    if code is None:
        raise Invalid(N_("unknown value; write one of: %(allowed)s"), allowed="、".join(chinese_labels(name)))
    return code
