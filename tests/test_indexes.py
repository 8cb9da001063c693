"""The indexes match each list view's default sort and its organisation filter."""

from __future__ import annotations

import pytest

from pbadmin.admin import CORE_VIEWS


def _leading_columns(table) -> set[str]:
    leading = {list(index.columns)[0].name for index in table.indexes}
    for constraint in table.constraints:
        columns = list(getattr(constraint, "columns", []))
        if columns and constraint.__class__.__name__ in ("UniqueConstraint", "PrimaryKeyConstraint"):
            leading.add(columns[0].name)
    leading.update(column.name for column in table.columns if column.unique or column.index)
    return leading


@pytest.mark.parametrize(
    "view_class,model,endpoint", [(v, m, e) for v, m, _, _, e in CORE_VIEWS], ids=lambda x: getattr(x, "__name__", x)
)
def test_default_sort_and_org_filter_are_indexed(view_class, model, endpoint):
    leading = _leading_columns(model.__table__)
    sort = view_class.column_default_sort
    if sort:
        column = sort[0] if isinstance(sort, tuple) else sort
        assert column in leading, f"{endpoint}: default sort on {column} has no index leading with it"
    org_column = view_class.org_filter_column
    if org_column and org_column in model.__table__.c:
        assert org_column in leading, f"{endpoint}: organisation filter on {org_column} is not indexed"
