package backoffice

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/demoserver"
	"github.com/regie-fr/regie/server/store"
)

// exportWorld is the fixture with data around household h-0001: a
// transfer entered for it and one for its neighbour h-0002, an invoice of
// it in PIS too, a portal link that ended and one that stands, the demo's
// linking slip.
func exportWorld(t *testing.T) *fixture {
	f := newFixture(t)
	f.addPISInvoice()
	err := f.st.Update(context.Background(), func(tx *store.Tx) error {
		_, err := demoserver.Slip(tx, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.st.Exec(`INSERT INTO portal_links (subject, household_id, linked_at, unlinked_at, via, name, unlinked_by) VALUES
		('sub-a', 'h-0001', '2026-10-01T08:00:00Z', '2026-11-01T08:00:00Z', 'identity', 'Hélène Lefèvre', 'self'),
		('sub-b', 'h-0001', '2026-11-02T08:00:00Z', NULL, 'slip', 'Julien Lefèvre', NULL),
		('sub-c', 'h-0002', '2026-11-02T08:00:00Z', NULL, 'identity', 'Thomas Nguyen', NULL)`)
	if err != nil {
		t.Fatal(err)
	}
	b := f.login("mdupont", "regisseur-demo")
	for _, p := range []url2{{"h-0001", "i-0001-1", "61,60"}, {"h-0002", "i-0002-1", "61,60"}} {
		if res, body := b.postEntry(b.entryForm("ENF", p.h, p.i, p.amount)); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("entry: %d %.300s", res.StatusCode, body)
		}
	}
	return f
}

type url2 struct{ h, i, amount string }

// readZip downloads an export and reads every file of it.
func (b *browser) readZip(path string) (*http.Response, map[string][]byte) {
	b.f.t.Helper()
	res, body := b.get(path)
	if res.StatusCode != http.StatusOK {
		return res, nil
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		b.f.t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			b.f.t.Fatal(err)
		}
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return res, files
}

// TestHouseholdExport: the régisseur's export holds the household, its
// members, its invoices and payments of the régie with each receipt's PDF,
// the portal links and linking slips — and nothing of another household or
// of a régie the régisseur does not hold; it is audited.
func TestHouseholdExport(t *testing.T) {
	f := exportWorld(t)
	b := f.login("mdupont", "regisseur-demo")
	_, page := b.get("/gestion/foyers/h-0001")
	contains(t, page, "Lefèvre Hélène", "/gestion/foyers/h-0001/export.zip", "FAC-2026-00101")
	res, files := b.readZip("/gestion/foyers/h-0001/export.zip")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("status %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var d struct {
		Format    string `json:"format"`
		Regies    []struct{ Code string }
		Household struct {
			ID, Account, Name string
			Members           []map[string]any
		}
		Invoices []struct {
			Regie   string
			Invoice struct{ Number string }
			Paid    int64
		}
		Payments []struct {
			Payment struct {
				Receipt string
				Tenders []struct {
					Mode, Reference string
					ValueDate       string `json:"value_date"`
				}
			}
			ReceiptFile string `json:"receipt_file"`
		}
		PortalLinks []struct {
			Name       string
			Via        string
			UnlinkedAt *time.Time `json:"unlinked_at"`
		} `json:"portal_links"`
		LinkingSlips []struct{ Document string } `json:"linking_slips"`
	}
	if err := json.Unmarshal(files["foyer.json"], &d); err != nil {
		t.Fatalf("foyer.json: %v", err)
	}
	if d.Format != store.HouseholdDataFormat || d.Household.ID != "h-0001" || len(d.Household.Members) != 2 {
		t.Errorf("household: %+v", d.Household)
	}
	if len(d.Regies) != 1 || d.Regies[0].Code != "ENF" || len(d.Invoices) != 3 {
		t.Errorf("régies %v, %d invoices", d.Regies, len(d.Invoices))
	}
	for _, inv := range d.Invoices {
		if inv.Regie != "ENF" {
			t.Errorf("invoice of %s exported", inv.Regie)
		}
	}
	if len(d.Payments) != 1 || d.Payments[0].Payment.Tenders[0].ValueDate != today() {
		t.Fatalf("payments: %+v", d.Payments)
	}
	if len(d.PortalLinks) != 2 || d.PortalLinks[0].UnlinkedAt == nil || d.PortalLinks[1].Via != "slip" {
		t.Errorf("links: %+v", d.PortalLinks)
	}
	if len(d.LinkingSlips) != 1 || d.LinkingSlips[0].Document != "carte d'identité" {
		t.Errorf("slips: %+v", d.LinkingSlips)
	}
	pdf := files[d.Payments[0].ReceiptFile]
	if pdf == nil {
		t.Fatalf("no %s in the archive", d.Payments[0].ReceiptFile)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{d.Payments[0].Payment.Receipt, "Lefèvre Hélène", "61,60", "Virement"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q", want)
		}
	}
	var names []string
	for name, data := range files {
		names = append(names, name)
		content := string(data)
		if strings.HasSuffix(name, ".pdf") {
			content = pdfText(t, data)
		}
		for _, other := range []string{"Nguyen", "h-0002", "F001002", "K7Q101X", "PIS-2026-1", "sub-a"} {
			if strings.Contains(content, other) {
				t.Errorf("%s holds %q", name, other)
			}
		}
	}
	slices.Sort(names)
	if len(names) != 3 || names[0] != "LISEZMOI.txt" {
		t.Errorf("files %v", names)
	}
	if n := f.count(`SELECT count(*) FROM audit WHERE action = 'household.export' AND regie = 'ENF' AND target = 'h-0001'`); n != 1 {
		t.Errorf("%d audit entries", n)
	}
}

// TestHouseholdExportScope: the régisseur of PIS exports only what PIS
// holds of the household; the city's finance service both régies; the
// administrator nothing; an unknown or unrelated household is not found.
func TestHouseholdExportScope(t *testing.T) {
	f := exportWorld(t)
	pis := f.login("pisreg", "pisreg-pass")
	_, files := pis.readZip("/gestion/foyers/h-0001/export.zip")
	var d store.HouseholdData
	if err := json.Unmarshal(files["foyer.json"], &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Regies) != 1 || d.Regies[0].Code != "PIS" || len(d.Invoices) != 1 || len(d.Payments) != 0 || len(files) != 2 {
		t.Errorf("PIS export: régies %v, %d invoices, %d payments, %d files", d.Regies, len(d.Invoices), len(d.Payments), len(files))
	}
	if res, _ := pis.get("/gestion/foyers/h-0002/export.zip"); res.StatusCode != http.StatusNotFound {
		t.Errorf("PIS exports an ENF-only household: %d", res.StatusCode)
	}
	if res, _ := pis.get("/gestion/foyers/h-0002"); res.StatusCode != http.StatusNotFound {
		t.Errorf("PIS sees an ENF-only household: %d", res.StatusCode)
	}

	fin := f.login("finances", "finances-demo")
	_, files = fin.readZip("/gestion/foyers/h-0001/export.zip")
	d = store.HouseholdData{}
	if err := json.Unmarshal(files["foyer.json"], &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Regies) != 2 || len(d.Invoices) != 4 || len(d.Payments) != 1 {
		t.Errorf("finance export: régies %v, %d invoices, %d payments", d.Regies, len(d.Invoices), len(d.Payments))
	}

	admin := f.sessionFor(f.addStaff("adm", "Administrateur", store.Grant{Role: store.RoleAdmin}))
	before := f.count(`SELECT count(*) FROM audit WHERE action = 'household.export'`)
	if res, _ := admin.get("/gestion/foyers/h-0001/export.zip"); res.StatusCode != http.StatusForbidden {
		t.Errorf("administrator exports: %d", res.StatusCode)
	}
	reg := f.login("mdupont", "regisseur-demo")
	if res, _ := reg.get("/gestion/foyers/nobody/export.zip"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown household: %d", res.StatusCode)
	}
	if after := f.count(`SELECT count(*) FROM audit WHERE action = 'household.export'`); after != before {
		t.Errorf("refused exports audited: %d → %d", before, after)
	}
}
