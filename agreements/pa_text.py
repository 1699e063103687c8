"""The Partnership Agreement's own text as sections: read from the source document and compared between versions.

The 2008-2011 agreement's text ships with the app (`agreements/texts/`), copied from the source document in
`shared/seeds/`. A heading ("3.1.2 Liaison & Communications") starts a section; a numbered paragraph ("- 5.3
Monitoring ...") is a section of its own under its heading, so that every paragraph the product cites (PA 5.3,
PA 3.1.6, ...) has an anchor; the glossary is the first section.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

TEXTS = Path(__file__).resolve().parent / "texts"
PA_2008_FILE = TEXTS / "partnership-agreement-2008-2011.txt"
GLOSSARY = "Glossary"

_HEADING = re.compile(r"^(\d\.\d(?:\.\d)?)\s+(.+)$")
_PARAGRAPH = re.compile(r"^-\s+(\d\.\d)\s+(.+)$")


@dataclass(frozen=True)
class ParsedSection:
    number: str
    title: str
    text: str


def _plain(line: str) -> str:
    """Drop the word processor's emphasis markers; the text itself stays as written."""
    return line.replace("**", "").replace("*", "").strip()


def _title(raw: str) -> str:
    title = _plain(raw)
    # Headings in capitals are written in sentence case, as GOV.UK pages write them.
    return title.capitalize() if title.isupper() else title


def parse(text: str) -> list[ParsedSection]:
    sections: list[ParsedSection] = []
    number, title, body = GLOSSARY, "Glossary of terms", []
    started = False

    def close():
        if started:
            sections.append(ParsedSection(number=number, title=title, text="\n".join(body).strip()))

    for raw in text.splitlines():
        line = raw.rstrip()
        if not started:
            if line.strip() == "Glossary of Terms":
                started = True
            continue
        if heading := _HEADING.match(line.strip()):
            close()
            number, title, body = heading.group(1), _title(heading.group(2)), []
            continue
        if paragraph := _PARAGRAPH.match(line.strip()):
            close()
            number, title, body = paragraph.group(1), "", [_plain(paragraph.group(2))]
            continue
        plain = _plain(line)
        if line.lstrip().startswith("- "):
            plain = "- " + _plain(line.lstrip()[2:])
        if plain or (body and body[-1]):
            body.append(plain)
    close()
    return sections


def pa_2008_sections() -> list[ParsedSection]:
    return parse(PA_2008_FILE.read_text(encoding="utf-8"))


def text_of(sections) -> str:
    """The whole text as one string: what a version's SHA-256 is taken of."""
    return "\n\n".join(f"{s.number} {s.title}\n{s.text}".strip() for s in sections)


def anchor(number: str) -> str:
    return "section-" + number.lower().replace(".", "-")


@dataclass(frozen=True)
class SectionDifference:
    number: str
    title: str
    change: str  # "added", "removed" or "changed"
    before: str
    after: str

    @property
    def words(self) -> list[tuple[str, str]]:
        """The text as (kind, words) runs: kind is "same", "removed" or "added", for <del> and <ins>."""
        old, new = self.before.split(), self.after.split()
        runs: list[tuple[str, str]] = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
            if tag == "equal":
                runs.append(("same", " ".join(old[i1:i2])))
                continue
            if i2 > i1:
                runs.append(("removed", " ".join(old[i1:i2])))
            if j2 > j1:
                runs.append(("added", " ".join(new[j1:j2])))
        return runs


def differences(previous, current) -> list[SectionDifference]:
    """Section by section, matched by number: what a new version added, removed or changed."""
    before = {s.number: s for s in previous}
    after = {s.number: s for s in current}
    found = []
    for section in current:
        old = before.get(section.number)
        if old is None:
            found.append(SectionDifference(section.number, section.title, "added", "", section.text))
        elif (old.title, old.text) != (section.title, section.text):
            found.append(SectionDifference(section.number, section.title, "changed", old.text, section.text))
    for section in previous:
        if section.number not in after:
            found.append(SectionDifference(section.number, section.title, "removed", section.text, ""))
    return found
