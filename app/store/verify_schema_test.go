package store

import "testing"

func TestNormalizeSQL(t *testing.T) {
	for in, want := range map[string]string{
		"CREATE TABLE t (\n  a INTEGER, -- the a\n  b TEXT /* the b */\n)": "CREATE TABLE t ( a INTEGER, b TEXT )",
		"SELECT RAISE(ABORT, 'x -- not a comment')":                        "SELECT RAISE(ABORT, 'x -- not a comment')",
		`CREATE TABLE "a--b" (x)`:                                          `CREATE TABLE "a--b" (x)`,
		"a\t\tb\n\nc":                                                      "a b c",
		"a /* open":                                                        "a",
	} {
		if got := normalizeSQL(in); got != want {
			t.Errorf("normalizeSQL(%q) = %q, want %q", in, got, want)
		}
	}
}
