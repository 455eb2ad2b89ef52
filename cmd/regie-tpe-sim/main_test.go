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

// TestSimulatorOverPTY runs the command on one end of a pty pair and the
// real driver on the other.
func TestSimulatorOverPTY(t *testing.T) {
	pair := serialtest.PTYPair(t)
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr bytes.Buffer
	code := make(chan int)
	go func() {
		code <- run(ctx, []string{"--port", pair.A, "--line", "7E1", "--delay", "0s", "--answer-timeout", "1s"}, &stdout, &stderr)
	}()
	port, err := serial.Open(serial.Config{Name: pair.B, Line: serial.Line7E1})
	if err != nil {
		t.Fatal(err)
	}
	d := concert.New(port, concert.Config{AnswerTimeout: time.Second, CustomerTimeout: 5 * time.Second})
	defer d.Close()
	res, err := d.Pay(ctx, 1250)
	if err != nil || !res.Accepted {
		t.Fatalf("payment: %+v %v", res, err)
	}
	if _, err := d.Pay(ctx, 1207); concert.CodeOf(err) != concert.ERefused {
		t.Fatalf("refused payment: %v", err)
	}
	cancel()
	if c := <-code; c != 0 {
		t.Fatalf("exit %d: %s", c, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"Terminal simulé sur " + pair.A + " (9600 bauds, 7E1), issue : montant.",
		"caisse → TPE  05", "TPE → caisse  06", "trame de 37 octets", "trame de 83 octets",
		"Demande reçue : débit de 12,50", "Réponse envoyée : accepté", "Réponse envoyée : refusé",
		"|010******7890   |", "Terminal simulé arrêté.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "1234567890") {
		t.Error("output shows the card number")
	}
	if t.Failed() {
		t.Log(out)
	}
}

func TestUsageErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "ttyACM0")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--port", missing}, 2, "introuvable"},
		{[]string{"--port", missing, "--outcome", "peut-être"}, 2, "issue inconnue"},
		{[]string{"--port", missing, "--line", "8E2"}, 2, "7E1"},
		{[]string{"--nope"}, 2, "Usage : regie-tpe-sim"},
		{[]string{"--port", missing, "extra"}, 2, "Argument en trop"},
		{[]string{"--help"}, 0, "-outcome string"},
	} {
		var stdout, stderr bytes.Buffer
		if c := run(context.Background(), tc.args, &stdout, &stderr); c != tc.code || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q", tc.args, c, stderr.String())
		}
	}
	var stdout bytes.Buffer
	if c := run(context.Background(), []string{"--list-ports"}, &stdout, &stdout); c != 0 || !strings.Contains(stdout.String(), "ort") {
		t.Errorf("--list-ports: exit %d, %q", c, stdout.String())
	}
}
