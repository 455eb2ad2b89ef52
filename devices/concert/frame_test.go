package concert

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// workedExample is the 37-byte E+ frame of CONCERT.md: 12,50 €, till 01,
// full answer, card, debit, EUR, no private data, A010, B010.
var workedExample = []byte{
	0x02, 0x30, 0x31, 0x30, 0x30, 0x30, 0x30, 0x31, 0x32, 0x35, 0x30, 0x31, 0x31, 0x30, 0x39, 0x37, 0x38,
	0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x41, 0x30, 0x31, 0x30, 0x42, 0x30, 0x31, 0x30,
	0x03, 0x01,
}

func TestWorkedExample(t *testing.T) {
	if len(workedExample) != 37 {
		t.Fatalf("the worked example has %d bytes", len(workedExample))
	}
	req := Request{Till: 1, Amount: 1250, FullAnswer: true, Mode: ModeCard, Type: Debit, Currency: CurrencyEUR}
	msg, err := req.Encode()
	if err != nil {
		t.Fatal(err)
	}
	frame, err := Frame(msg)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(frame, workedExample) {
		t.Fatalf("encoded\n% X\nwant\n% X", frame, workedExample)
	}
	if LRC(msg) != 0x01 {
		t.Fatalf("LRC = %#x, want 0x01", LRC(msg))
	}
	back, err := ParseFrame(workedExample)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeRequest(back)
	if err != nil {
		t.Fatal(err)
	}
	req.Delay, req.Auth = DelayEnd, AuthTerminal
	if got != req {
		t.Fatalf("decoded %+v, want %+v", got, req)
	}
}

func TestParseFrameErrors(t *testing.T) {
	good := append([]byte(nil), workedExample...)
	badLRC := append([]byte(nil), good...)
	badLRC[36] ^= 0xFF
	noSTX := append([]byte{'0'}, good[1:]...)
	noETX := append([]byte(nil), good...)
	noETX[35] = ' '
	etxInside := []byte{STX, 'A', ETX, 'B', ETX, 0}
	etxInside[5] = ETX ^ 'A' ^ ETX ^ 'B'
	ctrl, _ := Frame([]byte("AB"))
	ctrl[1] = 0x1F
	high, _ := Frame([]byte("AB"))
	high[2] = 0x80
	long := append(append([]byte{STX}, bytes.Repeat([]byte{'x'}, 510)...), ETX, 0)
	for _, tc := range []struct {
		name  string
		frame []byte
		want  error
	}{
		{"bad LRC", badLRC, ErrLRC},
		{"no STX", noSTX, ErrFrame},
		{"no ETX", noETX, ErrFrame},
		{"ETX inside", etxInside, ErrFrame},
		{"too short", []byte{STX, ETX}, ErrFrame},
		{"control byte", ctrl, ErrNotASCII},
		{"byte over 0x7F", high, ErrNotASCII},
		{"513 bytes", long, ErrTooLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseFrame(tc.frame); !errors.Is(err, tc.want) {
				t.Fatalf("ParseFrame: %v, want %v", err, tc.want)
			}
		})
	}
}

func TestFrameBounds(t *testing.T) {
	max := bytes.Repeat([]byte{0x7F}, MaxFrame-3)
	f, err := Frame(max)
	if err != nil || len(f) != MaxFrame {
		t.Fatalf("509-byte message: %d bytes, %v", len(f), err)
	}
	if msg, err := ParseFrame(f); err != nil || !bytes.Equal(msg, max) {
		t.Fatalf("ParseFrame of the longest frame: %v", err)
	}
	if _, err := Frame(append(max, 'x')); !errors.Is(err, ErrTooLong) {
		t.Fatalf("510-byte message: %v", err)
	}
	if _, err := Frame([]byte{'a', 0x05}); !errors.Is(err, ErrNotASCII) {
		t.Fatalf("ENQ inside a message: %v", err)
	}
	if f, err := Frame(nil); err != nil || !bytes.Equal(f, []byte{STX, ETX, ETX}) {
		t.Fatalf("empty message: % X %v", f, err)
	}
}

func TestHexDump(t *testing.T) {
	lines := HexDump(workedExample)
	if len(lines) != 3 {
		t.Fatalf("%d lines: %q", len(lines), lines)
	}
	if want := "02 30 31 30 30 30 30 31 32 35 30 31 31 30 39 37  |.010000125011097|"; lines[0] != want {
		t.Fatalf("line 1 = %q, want %q", lines[0], want)
	}
	if want := "30 31 30 03 01"; !strings.HasPrefix(lines[2], want) || !strings.HasSuffix(lines[2], "|010..|") {
		t.Fatalf("line 3 = %q", lines[2])
	}
	if len(lines[2]) != len(lines[0])-11 {
		t.Fatalf("ASCII column not aligned: %q", lines)
	}
}

func TestTraceMasksCardNumber(t *testing.T) {
	resp := Response{Till: 1, Status: StatusAccepted, Amount: 1250, Mode: ModeCard, Full: true,
		CardData: "4970101234567890", Currency: CurrencyEUR, Private: "123456"}
	msg, err := resp.Encode()
	if err != nil {
		t.Fatal(err)
	}
	frame, _ := Frame(msg)
	var out strings.Builder
	tr := newTracer(&out, "TPE", "caisse")
	tr.bytes(true, frame, "")
	tr.bytes(false, []byte{ACK}, "")
	got := out.String()
	for _, want := range []string{"TPE → caisse", "caisse → TPE", "trame de 83 octets", "numéro de carte masqué", "|010******7890   |", "ACK"} {
		if !strings.Contains(got, want) {
			t.Errorf("trace lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "1234567890") || strings.Contains(got, "31 32 33 34 35 36 37 38") {
		t.Fatalf("trace shows the card number:\n%s", got)
	}
}
