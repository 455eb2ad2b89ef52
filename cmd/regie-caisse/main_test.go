package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// TestDemoThenVerify runs the headless demo day and the verify command on
// its file, then tampers with the file and checks verify's exit status and
// French report.
func TestDemoThenVerify(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "demo", "caisse.db")
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"demo-console", "--db", db}, &out, &errb); code != 0 {
		t.Fatalf("demo exit %d: %s %s", code, out.String(), errb.String())
	}
	for _, want := range []string{"R-ENF-C01-", "-000002", "quatre-vingt-treize euros et soixante centimes", "Résultat : journal intègre."} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("demo output lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	if code := run(ctx, []string{"verify", db}, &out, &errb); code != 0 {
		t.Fatalf("verify intact: exit %d\n%s", code, out.String())
	}

	raw, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TRIGGER journal_no_update`,
		`UPDATE journal SET data = replace(data, '"amount":2000', '"amount":200') WHERE kind = 'payment'`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	out.Reset()
	if code := run(ctx, []string{"verify", db}, &out, &errb); code != 1 {
		t.Fatalf("verify tampered: exit %d, want 1\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "JOURNAL ALTÉRÉ") || !strings.Contains(out.String(), "entrée n°") {
		t.Fatalf("verify report:\n%s", out.String())
	}

	errb.Reset()
	if code := run(ctx, []string{"verify", filepath.Join(t.TempDir(), "absent.db")}, &out, &errb); code != 2 {
		t.Fatalf("verify missing file: exit %d, want 2", code)
	}
	if !strings.Contains(errb.String(), "Fichier introuvable") {
		t.Fatalf("stderr: %s", errb.String())
	}
}

func TestUnknownCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"frobnicate"}, &out, &errb); code != 2 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(errb.String(), "Commande inconnue") {
		t.Fatalf("stderr: %s", errb.String())
	}
}
