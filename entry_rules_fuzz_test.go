package regie

import (
	"bytes"
	"testing"
	"time"
)

// FuzzDecodeEntry feeds the one decoder of every journal reader arbitrary
// kinds and data: it never panics, CheckEntry never panics on what it
// accepts, and what it accepts says the same once written canonically again
// (no key the hash covers is lost or read two ways).
func FuzzDecodeEntry(f *testing.F) {
	at := time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC)
	for _, kind := range []EntryKind{KindPayment, KindCancellation, KindClosing, KindDeposit, KindSessionOpen, KindLogin, KindReprint, KindSettings, KindVerification} {
		f.Add(string(kind), `{"id":"e1","agent":"a1","at":"2026-12-03T09:30:00.000Z","day":"2026-12-03"}`)
	}
	f.Add(string(KindPayment), `{"id":"e1","tenders":[{"mode":"cash","amount":100}],"Tenders":[{"mode":"card","amount":-5}]}`)
	f.Add(string(KindPayment), `{"id":"e1","total":1e3}`)
	f.Add("refund", `{}`)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, kind, data string) {
		e := &Entry{Counter: "C01", Seq: 1, ID: "e1", Kind: EntryKind(kind), At: at, Agent: "a1", Data: []byte(data)}
		obj, err := DecodeEntry(e)
		if err != nil {
			if ErrorCodeOf(err) == "" || ErrorMessage(err) == "" {
				t.Fatalf("refusal without a code or a French message: %v", err)
			}
			return
		}
		_ = CheckEntry(e, obj, paris)
		canon, err := Canonical(obj)
		if err != nil {
			return // not representable canonically (e.g. a bad time): the writer refuses it
		}
		again, err := DecodeEntry(&Entry{Kind: e.Kind, Data: canon})
		if err != nil {
			t.Fatalf("canonical form of an accepted entry refused: %v\n%s", err, canon)
		}
		canon2, err := Canonical(again)
		if err != nil || !bytes.Equal(canon, canon2) {
			t.Fatalf("canonical form not stable:\n%s\n%s (%v)", canon, canon2, err)
		}
	})
}
