package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie/app/ui"
)

// TestConfigSyncTiming reads the sync timings of caisse.json, keeps them
// through a save, and refuses values out of bounds or unreadable with a
// French reason.
func TestConfigSyncTiming(t *testing.T) {
	dir := t.TempDir()
	write := func(body string) string {
		p := filepath.Join(dir, "caisse.json")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := write(`{"counter":"C01","sync":{"push_delay":"1s","interval":"1m","min_backoff":"500ms","max_backoff":"10m"}}`)
	c, err := ui.LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	want := ui.SyncTiming{PushDelay: ui.Duration(time.Second), Interval: ui.Duration(time.Minute),
		MinBackoff: ui.Duration(500 * time.Millisecond), MaxBackoff: ui.Duration(10 * time.Minute)}
	if c.Sync != want {
		t.Fatalf("sync timing %+v, want %+v", c.Sync, want)
	}
	if err := c.Save(p); err != nil {
		t.Fatal(err)
	}
	if again, err := ui.LoadConfig(p); err != nil || again.Sync != want {
		t.Fatalf("after save: %+v, %v", again, err)
	}
	if c, err := ui.LoadConfig(write(`{"counter":"C01"}`)); err != nil || c.Sync != (ui.SyncTiming{}) {
		t.Fatalf("no sync part: %+v, %v", c, err)
	}
	for body, msg := range map[string]string{
		`{"sync":{"push_delay":"1ms"}}`:                     "hors des bornes",
		`{"sync":{"interval":"48h"}}`:                       "hors des bornes",
		`{"sync":{"interval":"-3s"}}`:                       "durée illisible",
		`{"sync":{"interval":"trente secondes"}}`:           "durée illisible",
		`{"sync":{"interval":30}}`:                          "durée attendue",
		`{"sync":{"min_backoff":"10m","max_backoff":"1m"}}`: "dépasse",
	} {
		if _, err := ui.LoadConfig(write(body)); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: %v, want %q", body, err, msg)
		}
	}
}

// FuzzConfig: whatever the file holds, LoadConfig gives a configuration
// within bounds or an error, never a panic.
func FuzzConfig(f *testing.F) {
	f.Add(`{"sync":{"push_delay":"2s","interval":"30s"}}`)
	f.Add(`{"sync":{"max_backoff":"5m","min_backoff":"1s"}}`)
	f.Add(`{"sync":{"interval":"1e3h"}}`)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body string) {
		p := filepath.Join(dir, "caisse.json")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := ui.LoadConfig(p)
		if err != nil {
			return
		}
		for _, d := range []ui.Duration{c.Sync.PushDelay, c.Sync.Interval, c.Sync.MinBackoff, c.Sync.MaxBackoff} {
			if d < 0 || time.Duration(d) > 24*time.Hour {
				t.Fatalf("accepted %s", d)
			}
		}
	})
}
