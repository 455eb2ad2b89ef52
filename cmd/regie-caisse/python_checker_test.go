package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pythonChecker extracts the checker of docs/journal.md, section 8, into a
// file: the test runs the very program the documentation shows.
func pythonChecker(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Fatal("python3 is not installed (make deps installs it): the documented checker cannot be run")
	}
	doc, err := os.ReadFile("../../docs/journal.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(doc), "## 8. ")
	_, code, ok2 := strings.Cut(sec, "```python\n")
	code, _, ok3 := strings.Cut(code, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("docs/journal.md has no Python program in section 8")
	}
	path := filepath.Join(t.TempDir(), "check.py")
	if err := os.WriteFile(path, []byte(code), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func runPython(t *testing.T, checker, file string) (string, int) {
	t.Helper()
	out, err := exec.Command("python3", checker, file).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), 0
}

// TestPythonCheckerOfTheDocs runs the documented checker on the fixed
// vectors and a counter file, intact and broken.
func TestPythonCheckerOfTheDocs(t *testing.T) {
	checker := pythonChecker(t)
	raw, err := os.ReadFile("../../testdata/journal_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	vectors := func(change func(es []map[string]any)) string {
		var v map[string]any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		var es []map[string]any
		for _, e := range v["entries"].([]any) {
			es = append(es, e.(map[string]any))
		}
		change(es)
		list := make([]any, len(es))
		for i := range es {
			list[i] = es[i]
		}
		v["entries"] = list
		b, _ := json.Marshal(v)
		path := filepath.Join(t.TempDir(), "vectors.json")
		os.WriteFile(path, b, 0o600)
		return path
	}
	for _, tc := range []struct {
		name   string
		change func(es []map[string]any)
		code   int
		says   string
	}{
		{"intact", func([]map[string]any) {}, 0, "chain: OK (4 entries)"},
		{"same instant written with an offset", func(es []map[string]any) { es[2]["at"] = "2025-03-14T10:41:27.1201+01:00" }, 0, "chain: OK"},
		{"broken chain", func(es []map[string]any) { es[2]["prev_hash"] = strings.Repeat("0", 64) }, 1, "entry 3: prev_hash"},
		{"broken seq", func(es []map[string]any) { es[2]["seq"] = 4.0; es[3]["seq"] = 5.0 }, 1, "sequence 4 where 3"},
		{"entry missing", func(es []map[string]any) { copy(es[1:], es[2:]) }, 1, "sequence 3 where 2"},
		{"time not RFC 3339", func(es []map[string]any) { es[2]["at"] = "2025-03-14 09:41:27" }, 1, "not an RFC 3339 instant"},
		{"time of another instant", func(es []map[string]any) { es[2]["at"] = "2025-03-14T09:41:27.121Z" }, 1, "entry 3: hash does not match"},
		{"amount changed", func(es []map[string]any) {
			es[2]["data"].(map[string]any)["total"] = 9550.0
		}, 1, "entry 3: hash does not match"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, code := runPython(t, checker, vectors(tc.change))
			if code != tc.code || !strings.Contains(out, tc.says) {
				t.Fatalf("exit %d (want %d), output lacks %q:\n%s", code, tc.code, tc.says, out)
			}
		})
	}

	db, heads := demoFile(t)
	if out, code := runPython(t, checker, db); code != 0 || !strings.Contains(out, fmt.Sprintf("chain: OK (%d entries)", len(heads))) {
		t.Fatalf("counter file: exit %d\n%s", code, out)
	}
	execSQL(t, db, `DROP TRIGGER journal_no_update`, `UPDATE journal SET data = replace(data, '"amount":2000', '"amount":200') WHERE kind = 'payment'`)
	if out, code := runPython(t, checker, db); code != 1 || !strings.Contains(out, "hash does not match") {
		t.Fatalf("tampered counter file: exit %d\n%s", code, out)
	}
	if out, code := runPython(t, checker, filepath.Join(t.TempDir(), "absent.db")); code != 2 {
		t.Fatalf("absent file: exit %d\n%s", code, out)
	}
}
