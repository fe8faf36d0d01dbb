#!/usr/bin/env python3
"""Writes the Typst source of a notice, for the side-by-side benchmark against Typst (README,
"Measured"): the same text, structure, fonts and page as `notice-pdf render`, written the way a
Typst user would. Usage: python3 benches/typst/make.py data/kundservice.toml > benches/typst/kundservice.typ
Compile: typst compile --font-path fonts --ignore-system-fonts --pdf-standard a-2a,ua-1 benches/typst/kundservice.typ x.pdf
"""
import re
import sys
import tomllib

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december"]


def esc(text: str) -> str:
    return re.sub(r'([\\#*_`$@<>\[\]~"/=+-])', r"\\\1", text)


def rich(text: str) -> str:
    """CommonMark links become Typst links; everything else is escaped text."""
    out, at = [], 0
    for m in re.finditer(r"\[([^\]]+)\]\(([^)]+)\)", text):
        out.append(esc(text[at:m.start()]))
        out.append(f'#link("{m.group(2)}")[{esc(m.group(1))}]')
        at = m.end()
    out.append(esc(text[at:]))
    return "".join(out)


def main(path: str) -> None:
    n = tomllib.load(open(path, "rb"))
    y, mo, d = (int(x) for x in n["updated"].split("-"))
    date = f"{d} {MONTHS[mo - 1]} {y}"
    kw = ", ".join(f'"{k}"' for k in n.get("keywords", []))
    print(f"""// Generated from {path} by benches/typst/make.py: do not edit.
#set document(title: "{n['title']}", author: "{n['publisher']}", keywords: ({kw},),
  date: datetime(year: {y}, month: {mo}, day: {d}))
#set page(paper: "a4", margin: (left: 62pt, right: 62pt, top: 90pt, bottom: 78pt),
  header: context if here().page() > 1 [
    #set text(size: 8pt, fill: rgb("#555555"))
    *{esc(n['publisher'])}* #h(1fr) {esc(n['title'])}
  ],
  footer: context [
    #set text(size: 8pt, fill: rgb("#555555"))
    Uppdaterad {date} #h(1fr) Sida #counter(page).display() av #counter(page).final().first()
  ])
#set text(font: "Inter", size: 11pt, lang: "sv", region: "SE", hyphenate: true)
#set par(leading: 5.5pt, spacing: 6pt)
#show heading.where(level: 1): set text(size: 22pt, weight: "semibold")
#show heading.where(level: 2): it => [#line(length: 100%, stroke: 0.6pt + rgb("#007a4d")) #text(size: 14pt, weight: "semibold", it.body)]
#show heading.where(level: 3): set text(size: 11pt, weight: "semibold")
#show link: underline

#text(size: 10pt, weight: "semibold", fill: rgb("#007a4d"))[{esc(n.get('label', ''))}]
= {esc(n['title'])}
#text(size: 9.5pt, fill: rgb("#555555"))[{esc(n['publisher'])} · Uppdaterad {date}]
""")
    for s in n["sections"]:
        if s.get("web_only"):
            continue
        print(f"== {esc(s['heading'])}\n")
        for p in s.get("intro", []):
            print(rich(p) + "\n")
        for e in s.get("list", []):
            print(f"- {rich(e)}")
        if s.get("list"):
            print()
        for item in s.get("items", []):
            print(f"=== {esc(item['question'])}\n")
            for a in item["answer"]:
                print(rich(a if isinstance(a, str) else str(a)) + "\n")
    if "updated_note" in n:
        print(f"#text(size: 9pt)[{esc(n['updated_note'])}]\n")
    if "source_url" in n:
        u = n["source_url"]
        print(f'#text(size: 9pt)[Den senaste versionen av informationen finns alltid på #link("{u}")[{esc(u)}]]')


main(sys.argv[1])
