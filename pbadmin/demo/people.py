"""Synthetic people for demo data: invented names, valid-looking ID numbers, never real persons."""

from __future__ import annotations

import datetime as dt
import random

from pbadmin.security.pii import id_check_digit

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯健俊帆"
    "晨阳雪琳慧颖婷倩欣怡佳悦嘉豪博思远志宏海燕丹蕾"
)
ETHNICITIES = ("汉族",) * 18 + ("回族", "满族")
EDUCATION = ("postgraduate", "bachelor", "bachelor", "bachelor", "college", "secondary")


def synthetic_person(seed: str, region_code: str, index: int) -> dict:
    """A deterministic invented person: the same seed and index give the same person."""
    rng = random.Random(f"{seed}:{index}")
    gender = rng.choice(("male", "female"))
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 30))
    sequence = rng.randrange(0, 99) * 10 + rng.randrange(0, 5) * 2 + (1 if gender == "male" else 0)
    first17 = f"{region_code}{birth:%Y%m%d}{sequence:03d}"
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    admitted = birth + dt.timedelta(days=365 * rng.randrange(20, 30))
    return {
        "name": name,
        "gender": gender,
        "birth_date": birth,
        "ethnicity": rng.choice(ETHNICITIES),
        "education": rng.choice(EDUCATION),
        "id_number": first17 + id_check_digit(first17),
        "phone": f"1{rng.choice('3589')}{rng.randrange(0, 10**9):09d}",
        "admitted_on": admitted,
        "full_member_on": admitted + dt.timedelta(days=365),
    }
