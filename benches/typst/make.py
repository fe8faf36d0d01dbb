#!/usr/bin/env python3
"""Writes the Typst source of a notice, or of a pack of a collection's notices, for the
side-by-side benchmark against Typst (README, "Measured"): the same text, structure, fonts and
page as `notice-pdf render` (or `notice-pdf pack`), written the way a Typst user would.

Usage: python3 benches/typst/make.py data/kundservice.toml > benches/typst/kundservice.typ
       python3 benches/typst/make.py --pack tests/fixtures/exempelbanken > benches/typst/pack.typ
Compile: typst compile --font-path fonts --ignore-system-fonts --pdf-standard a-2a,ua-1 benches/typst/kundservice.typ x.pdf
"""
import os
import re
import sys
import tomllib

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december"]


def esc(text: str) -> str:
    return re.sub(r'([\\#*_`$@<>\[\]~"/=+-])', r"\\\1", text)


def rich(text: str) -> str:
    """CommonMark links, emphasis and strong emphasis become Typst's; the rest is escaped
    text. A `notice:` link points at the notice's chapter in a pack."""
    links = []

    def link(m: re.Match) -> str:
        url = m.group(2)
        if url.startswith("notice:"):
            target = f"<{url[len('notice:'):].split('#')[0]}>"
        else:
            target = f'"{url}"'
        links.append(f"#link({target})[{esc(m.group(1))}]")
        return f"\x00{len(links) - 1}\x00"

    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", link, text)
    out = re.sub(r'([\\#_`$@<>\[\]~"/=+-])', r"\\\1", text)
    out = re.sub(r"\*\*(.+?)\*\*", r"#strong[\1]", out)
    out = re.sub(r"\*(.+?)\*", r"#emph[\1]", out)
    return re.sub("\x00(\\d+)\x00", lambda m: links[int(m.group(1))], out)


def block(text: str) -> str:
    """A text of several lines: paragraphs and (nested) lists, their markers kept."""
    lines = []
    for line in text.strip("\n").split("\n"):
        m = re.match(r"(\s*)(- |\d+\. )?(.*)", line)
        indent, marker, rest = m.group(1), m.group(2) or "", m.group(3)
        lines.append(indent + marker + rich(rest.rstrip()))
    return "\n".join(lines)


def page_setup(title: str, publisher: str, date: str) -> str:
    return f"""#set page(paper: "a4", margin: (left: 62pt, right: 62pt, top: 90pt, bottom: 78pt),
  header: context if here().page() > 1 [
    #set text(size: 8pt, fill: rgb("#555555"))
    *{esc(publisher)}* #h(1fr) {esc(title)}
  ],
  footer: context [
    #set text(size: 8pt, fill: rgb("#555555"))
    Uppdaterad {date} #h(1fr) Sida #counter(page).display() av #counter(page).final().first()
  ])
#set text(font: "Inter", size: 11pt, lang: "sv", region: "SE", hyphenate: true)
#set par(leading: 5.5pt, spacing: 6pt)
#show link: underline"""


def day(updated: str) -> str:
    y, mo, d = (int(x) for x in updated.split("-"))
    return f"{d} {MONTHS[mo - 1]} {y}"


def sections(n: dict, level: int) -> None:
    """The printed sections of notice `n`, their headings at `level` and questions below."""
    for s in n["sections"]:
        if s.get("web_only"):
            continue
        print(f"{'=' * level} {esc(s['heading'])}\n")
        for p in s.get("intro", []):
            print(block(p) + "\n")
        for e in s.get("list", []):
            print(f"- {rich(e)}")
        if s.get("list"):
            print()
        for item in s.get("items", []):
            print(f"{'=' * (level + 1)} {esc(item['question'])}\n")
            answers = item["answer"] if isinstance(item["answer"], list) else [item["answer"]]
            for a in answers:
                print(block(str(a)) + "\n")


