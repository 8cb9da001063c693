"""The settings and schedules every region plugin declares, so plugins need not copy them."""

from __future__ import annotations

from pbadmin.plugins.specs import ScheduleSpec, SettingSpec

MONTHLY_CRON = "0 2 1 * *"


def standard_settings(monthly_cron: str = MONTHLY_CRON) -> list[SettingSpec]:
    """Approval before reporting, and when the monthly report is built and pushed."""
    return [
        SettingSpec("require_approval", "bool", default=True, description="报送前需区域管理员审核"),
        SettingSpec("monthly_cron", "cron", default=monthly_cron, description="月报生成并报送省平台的时间（cron）"),
    ]


def standard_schedules(name: str, monthly_cron: str = MONTHLY_CRON) -> list[ScheduleSpec]:
    """Monthly, quarterly and yearly reports to the provincial platform, and the daily catalogue pull."""
    return [
        ScheduleSpec(f"{name}:monthly", monthly_cron, "build_and_push:PB_MONTHLY", "每月1日生成并报送上月月报"),
        ScheduleSpec(f"{name}:quarterly", "0 3 1 1,4,7,10 *", "build_and_push:PB_QUARTERLY", "每季度首日报送上季度"),
        ScheduleSpec(f"{name}:yearly", "0 4 1 1 *", "build_and_push:PB_YEARLY", "每年1月1日报送上年年报"),
        ScheduleSpec(f"{name}:catalogue", "30 1 * * *", "pull_catalogue", "每日拉取省平台数据元与组织机构目录"),
    ]
