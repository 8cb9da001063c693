"""Which 三会一课 rules a branch is held to: those of the enabled plugin whose region contains it.

A plugin serves a region (``PluginInfo.region_code``) and may override DOMAIN.md's rules with its
``shyk_rules`` hook. A branch follows the most specific enabled plugin whose region (or a region
above it) holds the branch; branches in no plugin's region follow the default rules. Plugins that
end up with the same rules share one ``RuleSet``, so the lists ask the database once per distinct
set of rules, not once per plugin or per branch.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, true

from pbadmin.extensions import db
from pbadmin.models import PartyOrganization, Region, region_tree
from pbadmin.plugins import enablement
from pbadmin.plugins.registry import PluginError
from pbadmin.reporting.compliance import DEFAULT_RULES
from pbadmin.reporting.metrics import shyk_rules_for
from pbadmin.reporting.rules import ShykRule

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RuleSet:
    """Rules, the plugins they come from (empty for the default), and the organisations they govern."""

    rules: tuple[ShykRule, ...]
    plugins: tuple[str, ...]
    #: SELECT of the organisation ids (inside the ids asked about) that follow these rules
    org_ids: Select


def _plugin_regions() -> list[tuple[str, str]]:
    """(plugin, region code) of every enabled, healthy plugin whose region exists, most specific first."""
    registry = enablement.registry()
    codes: dict[str, str] = {}
    for name in sorted(enablement.enabled_names()):
        record = registry.records.get(name)
        if record is not None and record.healthy and record.info is not None and record.info.region_code:
            codes[name] = record.info.region_code
    if not codes:
        return []
    closure = region_tree.table.c
    depth_of = dict(
        db.session.execute(
            select(Region.code, func.count(closure.ancestor_id))
            .join(region_tree.table, closure.descendant_id == Region.id)
            .where(Region.code.in_(set(codes.values())))
            .group_by(Region.code)
        ).all()
    )
    present = [(name, code) for name, code in codes.items() if code in depth_of]
    return sorted(present, key=lambda item: (-depth_of[item[1]], item[0]))


def _rules_of(plugin: str) -> tuple[ShykRule, ...]:
    """The plugin's rules; a plugin whose hook fails must not take the supervision pages down."""
    try:
        return tuple(shyk_rules_for(plugin))
    except (PluginError, TypeError) as exc:
        log.warning("plugin %s: shyk_rules failed (%s); its branches follow the default rules", plugin, exc)
        return DEFAULT_RULES


def rule_sets(org_ids) -> list[RuleSet]:
    """The organisations of ``org_ids`` (ids or a SELECT) split by the rules they follow, default first."""
    claimed = []  # region subtrees of more specific plugins, already given away
    conditions: dict[tuple[ShykRule, ...], list[tuple[str, ColumnElement[bool]]]] = {}
    for plugin, code in _plugin_regions():
        subtree = region_tree.subtree_ids(select(Region.id).where(Region.code == code))
        inside = and_(PartyOrganization.region_id.in_(subtree), *(~PartyOrganization.region_id.in_(c) for c in claimed))
        claimed.append(subtree)
        conditions.setdefault(_rules_of(plugin), []).append((plugin, inside))
    outside_every_plugin = and_(true(), *(~PartyOrganization.region_id.in_(c) for c in claimed))

    sets = []
    default = conditions.pop(DEFAULT_RULES, [])
    groups = [(DEFAULT_RULES, [("", outside_every_plugin), *default])]
    groups += list(conditions.items())
    for rules, members in groups:
        where = or_(false(), *(condition for _, condition in members))
        ids = select(PartyOrganization.id).where(PartyOrganization.id.in_(org_ids), where)
        sets.append(RuleSet(rules, tuple(name for name, _ in members if name), ids))
    return sets