def pack(folder: str) -> None:
    """The pack of every notice of the collection in `folder`: title page, contents, and a
    chapter per notice under its group's heading."""
    c = tomllib.load(open(os.path.join(folder, "collection.toml"), "rb"))
    notices = {}
    for group in c["groups"]:
        for nid in group["notices"]:
            notices[nid] = tomllib.load(open(os.path.join(folder, f"{nid}.toml"), "rb"))
    latest = max(n["updated"] for n in notices.values())
    y, mo, d = (int(x) for x in latest.split("-"))
    print(f"""// Generated from {folder} by benches/typst/make.py --pack: do not edit.
#set document(title: "{c['title']}", author: "{c['publisher']}",
  date: datetime(year: {y}, month: {mo}, day: {d}))
{page_setup(c['title'], c['publisher'], day(latest))}
#set heading(numbering: none)
#show heading.where(level: 1): set text(size: 18pt, weight: "semibold")
#show heading.where(level: 2): set text(size: 16pt, weight: "semibold")
#show heading.where(level: 3): it => [#line(length: 100%, stroke: 0.6pt + rgb("#007a4d")) #text(size: 13pt, weight: "semibold", it.body)]
#show heading.where(level: 4): set text(size: 11pt, weight: "semibold")

#text(size: 10pt, weight: "semibold", fill: rgb("#007a4d"))[{esc(c.get('label', ''))}]
#text(size: 22pt, weight: "semibold")[{esc(c['title'])}]

#text(size: 9.5pt, fill: rgb("#555555"))[{esc(c['publisher'])} · Uppdaterad {day(latest)}]

Den här utgåvan innehåller:
""")
    for n in notices.values():
        print(f"- {esc(n['title'])}")
    print("\n#pagebreak()\n#outline(title: [Innehåll], depth: 2)\n")
    for group in c["groups"]:
        print(f"#pagebreak()\n= {esc(group['title'])}\n")
        for nid in group["notices"]:
            n = notices[nid]
            print(f"== {esc(n['title'])} <{nid}>\n")
            print(f"#text(size: 9.5pt, fill: rgb(\"#555555\"))[Uppdaterad {day(n['updated'])}]\n")
            sections(n, 3)
            if "source_url" in n:
                u = n["source_url"]
                print(f'#text(size: 9pt)[Den senaste versionen av informationen finns alltid på #link("{u}")[{esc(u)}]]\n')


def main(path: str) -> None:
    n = tomllib.load(open(path, "rb"))
    y, mo, d = (int(x) for x in n["updated"].split("-"))
    kw = ", ".join(f'"{k}"' for k in n.get("keywords", []))
    print(f"""// Generated from {path} by benches/typst/make.py: do not edit.
#set document(title: "{n['title']}", author: "{n['publisher']}", keywords: ({kw},),
  date: datetime(year: {y}, month: {mo}, day: {d}))
{page_setup(n['title'], n['publisher'], day(n['updated']))}
#show heading.where(level: 1): set text(size: 22pt, weight: "semibold")
#show heading.where(level: 2): it => [#line(length: 100%, stroke: 0.6pt + rgb("#007a4d")) #text(size: 14pt, weight: "semibold", it.body)]
#show heading.where(level: 3): set text(size: 11pt, weight: "semibold")

#text(size: 10pt, weight: "semibold", fill: rgb("#007a4d"))[{esc(n.get('label', ''))}]
= {esc(n['title'])}
#text(size: 9.5pt, fill: rgb("#555555"))[{esc(n['publisher'])} · Uppdaterad {day(n['updated'])}]
""")
    sections(n, 2)
    if "updated_note" in n:
        print(f"#text(size: 9pt)[{esc(n['updated_note'])}]\n")
    if "source_url" in n:
        u = n["source_url"]
        print(f'#text(size: 9pt)[Den senaste versionen av informationen finns alltid på #link("{u}")[{esc(u)}]]')


if sys.argv[1] == "--pack":
    pack(sys.argv[2])
else:
    main(sys.argv[1])
