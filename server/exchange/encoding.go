package exchange

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// The encodings an import accepts. French tools export either UTF-8 or
// Windows-1252 ("ANSI"), rarely saying which.
const (
	EncodingAuto = "auto"
	EncodingUTF8 = "utf-8"
	Encoding1252 = "windows-1252"
)

// decodeText turns a file into UTF-8 text. With "auto", a file that is
// valid UTF-8 is taken as such, one without any UTF-8 multi-byte sequence as
// Windows-1252; a file that mixes both (some lines saved by one tool, some
// by another) is refused, since no reading of it is right. UTF-16 and
// binary files are refused too. Problems name the lines at fault.
func decodeText(file string, data []byte, enc string, ps *problems) (string, bool) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) || bytes.IndexByte(data, 0) >= 0 {
		ps.add(file, 0, "fichier en UTF-16 ou binaire : enregistrez-le en UTF-8 ou en Windows-1252 (ANSI)")
		return "", false
	}
	switch strings.ToLower(enc) {
	case "", EncodingAuto:
		if utf8.Valid(data) {
			return string(data), true
		}
		if hasUTF8Sequence(data) {
			for i, line := range bytes.Split(data, []byte("\n")) {
				if !utf8.Valid(line) {
					ps.add(file, i+1, "encodage incohérent : cette ligne n'est pas en UTF-8 alors que d'autres le sont")
				}
			}
			return "", false
		}
		return decode1252(data), true
	case EncodingUTF8, "utf8":
		ok := true
		for i, line := range bytes.Split(data, []byte("\n")) {
			if !utf8.Valid(line) {
				ps.add(file, i+1, "caractères invalides en UTF-8 (le fichier est-il en Windows-1252 ?)")
				ok = false
			}
		}
		return string(data), ok
	case Encoding1252, "cp1252", "ansi", "latin1", "iso-8859-1", "iso-8859-15":
		return decode1252(data), true
	}
	ps.add(file, 0, "encodage inconnu « %s » (auto, utf-8 ou windows-1252)", enc)
	return "", false
}

func decode1252(data []byte) string {
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil { // never for a single-byte charmap
		panic(fmt.Sprintf("exchange: windows-1252: %v", err))
	}
	return string(out)
}

// hasUTF8Sequence tells whether data holds at least one well-formed UTF-8
// multi-byte character.
func hasUTF8Sequence(data []byte) bool {
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if r != utf8.RuneError && n > 1 {
			return true
		}
		i++
	}
	return false
}
