package assets

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"io"
	"testing"
)

// TestFonts checks that each embedded font pair is what gofpdf expects: a
// cp1252 TrueType definition whose .z inflates to the size it announces.
func TestFonts(t *testing.T) {
	for name, f := range map[string]struct{ def, z []byte }{
		"regular": {FontRegularJSON, FontRegularZ},
		"bold":    {FontBoldJSON, FontBoldZ},
	} {
		t.Run(name, func(t *testing.T) {
			var def struct {
				Tp, Enc      string
				Cw           []int
				OriginalSize int
			}
			if err := json.Unmarshal(f.def, &def); err != nil {
				t.Fatal(err)
			}
			if def.Tp != "TrueType" || def.Enc != "cp1252" || len(def.Cw) != 256 {
				t.Fatalf("definition %+v", def)
			}
			r, err := zlib.NewReader(bytes.NewReader(f.z))
			if err != nil {
				t.Fatal(err)
			}
			n, err := io.Copy(io.Discard, r)
			if err != nil || int(n) != def.OriginalSize {
				t.Fatalf("inflated %d bytes (%v), want %d", n, err, def.OriginalSize)
			}
			// € (0x80), é (0xE9) and œ (0x9C) have real widths, not the
			// missing-glyph default.
			for _, c := range []int{0x80, 0xE9, 0x9C, 0xAB, 0xBB} {
				if def.Cw[c] == 600 {
					t.Errorf("code 0x%02X has the missing width", c)
				}
			}
		})
	}
}
