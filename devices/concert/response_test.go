package concert

import (
	"strings"
	"testing"

	"github.com/regie-fr/regie"
)

func TestResponseFullAndShort(t *testing.T) {
	full := Response{Till: 1, Status: StatusAccepted, Amount: 1250, Mode: ModeCard, Full: true,
		CardData: "4970101234567890", Currency: CurrencyEUR, Private: "A12345"}
	msg, err := full.Encode()
	if err != nil {
		t.Fatal(err)
	}
	want := "010000012501" + "4970101234567890" + strings.Repeat(" ", 39) + "978" + "A12345    "
	if string(msg) != want {
		t.Fatalf("encoded %q\nwant    %q", msg, want)
	}
	frame, _ := Frame(msg)
	if len(frame) != 83 {
		t.Fatalf("full answer framed in %d bytes, want 83", len(frame))
	}
	got, err := DecodeResponse(msg)
	if err != nil || got != full {
		t.Fatalf("decoded %+v %v", got, err)
	}
	if !got.Accepted() || got.MaskedPAN() != "497010******7890" {
		t.Fatalf("accepted %v, masked %q", got.Accepted(), got.MaskedPAN())
	}

	short := Response{Till: 12, Status: StatusRefused, Amount: 99_999_999, Mode: ModeCard, Currency: CurrencyEUR}
	msg, err = short.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if want := "127999999991978" + strings.Repeat(" ", 10); string(msg) != want {
		t.Fatalf("short answer %q", msg)
	}
	if frame, _ := Frame(msg); len(frame) != 28 {
		t.Fatalf("short answer framed in %d bytes, want 28", len(frame))
	}
	got, err = DecodeResponse(msg)
	if err != nil || got != short || got.Accepted() || got.MaskedPAN() != "" {
		t.Fatalf("decoded %+v %v", got, err)
	}
}

func TestDecodeResponseBounds(t *testing.T) {
	const good = "010000012501978A12345    "
	at := func(i int, s string) string { return good[:i] + s + good[i+len(s):] }
	for _, tc := range []struct{ name, msg string }{
		{"24 characters", good[:24]},
		{"26 characters", good + " "},
		{"79 characters", good + strings.Repeat(" ", 54)},
		{"till letters", at(0, "X1")},
		{"amount letters", at(3, "0000125O")},
		{"currency letters", at(12, "EUR")},
		{"control byte", at(20, "\x04")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r, err := DecodeResponse([]byte(tc.msg)); err == nil {
				t.Fatalf("decoded %+v, want an error", r)
			}
		})
	}
	r, err := DecodeResponse([]byte(at(2, "9")))
	if err != nil || r.Status != StatusNotProcessed || r.Accepted() || r.Private != "A12345" || r.Amount != 1250 {
		t.Fatalf("status 9: %+v %v", r, err)
	}
	for _, bad := range []Response{
		{Till: 100, Status: '0', Mode: '1', Currency: "978"},
		{Till: 1, Status: '0', Mode: '1', Currency: "978", Amount: -1},
		{Till: 1, Status: 0x01, Mode: '1', Currency: "978"},
		{Till: 1, Status: '0', Mode: '1', Currency: "97"},
		{Till: 1, Status: '0', Mode: '1', Currency: "978", Private: "01234567890"},
		{Till: 1, Status: '0', Mode: '1', Currency: "978", Full: true, CardData: strings.Repeat("4", 56)},
	} {
		if msg, err := bad.Encode(); err == nil {
			t.Errorf("%+v encoded as %q, want an error", bad, msg)
		}
	}
}

func TestMaskPAN(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"4970101234567890", "497010******7890"},
		{"4970101234567890   =2512 extra", "497010******7890"},
		{"  5131420000000009", "513142******0009"},
		{"4970101234567890123", "497010*********0123"},
		{"49701012345678901234567", "497010*********0123"}, // 19 digits at most
		{"4970101234567", "497010***4567"},
		{"497010123456", "********3456"},
		{"4970101234", "******1234"},
		{"12345", "***45"},
		{"1234", "**34"},
		{"1", "*"},
		{"", ""},
		{"ABCDEF", ""},
	} {
		got := MaskPAN(tc.in)
		if got != tc.want {
			t.Errorf("MaskPAN(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got != "" && !regie.MaskedPANOK(got) {
			t.Errorf("MaskPAN(%q) = %q, refused by regie.MaskedPANOK", tc.in, got)
		}
	}
}
