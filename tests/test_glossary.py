"""The Chinese catalogue speaks the glossary: no msgstr uses a word docs/glossary.md says not to say."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
ZH = ROOT / "webapp" / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
CODE = re.compile(r"`([^`\n]+)`")
CJK = re.compile(r"[\u4e00-\u9fff]")
SHIPPED = ("*.html", "*.js", "*.yaml", "*.yml", "*.py")  # templates, scripts, demo data, literal strings

# Justified exceptions: (msgid, forbidden term) pairs where the word is right after all, each with a
# comment saying why, e.g. a help text quoting a spreadsheet heading villages really write:
#     ("Columns: 户号 or 户编码 …", "户号"),  # quotes the heading a village's own roster uses
# The review of issue 15 left none: every use of a forbidden word had a glossary word that fits.
ALLOWED: set[tuple[str, str]] = set()
# The same for Chinese written outside the catalogue: (path, forbidden term).
ALLOWED_IN_FILES: set[tuple[str, str]] = {
    # The roster import accepts the heading 户号 as well as 户编码: villages' own spreadsheets use it.
    ("webapp/people/schemas.py", "户号"),
}


def forbidden_terms() -> dict[str, str]:
    """{term: the concept's row} from every "don't say" cell of the glossary's tables."""
    terms: dict[str, str] = {}
    header: list[str] | None = None
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.lstrip().startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
            continue
        if set("".join(cells)) <= set("-: "):
            continue
        for term in CODE.findall(cells[header.index("don't say")]):
            terms[term] = cells[0]
    return terms


def zh_messages() -> list[tuple[str, str]]:
    """(msgid, msgstr) for every translated message of the Chinese catalogue (plural forms joined)."""
    with ZH.open("rb") as f:
        catalog = read_po(f)
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        pairs.append((msgid, " ".join(s for s in strings if s)))
    return pairs


def offenders(messages: list[tuple[str, str]], terms: dict[str, str]) -> list[str]:
    return [f"{term!r} ({terms[term]}) in {msgid!r} -> {msgstr!r}"
            for msgid, msgstr in messages for term in terms
            if term in msgstr and (msgid, term) not in ALLOWED]


def test_the_glossary_names_the_five_words_of_the_review():
    """The words the Chinese review banned are in the glossary's "don't say" column."""
    terms = forbidden_terms()
    assert {"PIN", "定稿", "周期", "结账", "户编号"} <= set(terms)


def test_the_glossary_check_finds_a_forbidden_word():
    """The check itself works: a msgstr saying 定稿 is caught, one saying 确定 is not."""
    terms = forbidden_terms()
    assert offenders([("Final", "已定稿")], terms)
    assert not offenders([("Final", "已确定")], terms)


def test_no_chinese_translation_uses_a_word_the_glossary_forbids():
    """Every zh msgstr follows docs/glossary.md; the failure lists each word, where, and its concept."""
    found = offenders(zh_messages(), forbidden_terms())
    assert not found, "words the glossary says not to use:\n" + "\n".join(found)


def test_every_allowed_exception_is_still_needed():
    """An allow-list entry whose msgstr no longer uses the word is stale and goes."""
    messages = dict(zh_messages())
    stale = [pair for pair in ALLOWED if pair[1] not in messages.get(pair[0], "")]
    assert not stale, f"allow-list entries no longer needed: {stale}"


def shipped_chinese_offenders(terms: dict[str, str]) -> list[str]:
    """Forbidden Chinese words in templates, scripts, demo data and code under webapp/ (not the catalogues)."""
    chinese = [t for t in terms if CJK.search(t)]
    found = []
    for pattern in SHIPPED:
        for path in sorted((ROOT / "webapp").rglob(pattern)):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith("webapp/translations/"):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{term!r} ({terms[term]}) in {rel}" for term in chinese
                      if term in text and (rel, term) not in ALLOWED_IN_FILES]
    return found


def test_no_chinese_text_shipped_outside_the_catalogue_uses_a_forbidden_word():
    """Templates with literal Chinese, JS, demo YAML and seeds follow the glossary too."""
    found = shipped_chinese_offenders(forbidden_terms())
    assert not found, "words the glossary says not to use:\n" + "\n".join(found)
