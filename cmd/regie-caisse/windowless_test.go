package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets the tests run this test binary as the program itself
// (REGIE_CAISSE_RUN=1): it links the same packages, Fyne included, and
// initialises them in the same order as the real binary.
func TestMain(m *testing.M) {
	if os.Getenv("REGIE_CAISSE_RUN") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// runSelf runs the program in a child process with the environment env.
func runSelf(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append([]string{"REGIE_CAISSE_RUN=1", "HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errb.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), 0
}

// TestWindowlessCommandsSayNothingOfFyne runs the commands that open no
// window in the C locales of servers and containers: Fyne, linked for the
// window, must not print its locale error on their stderr.
func TestWindowlessCommandsSayNothingOfFyne(t *testing.T) {
	db := filepath.Join(t.TempDir(), "caisse.db")
	for _, env := range [][]string{{"LANG=C"}, {"LANG=C.UTF-8"}, {"LC_ALL=C.UTF-8"}, {"LANG=POSIX"}, nil} {
		name := strings.Join(env, " ")
		for _, args := range [][]string{{"demo-console", "--db", db}, {"verify", db}, {"status", "--db", db}, {"status", "--db", db, "--json"}} {
			out, errs, code := runSelf(t, env, args...)
			if code != 0 {
				t.Fatalf("%s %v: exit %d\n%s\n%s", name, args, code, out, errs)
			}
			if strings.Contains(errs, "Fyne") || strings.Contains(out, "Fyne error") {
				t.Fatalf("%s %v printed Fyne's error:\n%s\n%s", name, args, errs, out)
			}
		}
	}
}
