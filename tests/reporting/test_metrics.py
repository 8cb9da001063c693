"""The metrics engine: element definitions from the registry, one SELECT per report, no rows loaded."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, select

from pbadmin.core_plugin import CORE_ELEMENTS
from pbadmin.extensions import db
from pbadmin.plugins.specs import DataElementSpec
from pbadmin.reporting.metrics import MissingMeasureError, compute, element_definitions
from pbadmin.reporting.periods import Period
from pbadmin.toolkit import measures
from tests.plugins.test_seed_plugins import PLUGINS
from tests.reporting.records import activity, activity_type


class Statements:
    """Every statement the engine sends to the database while counting."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.sent: list[str] = []

    def _record(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.sent.append(statement)

    def __enter__(self) -> list[str]:
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self.sent

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)


@pytest.mark.parametrize("plugin", ["core", *PLUGINS])
def test_every_element_has_a_measure_of_its_catalogue_kind(app, plugin):
    with app.app_context():
        definitions = element_definitions(plugin)
    assert definitions, plugin
    for definition in definitions:
        assert definition.measure is not None, definition.code
        assert definition.measure.kind == definition.kind, definition.code
        assert definition.definition.startswith(definition.measure.definition)


def test_definitions_are_the_core_catalogue_in_order_then_the_plugins_own(app):
    with app.app_context():
        definitions = element_definitions("luqiao")
    core = [code for code, *_ in CORE_ELEMENTS]
    assert [d.code for d in definitions] == [
        *core,
        "LQ_SECOND_COMMITTEES",
        "LQ_XINGLIN_HOMES",
        "LQ_VOLUNTEER_TEAMS",
        "LQ_VOLUNTEERS",
        "LQ_STATIONS",
    ]
    assert {d.plugin for d in definitions[: len(core)]} == {None}
    assert {d.plugin for d in definitions[len(core) :]} == {"luqiao"}
    second = next(d for d in definitions if d.code == "LQ_SECOND_COMMITTEES")
    assert second.definition == f"{second.measure.definition}（党工委下设的二级党委）"
    assert "直接下设" in second.definition and "党委" in second.definition


def test_compute_sends_exactly_one_select_and_loads_no_records(app, world):
    with app.app_context():
        db.session.execute(select(1))  # the connection is checked out before counting
        loaded = len(db.session.identity_map)
        with Statements(db.engine) as sent:
            values = compute("core", world["committee"], Period.parse("202403"))
        assert len(sent) == 1 and sent[0].lstrip().upper().startswith("SELECT")
        assert len(db.session.identity_map) == loaded
    assert values["PB_BRANCHES"] == 2 and values["PB_SERVED"] == 24


def test_a_flow_without_a_measure_counts_the_activities_whose_type_counts_towards_it(app, world, with_plugin):
    with_plugin("joint", [DataElementSpec("TT_JOINT_MEETINGS", "联席会议次数", "flow", "每季度召开")])
    with app.app_context():
        (joint,) = [d for d in element_definitions("joint") if d.code == "TT_JOINT_MEETINGS"]
        assert joint.measure == measures.activities(counts_towards="TT_JOINT_MEETINGS")
        assert "TT_JOINT_MEETINGS" in joint.definition and joint.definition.endswith("（每季度召开）")
        activity_type("TT_JOINT_MEETING", "other", counts_towards="TT_JOINT_MEETINGS")
        for month in (1, 4, 7):
            activity(world["committee"], "TT_JOINT_MEETING", dt.datetime(2024, month, 20, 14))
        activity(world["committee"], "THEME_DAY", dt.datetime(2024, 7, 1, 9))
        assert compute("joint", world["committee"], Period.parse("2024"))["TT_JOINT_MEETINGS"] == 3
        assert compute("joint", world["committee"], Period.parse("2024Q3"))["TT_JOINT_MEETINGS"] == 1


def test_a_stock_without_a_measure_stops_compute_before_the_database(app, world, with_plugin):
    with_plugin(
        "unfinished",
        [
            DataElementSpec("TT_A", "测试数据元 A", "stock"),
            DataElementSpec("TT_B", "测试数据元 B", "stock", measure=measures.venues()),
            DataElementSpec("TT_C", "测试数据元 C", "stock"),
        ],
    )
    with app.app_context():
        assert [d.measure for d in element_definitions("unfinished")[-3:]][::2] == [None, None]
        with Statements(db.engine) as sent, pytest.raises(MissingMeasureError) as raised:
            compute("unfinished", world["committee"], Period.parse("202403"))
    assert raised.value.codes == ["TT_A", "TT_C"]
    assert "TT_A" in str(raised.value) and "TT_C" in str(raised.value) and "计算口径" in str(raised.value)
    assert sent == []
