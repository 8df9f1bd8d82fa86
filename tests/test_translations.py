"""Chinese is complete: every string in the code has a zh_CN translation, compiled and placeholder-safe.

How to fix a failure: run the commands in docs/i18n.md (extract, update,
translate, compile) and commit the .po and .mo files.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from webapp.config import Config

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "webapp" / "translations"
# Flask-Babel looks a catalogue up by str(Locale.parse(...)), which for zh_CN is
# zh_Hans_CN: that is the folder the Chinese catalogue must live in.
CHINESE = str(Locale.parse(Config.BABEL_DEFAULT_LOCALE))
CHINESE_PO = TRANSLATIONS / CHINESE / "LC_MESSAGES" / "messages.po"
# The same keywords as `pybabel extract -k _l -k lazy_gettext -k N_` (N_ is a default).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)")
HOW_TO_FIX = "Run the commands in docs/i18n.md (extract, update, translate, compile)."


def extracted_messages() -> dict[tuple[str, str | None], str]:
    """Every msgid `pybabel extract -F babel.cfg` finds in the code now, with where it was found."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(ROOT / "babel.cfg"))
    found: dict[tuple[str, str | None], str] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, (list, tuple)) else message
        if msgid:
            found.setdefault((msgid, context), f"{filename}:{lineno}")
    return found


def read_catalog(path: Path):
    with open(path, "rb") as f:
        return read_po(f)


def forms(value) -> tuple[str, ...]:
    """A message's id or string as a tuple (one element unless it has plural forms)."""
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def mo_messages(fileobj) -> dict:
    """A compiled catalogue as {(msgid forms, context): msgstr forms}, header left out."""
    return {(forms(m.id), m.context): forms(m.string) for m in read_mo(fileobj) if m.id}


def is_translated(message) -> bool:
    return "fuzzy" not in message.flags and all(forms(message.string))


@pytest.fixture(scope="module")
def chinese():
    return read_catalog(CHINESE_PO)


def test_every_msgid_in_the_code_has_a_chinese_translation(chinese):
    """Every string the extractor finds in webapp/ and sync/ has a non-empty, non-fuzzy zh_CN translation."""
    missing = []
    for (msgid, context), where in sorted(extracted_messages().items(), key=lambda kv: kv[1]):
        message = chinese.get(msgid, context=context)
        if message is None or not is_translated(message):
            state = "missing" if message is None else ("fuzzy" if "fuzzy" in message.flags else "empty")
            missing.append(f"  {where}: {msgid!r} ({state})")
    assert not missing, f"{len(missing)} msgid(s) have no Chinese translation:\n" + "\n".join(missing) + f"\n{HOW_TO_FIX}"


@pytest.mark.parametrize("po_path", sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")), ids=lambda p: p.parts[-3])
def test_the_committed_mo_file_matches_its_po_file(po_path):
    """The compiled .mo holds exactly the translations of its .po, so nobody forgets `pybabel compile`."""
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.relative_to(ROOT)} is missing. {HOW_TO_FIX}"
    compiled = BytesIO()
    write_mo(compiled, read_catalog(po_path))  # what `pybabel compile` would write now
    compiled.seek(0)
    po = mo_messages(compiled)
    with open(mo_path, "rb") as f:
        mo = mo_messages(f)
    stale = sorted(key[0][0] for key in (po.keys() ^ mo.keys()) | {k for k in po.keys() & mo.keys() if po[k] != mo[k]})
    assert not stale, (
        f"{mo_path.relative_to(ROOT)} is out of date with its .po for {len(stale)} message(s), e.g. {stale[:5]}. "
        f"Run `pybabel compile -d webapp/translations`."
    )


def test_chinese_translations_keep_every_placeholder(chinese):
    """Each %(name)s placeholder of a msgid appears in its zh_CN translation, and the translation invents none."""
    wrong = []
    for message in chinese:
        if not message.id or not is_translated(message):
            continue
        expected = {name for text in forms(message.id) for name in PLACEHOLDER.findall(text)}
        for text in forms(message.string):
            got = set(PLACEHOLDER.findall(text))
            if got != expected:
                wrong.append(f"  {forms(message.id)[0]!r} -> {text!r}: "
                             f"missing {sorted(expected - got)}, unknown {sorted(got - expected)}")
    assert not wrong, "Placeholders differ between msgid and translation:\n" + "\n".join(wrong)


def test_babel_finds_no_format_errors_in_the_chinese_catalogue(chinese):
    """Babel's own checks pass, e.g. %(month)02d is not translated as an incompatible %(month)s."""
    errors = [f"  {message.id!r}: {'; '.join(map(str, errs))}" for message, errs in chinese.check()]
    assert not errors, "pybabel compile would reject these translations:\n" + "\n".join(errors)


def test_the_app_speaks_chinese_by_default_and_english_when_the_cookie_asks(tmp_path):
    """Flask-Babel finds the Chinese catalogue for the default locale, and lang=en falls back to the English msgids."""
    from flask_babel import gettext

    from webapp.app import create_app
    from webapp.config import TestConfig

    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://", "DATA_DIR": str(tmp_path)})
    with app.test_request_context("/"):
        assert gettext("Log in") == "登录"
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert gettext("Log in") == "Log in"
