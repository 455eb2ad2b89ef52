#!/bin/sh
# makefont.sh regenerates the PDF fonts under assets/fonts/ from Debian's
# DejaVu Sans. It is a one-off step, run by hand when the font must change,
# never by make: the results are committed and embedded with go:embed.
#
# Needs: fonts-dejavu-core and python3-fonttools (apt-get install), Go.
#
# 1. Subset DejaVu Sans (regular and bold) to the characters of Windows-1252
#    (Latin-1, €, œ, Œ, Ÿ, ‘ ’ “ ” „, – —, …, « », …) plus the narrow
#    no-break spaces: parsing a whole TrueType font costs ~13 ms a document.
# 2. Convert each subset with gofpdf.MakeFont and gofpdf's cp1252.map into a
#    .json (metrics) and a .z (zlib-compressed font program), which
#    AddFontFromBytes loads in well under a millisecond.
set -eu
cd "$(dirname "$0")/../.."
SRC=${DEJAVU_DIR:-/usr/share/fonts/truetype/dejavu}
OUT=assets/fonts
MAP="$(go env GOMODCACHE)/github.com/jung-kurt/gofpdf@v1.16.2/font/cp1252.map"
PY=${PYTHON:-/usr/bin/python3}
[ -f "$MAP" ] || go mod download github.com/jung-kurt/gofpdf
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Every code point cp1252.map gives a glyph to (0x20 and up), plus U+202F and
# U+2009 so that a narrow space in a future string still has a glyph.
UNICODES=$(awk '$2 ~ /^U\+/ && $3 != ".notdef" { print substr($2, 3) }' "$MAP" | paste -sd, -),202F,2009

for pair in DejaVuSans:DejaVuSans DejaVuSans-Bold:DejaVuSans-Bold; do
	in=${pair%%:*}
	out=${pair##*:}
	"$PY" -m fontTools.subset "$SRC/$in.ttf" --unicodes="$UNICODES" \
		--layout-features='kern' --no-hinting --desubroutinize \
		--output-file="$TMP/$out.ttf"
done

cat > "$TMP/main.go" <<GO
package main

import (
	"log"
	"os"

	"github.com/jung-kurt/gofpdf"
)

func main() {
	for _, f := range os.Args[1:] {
		if err := gofpdf.MakeFont(f, "$MAP", "$OUT", os.Stderr, true); err != nil {
			log.Fatal(err)
		}
	}
}
GO
go run "$TMP/main.go" "$TMP/DejaVuSans.ttf" "$TMP/DejaVuSans-Bold.ttf"
cp /usr/share/doc/fonts-dejavu-core/copyright "$OUT/LICENSE-DejaVu.txt"
ls -l "$OUT"
