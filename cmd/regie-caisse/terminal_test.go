package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie/devices/concert"
	"github.com/regie-fr/regie/devices/serial"
	"github.com/regie-fr/regie/devices/serial/serialtest"
)

// simulatorOn runs a simulated terminal on one end of a new pty pair and
// returns the other end, where terminal-test connects.
func simulatorOn(t *testing.T, sc concert.SimConfig) string {
	t.Helper()
	pair := serialtest.PTYPair(t)
	port, err := serial.Open(serial.Config{Name: pair.A})
	if err != nil {
		t.Fatal(err)
	}
	sim := concert.NewSimulator(port, sc)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = sim.Run(ctx) }()
	t.Cleanup(func() { cancel(); port.Close(); <-done })
	return pair.B
}

// TestTerminalTestExitCodes runs `regie-caisse terminal-test` against the
// simulator over a pty: 0 accepted, 1 refused, 2 link problem.
func TestTerminalTestExitCodes(t *testing.T) {
	port := simulatorOn(t, concert.SimConfig{AnswerTimeout: time.Second})
	silent := simulatorOn(t, concert.SimConfig{Outcome: concert.Off})
	missing := filepath.Join(t.TempDir(), "ttyACM0")
	fast := []string{"--answer-timeout", "200ms", "--enq-tries", "2", "--retry-pause", "10ms", "--customer-timeout", "5s"}
	for _, tc := range []struct {
		name  string
		args  []string
		code  int
		wants []string
	}{
		{"accepted", []string{"--port", port, "--amount", "12,50", "--trace"}, 0, []string{
			"Montant : 12,50", "Appel du terminal…", "Envoi du montant au terminal…", "Présentez la carte au client…",
			"Réception de la réponse du terminal…", "Statut brut du terminal : 0", "Carte : 497010******7890",
			"Autorisation : 1000", "paiement ACCEPTÉ", "trame de 37 octets", "trame de 83 octets"}},
		{"refused", []string{"--port", port, "--amount", "12.07"}, 1, []string{"Statut brut du terminal : 7", "paiement REFUSÉ", "Rien n'a été encaissé"}},
		{"not processed, version E, short answer", []string{"--port", port, "--amount", "3,05", "--version", "E", "--short", "--till", "12"}, 1,
			[]string{"caisse 12, protocole Concert E", "Statut brut du terminal : 9", "REFUSÉ"}},
		{"terminal silent", append([]string{"--port", silent, "--amount", "12,50"}, fast...), 2, []string{
			"Résultat : ÉCHEC. Le terminal ne répond pas", "Détail technique : concert: terminal_no_answer", "--trace"}},
		{"no port", []string{"--port", missing, "--amount", "12,50"}, 2, []string{"Échec : Port " + missing + " introuvable"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append([]string{"terminal-test"}, tc.args...), &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout.String(), stderr.String())
			}
			for _, want := range tc.wants {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("output lacks %q", want)
				}
			}
			if strings.Contains(stdout.String(), "4970101234567890") {
				t.Error("output shows the full card number")
			}
			if t.Failed() {
				t.Log(stdout.String())
			}
		})
	}
}

func TestTerminalTestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--amount", "12,50"}, 2, "Indiquez le port"},
		{[]string{"--port", "/dev/null"}, 2, "Indiquez le montant"},
		{[]string{"--port", "/dev/null", "--amount", "12,505"}, 2, "deux décimales"},
		{[]string{"--port", "/dev/null", "--amount", "-3"}, 2, "négatif"},
		{[]string{"--port", "/dev/null", "--amount", "1", "--line", "9N1"}, 2, "7E1"},
		{[]string{"--port", "/dev/null", "--amount", "1", "--till", "100"}, 2, "entre 1 et 99"},
		{[]string{"--port", "/dev/null", "--amount", "1", "--version", "F"}, 2, "E+ ou E"},
		{[]string{"--port", "/dev/null", "--amount", "1", "encore"}, 2, "Argument en trop"},
		{[]string{"--bogus"}, 2, "Usage : regie-caisse terminal-test"},
		{[]string{"-h"}, 0, "Code de sortie : 0 paiement accepté"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), append([]string{"terminal-test"}, tc.args...), &stdout, &stderr); code != tc.code ||
			!strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, stderr.String())
		}
	}
}
