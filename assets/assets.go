// Package assets holds the files the programs carry inside their binary, so
// that a counter installed from a single executable prints the same documents
// everywhere, with nothing to find on disk.
package assets

import _ "embed"

// The PDF font: DejaVu Sans, regular and bold, subset to the Windows-1252
// characters (Latin-1, €, œ, « », ’, …) and converted once for gofpdf by
// printing/tools/makefont.sh. Each style is a metrics file (.json) and the
// compressed font program (.z), the pair gofpdf.AddFontFromBytes takes:
// loading them costs a fraction of a millisecond, where parsing a whole
// TrueType font costs about 13 ms a document. Licence: fonts/LICENSE-DejaVu.txt.
var (
	//go:embed fonts/DejaVuSans.json
	FontRegularJSON []byte
	//go:embed fonts/DejaVuSans.z
	FontRegularZ []byte
	//go:embed fonts/DejaVuSans-Bold.json
	FontBoldJSON []byte
	//go:embed fonts/DejaVuSans-Bold.z
	FontBoldZ []byte
)
