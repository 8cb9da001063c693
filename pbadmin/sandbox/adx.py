"""How the province reads hubei's ADX documents: its own parser and its own schema check.

Written from the contract's text (docs/gateway-contract.md, "hubei") and IHE's loose schema, not from
pbadmin's client: a document the client builds wrongly is refused here, never agreed to by shared
code. Documents are parsed with expat and a DOCTYPE is refused, so no entity can be declared.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.parsers import expat

# IHE's loose ADX schema, as published (with the SDMX schemas it imports): the standard, not pbadmin's code
SCHEMA = Path(__file__).resolve().parents[1] / "sync" / "adx_schema" / "adx_loose.xsd"
NS = "urn:ihe:qrph:adx:2015"


class NotAdx(ValueError):
    """The document is not well-formed, not valid against the schema, or not readable as reports."""

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


@dataclass(frozen=True)
class Group:
    data_set: str
    org_unit: str
    period: str  # as written: 2022-01-01/P1M
    values: list[tuple[str, str]]


def read_document(document: bytes) -> list[Group]:
    """The groups of a valid ADX document; ``NotAdx`` (with the schema's complaints) otherwise."""
    root = _parse(document)
    errors = schema_errors(root)
    if errors:
        raise NotAdx("ADX 文档未通过 IHE 模式校验 / the ADX document fails the schema", errors[:20])
    if root.tag != f"{{{NS}}}adx":
        raise NotAdx(f"根元素应为 adx / the root element is {root.tag}")
    groups = []
    for group in root.iter(f"{{{NS}}}group"):
        values = [
            (_attribute(value, "dataElement"), _attribute(value, "value")) for value in group.iter(f"{{{NS}}}dataValue")
        ]
        groups.append(
            Group(_attribute(group, "dataSet"), _attribute(group, "orgUnit"), _attribute(group, "period"), values)
        )
    if not groups:
        raise NotAdx("ADX 文档没有 group / the ADX document has no group")
    return groups


@cache
def _schema():
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMA), allow="sandbox")


def schema_errors(root: ET.Element) -> list[str]:
    import xmlschema

    resource = xmlschema.XMLResource(root, allow="none")
    return [
        f"{(error.path or '/').replace(f'{{{NS}}}', '')}: {error.reason or error.message}"
        for error in _schema().iter_errors(resource)
    ]


def _attribute(element: ET.Element, name: str) -> str:
    value = (element.get(name) or "").strip()
    if not value:
        tag = element.tag.rpartition("}")[2]
        raise NotAdx(f"{tag} 缺少属性 {name} / {tag} lacks the attribute {name}")
    return value


def _parse(document: bytes) -> ET.Element:
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True

    def refuse_doctype(*_args) -> None:
        raise NotAdx("ADX 文档不得包含 DOCTYPE 声明 / DOCTYPE declarations are not accepted")

    def name(raw: str) -> str:
        uri, _, local = raw.rpartition(" ")
        return f"{{{uri}}}{local}" if uri else local

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.StartElementHandler = lambda tag, attrs: builder.start(name(tag), {name(k): v for k, v in attrs.items()})
    parser.EndElementHandler = lambda tag: builder.end(name(tag))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(document, True)
    except expat.ExpatError as exc:
        raise NotAdx(f"不是格式正确的 XML：{exc} / not well-formed XML: {exc}") from exc
    return builder.close()
