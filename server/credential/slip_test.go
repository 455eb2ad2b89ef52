package credential

import "testing"

// TestSlipCode: the same key and id give the same code (a counter's retry
// gets its slip back); another id or key another code; the code is in the
// enrolment alphabet and survives the normalisation people's typing gets.
func TestSlipCode(t *testing.T) {
	k1, k2 := []byte("clé-1-de-trente-deux-octets....."), []byte("clé-2-de-trente-deux-octets.....")
	a := SlipCode(k1, "id-1")
	if a != SlipCode(k1, "id-1") || a == SlipCode(k1, "id-2") || a == SlipCode(k2, "id-1") {
		t.Fatal("slip codes not derived from key and id alone")
	}
	if len(a) != 19 || NormalizeEnrolCode(a) != NormalizeEnrolCode(" "+a[:5]+" "+a[5:]) || len(NormalizeEnrolCode(a)) != 16 {
		t.Fatalf("code %q", a)
	}
	if Hash(NormalizeEnrolCode(a)) != HashEnrolCode(a) {
		t.Fatal("hash of the typed code differs")
	}
}
