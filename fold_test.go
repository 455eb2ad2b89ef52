package regie

import "testing"

func TestFoldName(t *testing.T) {
	for _, c := range [][2]string{
		{"Lefèvre", "lefevre"}, {"LEFEVRE", "lefevre"}, {"  le-FÈVRE  ", "le fevre"},
		{"N’Diaye", "n diaye"}, {"D'Artagnan  de   Castelmore", "d artagnan de castelmore"},
		{"Kœnig", "koenig"}, {"Müller-Lüdenscheidt", "muller ludenscheidt"}, {"", ""},
	} {
		if got := FoldName(c[0]); got != c[1] {
			t.Errorf("FoldName(%q) = %q, want %q", c[0], got, c[1])
		}
	}
	if FoldName("Lefèvre") == FoldName("Lefebvre") {
		t.Error("two different names fold alike")
	}
	for _, same := range [][2]string{{"Lefèvre", "  LE-FEVRE "}, {"Le Fèvre", "lefevre"}, {"N'Diaye", "Ndiaye"}} {
		if !SameName(same[0], same[1]) {
			t.Errorf("%q and %q are not the same name", same[0], same[1])
		}
	}
	for _, other := range [][2]string{{"Lefèvre", "Lefebvre"}, {"", ""}, {" - ", "-"}, {"Martin", "Martine"}} {
		if SameName(other[0], other[1]) {
			t.Errorf("%q and %q are the same name", other[0], other[1])
		}
	}
}

func TestAdultOn(t *testing.T) {
	for _, c := range []struct {
		birth, day string
		want       bool
	}{
		{"2008-12-03", "2026-12-03", true}, {"2008-12-04", "2026-12-03", false},
		{"2008-02-29", "2026-02-28", false}, {"2008-02-29", "2026-03-01", true},
		{"1984-05-12", "2026-12-03", true}, {"", "2026-12-03", false}, {"12/05/1984", "2026-12-03", false},
	} {
		if got := AdultOn(c.birth, c.day); got != c.want {
			t.Errorf("AdultOn(%s, %s) = %v", c.birth, c.day, got)
		}
	}
}
