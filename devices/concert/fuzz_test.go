package concert

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the frame parser and to both
// decoders: they must never panic, whatever they accept must encode back to
// the same bytes, and a masked card number never shows more than ten digits.
func FuzzDecode(f *testing.F) {
	f.Add(workedExample)
	f.Add([]byte("0100001250110978          A010B010"))
	f.Add([]byte("0100001250110978          "))
	f.Add([]byte("010000012501978A12345    "))
	f.Add([]byte("010000012501" + "4970101234567890" + strings.Repeat(" ", 39) + "978" + "A12345    "))
	full, _ := Frame([]byte("017000012501" + "5131420000000009=2512" + strings.Repeat(" ", 34) + "978" + "          "))
	f.Add(full)
	f.Add([]byte{STX, ETX, ETX})
	f.Fuzz(func(t *testing.T, data []byte) {
		if msg, err := ParseFrame(data); err == nil {
			again, err := Frame(msg)
			if err != nil || !bytes.Equal(again, data) {
				t.Fatalf("ParseFrame accepted % X; Frame gives % X, %v", data, again, err)
			}
			data = msg
		}
		if req, err := DecodeRequest(data); err == nil {
			again, err := req.Encode()
			if err != nil || !bytes.Equal(again, data) {
				t.Fatalf("DecodeRequest accepted %q as %+v; Encode gives %q, %v", data, req, again, err)
			}
		}
		resp, err := DecodeResponse(data)
		if err != nil {
			return
		}
		again, err := resp.Encode()
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("DecodeResponse accepted %q as %+v; Encode gives %q, %v", data, resp, again, err)
		}
		masked := resp.MaskedPAN()
		digits := 0
		for _, c := range masked {
			if c >= '0' && c <= '9' {
				digits++
			}
		}
		if digits > 10 || (masked != "" && !strings.Contains(masked, "*")) {
			t.Fatalf("MaskedPAN %q of %q", masked, data)
		}
		if shown, _ := maskFrame(append(append([]byte{STX}, data...), ETX, 0)); resp.Full && masked != "" &&
			bytes.Contains(shown, []byte(strings.TrimSpace(resp.CardData))) && len(strings.TrimSpace(resp.CardData)) > 10 {
			t.Fatalf("trace of %q shows the card data", data)
		}
	})
}
