"""Extract, update and compile the catalogues; fill zh_CN translations from a JSON file.

    python scripts/translate.py                 # extract + update + report untranslated msgids
    python scripts/translate.py new.json        # ... and fill {msgid: msgstr} into zh_Hans_CN, then compile

A msgstr in the JSON file replaces the catalogue's, also one that is already translated (that is
how a wording fix is made; docs/glossary.md says which words to use). A msgid of the JSON file that
the code no longer has is reported, not added.

See docs/i18n.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "webapp" / "translations"
ZH = TRANSLATIONS / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"


def run(*args: str) -> None:
    subprocess.run(["pybabel", "-q", *args], cwd=ROOT, check=True)


def main() -> None:
    run("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-k", "N_", "--no-wrap",
        "--sort-by-file", "-o", "webapp/translations/messages.pot", ".")
    run("update", "-i", "webapp/translations/messages.pot", "-d", "webapp/translations", "--no-wrap",
        "--ignore-obsolete", "--no-fuzzy-matching")
    with ZH.open("rb") as f:
        catalog = read_po(f)
    filled = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")) if len(sys.argv) > 1 else {}
    missing, used = [], set()
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in filled:
            used.add(key)
            message.string = filled[key] if isinstance(message.id, str) else (filled[key],)
            message.flags.discard("fuzzy")
        elif "fuzzy" in message.flags or not (message.string if isinstance(message.string, str) else message.string[0]):
            missing.append(key)
    with ZH.open("wb") as f:
        write_po(f, catalog, width=0, sort_by_file=True)
    run("compile", "-d", "webapp/translations")
    print(json.dumps(missing, ensure_ascii=False, indent=1) if missing else "all translated")
    unknown = sorted(set(filled) - used)
    if unknown:
        print("not in the code (ignored):", json.dumps(unknown, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
