"""Ajax look-ups for foreign keys, limited to what the user may see."""

from __future__ import annotations

from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_babel import lazy_gettext as _l

from pbadmin.extensions import db
from pbadmin.params import MAX_ID, contains_nul, record_id
from pbadmin.security.scoping import current_scope

# Columns each look-up searches, per target model name.
SEARCH_FIELDS = {
    "Member": ["name"],
    "PartyOrganization": ["name", "code"],
    "Institution": ["name"],
    "Region": ["name", "code"],
    "Brand": ["name"],
    "Venue": ["name"],
    "ActivityType": ["name", "code"],
    "VolunteerTeam": ["name"],
    "MedicalCommunity": ["name"],
    "Activity": ["title"],
    "Pairing": ["goals"],
    "Role": ["name", "title"],
}


class ScopedAjaxLoader(QueryAjaxModelLoader):
    """Searches and resolves ids only inside the current user's scope.

    ``get_one`` is what the form uses to turn a submitted id into a record, so an id
    outside the scope resolves to nothing and the field reports an invalid choice.
    """

    def get_query(self):
        return super().get_query().filter(current_scope().clause(self.model))

    def get_list(self, term, offset=0, limit=20):
        """Search results offer only active choices; ids already on a record still resolve.
        At most a page of them: ``?limit=`` and ``?offset=`` come from the address bar."""
        if contains_nul(term):
            return []  # no text column holds NUL (and PostgreSQL refuses to compare with it)
        page = self.options.get("page_size", 20)
        limit = limit if 0 < (limit or 0) <= page else page
        offset = offset if 0 <= (offset or 0) <= MAX_ID else 0
        if hasattr(self.model, "active"):
            original = self.get_query
            self.get_query = lambda: original().filter(self.model.active.is_(True))
            try:
                return super().get_list(term, offset, limit)
            finally:
                del self.get_query
        return super().get_list(term, offset, limit)

    def get_one(self, pk):
        key = record_id(pk)
        if key is None:
            return None
        with db.session.no_autoflush:
            return self.get_query().filter(self.model.id == key).one_or_none()


def loader_for(name: str, model) -> ScopedAjaxLoader:
    return ScopedAjaxLoader(
        name,
        db,
        model,
        fields=SEARCH_FIELDS.get(model.__name__, ["id"]),
        page_size=20,
        placeholder=_l("Type to search…"),
    )
