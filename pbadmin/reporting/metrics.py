"""The metrics engine: every data element of a plugin's report, for one subtree and one period.

The elements are the core catalogue then the plugin's own, as the plugins declare them; each
carries a measure (pbadmin.reporting.measures). ``compute`` puts every element's measure into
ONE SELECT of labelled scalar subqueries, so the database does the counting and summing and
nothing is loaded into Python, however large the subtree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from pbadmin.extensions import db
from pbadmin.models import org_tree
from pbadmin.plugins import enablement
from pbadmin.plugins.specs import DataElementSpec
from pbadmin.reporting import measures
from pbadmin.reporting.compliance import DEFAULT_RULES
from pbadmin.reporting.measures import Measure, MeasureContext
from pbadmin.reporting.periods import Period
from pbadmin.reporting.rules import ShykRule

#: shown for an element that cannot be computed yet
NO_MEASURE = "尚未定义计算口径"


@dataclass(frozen=True)
class ElementDefinition:
    """One data element of a report: what it is, who declared it, and how it is computed."""

    code: str
    name: str
    kind: str  # "stock" | "flow"
    plugin: str | None  # None for core
    #: a Chinese sentence saying exactly what is counted (shown in the report preview)
    definition: str
    measure: Measure | None


class MissingMeasureError(ValueError):
    """Some elements have no measure, so the report cannot be computed; ``codes`` names them."""

    def __init__(self, codes: list[str]) -> None:
        self.codes = list(codes)
        listed = "、".join(self.codes)
        super().__init__(
            f"数据元 {listed} 尚未定义计算口径，无法计算报表，请在插件中为其指定 measure"
            f" / data elements {', '.join(self.codes)} have no measure, so the report cannot be computed"
        )


def element_definitions(plugin: str) -> list[ElementDefinition]:
    """The core elements (catalogue order) then ``plugin``'s own, from the plugin registry."""
    registry = enablement.registry()
    declared = [(None, spec) for spec in registry.hooks(enablement.CORE).register_data_elements()]
    if plugin != enablement.CORE:
        declared += [(plugin, spec) for spec in registry.hooks(plugin).register_data_elements()]
    return [_definition(owner, spec) for owner, spec in declared]


def _definition(owner: str | None, spec: DataElementSpec) -> ElementDefinition:
    """A flow without a measure counts the activities whose type counts towards it; a stock without
    one stays without (compute refuses it). The spec's description adds to the measure's sentence."""
    measure = spec.measure
    if measure is None and spec.kind == measures.FLOW:
        measure = measures.activities(counts_towards=spec.code)
    text = measure.definition if measure is not None else NO_MEASURE
    if spec.description:
        text = f"{text}（{spec.description}）"
    return ElementDefinition(spec.code, spec.name, spec.kind, owner, text, measure)


def shyk_rules_for(plugin: str | None) -> list[ShykRule]:
    """The 三会一课 rules of ``plugin``'s reports: its ``shyk_rules`` override, or DEFAULT_RULES."""
    if plugin is None or plugin == enablement.CORE:
        return list(DEFAULT_RULES)
    rules = enablement.registry().hooks(plugin).shyk_rules()
    if rules is None:
        return list(DEFAULT_RULES)
    rules = list(rules)
    wrong = [rule for rule in rules if not isinstance(rule, ShykRule)]
    if wrong:
        raise TypeError(f"plugin {plugin}: shyk_rules() must return ShykRule objects, not {wrong[0]!r}")
    return rules


def compute(plugin: str, organisation_id: int, period: Period) -> dict[str, Decimal]:
    """Every element of ``element_definitions(plugin)``, in that order, for the subtree of
    ``organisation_id`` and ``period``, in one SELECT. Raises MissingMeasureError before touching
    the database when an element has no measure."""
    definitions = element_definitions(plugin)
    missing = [definition.code for definition in definitions if definition.measure is None]
    if missing:
        raise MissingMeasureError(missing)
    context = MeasureContext(
        org_ids=org_tree.subtree_ids([organisation_id]),
        root_id=organisation_id,
        period=period,
        rules=tuple(shyk_rules_for(plugin)),
    )
    query = select(*(definition.measure.sql(context).label(definition.code) for definition in definitions))
    row = db.session.execute(query).one()
    return {definition.code: _decimal(value) for definition, value in zip(definitions, row, strict=True)}


def _decimal(value) -> Decimal:
    """Drivers answer ints, Decimals or (SQLite sums) floats; the report wants Decimals."""
    if isinstance(value, Decimal):
        return value
    return Decimal(value) if isinstance(value, int) else Decimal(str(value))
