#!/usr/bin/env python3
"""Cuts the committed Inter faces down to the repertoire notice-pdf typesets.

Usage: python3 fonts/cut.py /usr/share/fonts/opentype/inter fonts/
(the source is Debian's fonts-inter 4.0~beta7+ds-1; needs fonttools from PyPI).

Each face keeps the code points of REPERTOIRE (the same ranges as `fonts::REPERTOIRE` in
src/fonts.rs, which a test checks) and every glyph and OpenType layout feature (GSUB, GPOS)
that reaches from them, so shaping, kerning and outlines of that text are unchanged. A smaller
font is parsed, shaped with and subset faster for every document. Validation refuses any other
character with the data file's line and column. Licence: SIL OFL 1.1 (LICENSE-Inter.txt beside
this file), which allows modified versions; Inter declares no Reserved Font Name.
"""
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

REPERTOIRE = (
    list(range(0x20, 0x7F))  # Basic Latin
    + list(range(0xA0, 0x180))  # Latin-1 Supplement, Latin Extended-A
    + list(range(0x2010, 0x2028))  # dashes, quotes, bullet, ellipsis
    + [0x2030, 0x2032, 0x2033, 0x2039, 0x203A, 0x20AC, 0x2122, 0x2212, 0x25AA, 0x25E6]
)
FACES = ["Regular", "SemiBold", "Italic", "SemiBoldItalic"]


def cut(src: Path, dst: Path) -> None:
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.hinting = False
    # The original timestamps: the same input gives the same bytes.
    font = TTFont(src, recalcTimestamp=False)
    s = subset.Subsetter(opts)
    s.populate(unicodes=REPERTOIRE)
    s.subset(font)
    font.save(dst)


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    for face in FACES:
        cut(source / f"Inter-{face}.otf", target / f"Inter-{face}.otf")
