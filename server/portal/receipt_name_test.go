package portal

import (
	"mime"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/http/httpguts"
)

// FuzzReceiptDisposition: whatever a receipt number holds, the download's
// Content-Disposition is one valid header value that names an attachment
// and reads back, with mime.ParseMediaType, as that very number (or the
// plain fallback name).
func FuzzReceiptDisposition(f *testing.F) {
	for _, s := range []string{"R-ENF-C01-2026-000042", `R-"ENF-C01`, "R-ENF\r\nSet-Cookie: x=1", "R-éèç-2026",
		"R-ENF;filename=evil.exe", `\`, "", "R-\x00-1", strings.Repeat("9", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, number string) {
		v := receiptDisposition(number)
		if !httpguts.ValidHeaderFieldValue(v) {
			t.Fatalf("invalid header value %q for %q", v, number)
		}
		h := http.Header{}
		h.Set("Content-Disposition", v)
		if h.Get("Content-Disposition") != v {
			t.Fatalf("header changed: %q", v)
		}
		typ, params, err := mime.ParseMediaType(v)
		if err != nil || typ != "attachment" {
			t.Fatalf("%q does not parse: %v", v, err)
		}
		if name := params["filename"]; name != number+".pdf" && name != "recu.pdf" {
			t.Fatalf("%q names %q, want %q", v, name, number+".pdf")
		}
	})
}
