package portal_test

import (
	"os"
	"testing"
)

func TestZZDump(t *testing.T) {
	dir := os.Getenv("REGIE_DUMP")
	if dir == "" {
		t.Skip()
	}
	e := newEnv(t, nil)
	fillBench(t, e.f.st, 2000)
	b := e.browser()
	b.linkHousehold(helene, h1Code, "FAC-2026-00101", "")
	for name, u := range map[string]string{"h1-2026": "/paiements", "h1-2025": "/paiements?annee=2025", "h1-2031": "/paiements?annee=2031"} {
		os.WriteFile(dir+"/"+name+".html", []byte(b.get(u).body), 0o644)
	}
	c := e.browser()
	c.linkHousehold(helene, "BENCH01", "FAC-B-1", "")
	os.WriteFile(dir+"/hb.html", []byte(c.get("/paiements").body), 0o644)
}
