package store

import "testing"

// FuzzParseCursor: any text given as a page cursor is either refused or
// read back into the cursor it encodes.
func FuzzParseCursor(f *testing.F) {
	f.Add(searchKey{at: "2026-11-27T08:01:00.000Z", id: "E1"}.String())
	f.Add("MjAyNi0xMS0yN1QwODowMTowMC4wMDBafA")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := parseCursor(s)
		if err != nil {
			return
		}
		if k.id == "" || len(k.at) != len("2006-01-02T15:04:05.000Z") {
			t.Fatalf("%q read as %+v", s, k)
		}
		if again, err := parseCursor(k.String()); err != nil || *again != *k {
			t.Fatalf("%q: %+v then %+v, %v", s, k, again, err)
		}
	})
}
