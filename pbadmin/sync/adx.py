"""IHE ADX documents (hubei's report format): build them, check them against the loose schema, read them back.

pbadmin's client builds and validates what it sends; the sandbox gateway validates and parses what it
receives, so both sides share one reading of the format. Documents from outside are parsed with expat
directly: no DOCTYPE (and so no entity declarations of any kind) is accepted.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.parsers import expat

from pbadmin.reporting.periods import Period, PeriodError, period_from_adx

NAMESPACE = "urn:ihe:qrph:adx:2015"
SCHEMA_PATH = Path(__file__).resolve().parent / "adx_schema" / "adx_loose.xsd"
# xs:decimal's lexical space: optional sign, digits with at most one point, no exponent.
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_ADX = f"{{{NAMESPACE}}}adx"
_GROUP = f"{{{NAMESPACE}}}group"
_DATA_VALUE = f"{{{NAMESPACE}}}dataValue"
_ANNOTATION = f"{{{NAMESPACE}}}annotation"


class AdxError(ValueError):
    """A document that cannot be read as ADX groups (message in Chinese and English).

    ``field`` names the attribute at fault when the document is well-formed but one value is not
    usable (``"period"``), so a gateway can answer with a conflict rather than a malformed request.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AdxGroup:
    """One report: a data set's values for one org unit and period."""

    data_set: str
    org_unit: str
    period: Period
    values: list[tuple[str, str]]


def is_decimal(text: str) -> bool:
    """Whether ``text`` is an xs:decimal, the only value type the gateways take."""
    return bool(_DECIMAL.match(text.strip()))


# --- building -----------------------------------------------------------------------------------


def build_adx(groups: list[AdxGroup], exported: dt.datetime) -> bytes:
    """The UTF-8 document (with XML declaration) carrying ``groups``, stamped ``exported``."""
    # Unqualified tags under a literal default-namespace declaration: ElementTree's own
    # ``default_namespace`` refuses the (rightly) unqualified attributes.
    root = ET.Element("adx", {"xmlns": NAMESPACE, "exported": exported.isoformat(timespec="seconds")})
    for group in groups:
        element = ET.SubElement(
            root, "group", {"dataSet": group.data_set, "orgUnit": group.org_unit, "period": group.period.adx}
        )
        for code, value in group.values:
            ET.SubElement(element, "dataValue", {"dataElement": code, "value": value})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# --- validating ---------------------------------------------------------------------------------


@cache
def _schema():
    """The loose ADX schema, loaded once per process (it takes about a second) and only from its folder."""
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMA_PATH), allow="sandbox")


def validate_adx(document: bytes) -> list[str]:
    """Every way ``document`` breaks the loose ADX schema; an empty list when it is valid."""
    import xmlschema

    try:
        root = _parse_safely(document)
    except AdxError as exc:
        return [str(exc)]
    resource = xmlschema.XMLResource(root, allow="none")
    return [_describe(error) for error in _schema().iter_errors(resource)]


def _describe(error) -> str:
    path = (error.path or "/").replace(f"{{{NAMESPACE}}}", "")
    return f"{path}: {error.reason or error.message}"


# --- parsing ------------------------------------------------------------------------------------


def parse_adx(document: bytes) -> list[AdxGroup]:
    """The groups of ``document``, in order; ``AdxError`` on anything that is not a readable ADX report."""
    root = _parse_safely(document)
    if root.tag != _ADX:
        raise AdxError(f"根元素应为 {_ADX}，实为 {root.tag} / the root element is {root.tag}, not {_ADX}")
    groups = []
    for element in root:
        if element.tag != _GROUP:
            raise AdxError(f"adx 下只能有 group 元素：{element.tag} / unexpected element {element.tag} in adx")
        groups.append(_parse_group(element))
    if not groups:
        raise AdxError("ADX 文档没有 group / the ADX document has no group")
    return groups


def _parse_group(element: ET.Element) -> AdxGroup:
    data_set, org_unit, period_text = (_required(element, name) for name in ("dataSet", "orgUnit", "period"))
    try:
        period = period_from_adx(period_text)
    except PeriodError as exc:
        raise AdxError(str(exc), field="period") from exc
    values = []
    for child in element:
        if child.tag != _DATA_VALUE:
            raise AdxError(f"group 下只能有 dataValue 元素：{child.tag} / unexpected element {child.tag} in group")
        if any(grandchild.tag != _ANNOTATION for grandchild in child):
            raise AdxError("dataValue 下只能有 annotation / a dataValue may only hold an annotation")
        code, value = _required(child, "dataElement"), _required(child, "value")
        if not is_decimal(value):
            raise AdxError(f"数据元 {code} 的值“{value}”不是数字 / the value {value!r} of {code} is not a decimal")
        values.append((code, value))
    if not values:
        raise AdxError(f"组织 {org_unit} 的 group 没有 dataValue / the group of {org_unit} has no dataValue")
    return AdxGroup(data_set, org_unit, period, values)


def _required(element: ET.Element, name: str) -> str:
    value = (element.get(name) or "").strip()
    if not value:
        tag = element.tag.replace(f"{{{NAMESPACE}}}", "")
        raise AdxError(f"{tag} 缺少属性 {name} / {tag} lacks the attribute {name}")
    return value


# --- the safe parser ----------------------------------------------------------------------------


def _parse_safely(document: bytes) -> ET.Element:
    """An element tree from expat with DOCTYPE refused: no entity can be declared, so none expands."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.StartElementHandler = lambda tag, attributes: builder.start(
        _qualified(tag), {_qualified(key): value for key, value in attributes.items()}
    )
    parser.EndElementHandler = lambda tag: builder.end(_qualified(tag))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(document, True)
    except expat.ExpatError as exc:
        raise AdxError(f"不是格式正确的 XML：{exc} / not well-formed XML: {exc}") from exc
    return builder.close()


def _refuse_doctype(*_args) -> None:
    raise AdxError("ADX 文档不得包含 DOCTYPE 声明 / DOCTYPE declarations are not accepted in ADX documents")


def _qualified(name: str) -> str:
    """expat's ``uri}local`` as ElementTree's ``{uri}local``."""
    return "{" + name if "}" in name else name
