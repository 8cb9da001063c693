"""The Chinese catalogue must cover every message in the code and keep its placeholders.

Standalone: no fixtures, no app. The extraction is the one ``make`` runs
(``pybabel extract -F babel.cfg -k _l -k lazy_gettext``), done in-process.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
BABEL_CFG = ROOT / "babel.cfg"
CHINESE_PO = ROOT / "pbadmin" / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
IGNORED_DIRS = {".venv", "migrations", "tests"}
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0\- +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]")


def _directory_filter(dirpath: str) -> bool:
    """Skip the ignored top-level directories, and hidden or private ones like pybabel does."""
    relative = Path(os.path.relpath(dirpath, ROOT))
    if relative.parts and relative.parts[0] in IGNORED_DIRS:
        return False
    return not os.path.basename(dirpath).startswith((".", "_"))


def _extracted_messages() -> dict[tuple[str, str | None], set[str]]:
    """(msgid, context) -> the places it is used, for every message in the code."""
    with BABEL_CFG.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, filename=str(BABEL_CFG))
    found: dict[tuple[str, str | None], set[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS, directory_filter=_directory_filter
    ):
        msgid = message[0] if isinstance(message, (list, tuple)) else message
        if msgid:
            found.setdefault((msgid, context), set()).add(f"{filename}:{lineno}")
    return found


def _catalog():
    with CHINESE_PO.open("rb") as po:
        return read_po(po, locale="zh_Hans_CN")


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return bool(strings) and all(s and s.strip() for s in strings)


def test_every_message_in_the_code_has_a_chinese_translation():
    extracted = _extracted_messages()
    assert extracted, "extraction found no messages: check babel.cfg and the extraction options"
    catalog = _catalog()
    problems = []
    for (msgid, context), places in sorted(extracted.items(), key=lambda item: item[0][0]):
        message = catalog.get(msgid, context=context)
        where = ", ".join(sorted(places))
        if message is None:
            problems.append(f"not in the catalogue: {msgid!r} ({where})")
        elif message.fuzzy:
            problems.append(f"marked fuzzy: {msgid!r} ({where})")
        elif not _translated(message):
            problems.append(f"no translation: {msgid!r} ({where})")
    assert not problems, (
        f"{len(problems)} message(s) lack a Chinese translation in {CHINESE_PO} "
        "(run `make i18n-extract`, then translate):\n" + "\n".join(problems)
    )


def test_chinese_translations_keep_their_placeholders():
    problems = []
    for message in _catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            if not string:
                continue  # missing translations are the other test's business
            actual = set(PLACEHOLDER.findall(string))
            if actual != expected:
                problems.append(f"{ids[0]!r}: msgid has {sorted(expected)}, msgstr {string!r} has {sorted(actual)}")
    assert not problems, "placeholders differ between msgid and msgstr:\n" + "\n".join(problems)
