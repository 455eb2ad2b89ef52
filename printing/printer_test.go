package printing

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/tarm/serial"
)

// TestParsePrinter reads the destinations of the settings screen.
func TestParsePrinter(t *testing.T) {
	for spec, want := range map[string]string{
		"file:/dev/usb/lp0":              "file:/dev/usb/lp0",
		"serial:/dev/ttyUSB0?baud=19200": "serial:/dev/ttyUSB0?baud=19200",
		"serial:COM3":                    "serial:COM3?baud=9600",
		"tcp:192.168.1.50:9100":          "tcp:192.168.1.50:9100",
		"tcp:192.168.1.50":               "tcp:192.168.1.50:9100",
		" tcp:imprimante.local:4000 ":    "tcp:imprimante.local:4000",
	} {
		p, err := ParsePrinter(spec)
		if err != nil || p.String() != want {
			t.Errorf("ParsePrinter(%q) = %v, %v; want %s", spec, p, err, want)
		}
	}
	for _, spec := range []string{"", "lpt:1", "file:", "serial:", "serial:/dev/ttyS0?baud=vite", "tcp:", "usb:/dev/x"} {
		_, err := ParsePrinter(spec)
		if regie.ErrorCodeOf(err) != regie.EInvalid || !strings.Contains(err.Error(), "Imprimante mal configurée") {
			t.Errorf("ParsePrinter(%q): %v, want a French EInvalid", spec, err)
		}
	}
}

// TestTCPPrinter prints to a real listener on 127.0.0.1, as to a network
// printer's port 9100, and fails cleanly when nobody listens.
func TestTCPPrinter(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer c.Close()
		b, _ := io.ReadAll(c)
		got <- b
	}()
	job := escpos(t, sampleReceipt(), ThermalOptions{})
	p, err := ParsePrinter("tcp:" + ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Print(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	if b := <-got; !bytes.Equal(b, job) {
		t.Fatalf("printer received %d bytes, want the %d of the job", len(b), len(job))
	}

	addr := ln.Addr().String()
	ln.Close()
	err = (&TCPPrinter{Addr: addr, Timeout: 2 * time.Second}).Print(context.Background(), job)
	if err == nil || !strings.Contains(err.Error(), "tcp:"+addr) {
		t.Fatalf("printing to a closed port: %v", err)
	}
}

// TestFilePrinter appends jobs to a file, as to /dev/usb/lp0, and refuses
// a file that does not exist rather than creating it.
func TestFilePrinter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lp0")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := ParsePrinter("file:" + path)
	if err != nil {
		t.Fatal(err)
	}
	job := escpos(t, sampleReceipt(), ThermalOptions{})
	for i := 0; i < 2; i++ {
		if err := p.Print(context.Background(), job); err != nil {
			t.Fatal(err)
		}
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, append(append([]byte{}, job...), job...)) {
		t.Fatalf("file holds %d bytes, want two jobs of %d", len(b), len(job))
	}
	missing := &FilePrinter{Path: filepath.Join(t.TempDir(), "absent")}
	if err := missing.Print(context.Background(), job); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing device: %v", err)
	}
	if _, err := os.Stat(missing.Path); err == nil {
		t.Fatal("missing device file was created")
	}
}

// TestSerialPrinter prints through a virtual serial pair made by socat
// (make deps installs it) and reads the job at the other end.
func TestSerialPrinter(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	ctx, cancel := context.WithCancel(context.Background())
	socat := exec.CommandContext(ctx, "socat", "pty,raw,echo=0,link="+a, "pty,raw,echo=0,link="+b)
	if err := socat.Start(); err != nil {
		cancel()
		t.Fatalf("socat: %v", err)
	}
	defer func() { cancel(); socat.Wait() }()
	for i := 0; ; i++ {
		_, ea := os.Stat(a)
		_, eb := os.Stat(b)
		if ea == nil && eb == nil {
			break
		}
		if i == 100 {
			t.Fatal("socat made no pty pair")
		}
		time.Sleep(20 * time.Millisecond)
	}
	reader, err := serial.OpenPort(&serial.Config{Name: b, Baud: 9600, ReadTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	job := escpos(t, sampleReceipt(), ThermalOptions{})
	p, err := ParsePrinter("serial:" + a + "?baud=9600")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Print(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	var got []byte
	buf := make([]byte, 4096)
	for deadline := time.Now().Add(5 * time.Second); len(got) < len(job) && time.Now().Before(deadline); {
		n, _ := reader.Read(buf)
		got = append(got, buf[:n]...)
	}
	if !bytes.Equal(got, job) {
		t.Fatalf("read %d bytes at the other end, want the %d of the job", len(got), len(job))
	}
}

// TestSendJobCancelled gives up on a printer that never takes the job.
func TestSendJobCancelled(t *testing.T) {
	r, w := net.Pipe()
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := sendJob(ctx, &TCPPrinter{Addr: "pipe"}, w, []byte("never read"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("stuck printer: %v", err)
	}
}

// TestSystemPrinter runs a stand-in for lp that records its arguments and
// the PDF it reads on standard input.
func TestSystemPrinter(t *testing.T) {
	dir := t.TempDir()
	lp := filepath.Join(dir, "lp")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + dir + "/args\ncat > " + dir + "/job.pdf\n"
	if err := os.WriteFile(lp, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	pdf := receiptPDF(t, sampleReceipt(), PageA5)
	p := &SystemPrinter{Queue: "Bureau_A4", Copies: 2, Options: []string{"media=A5"}, Command: lp}
	if err := p.PrintPDF(context.Background(), "Reçu R-ENF-C01-2026-000042; rm -rf /", pdf); err != nil {
		t.Fatal(err)
	}
	args, _ := os.ReadFile(filepath.Join(dir, "args"))
	want := "-t\nReçu R-ENF-C01-2026-000042; rm -rf /\n-n\n2\n-d\nBureau_A4\n-o\nmedia=A5\n"
	if string(args) != want {
		t.Errorf("lp arguments:\n%s\nwant:\n%s", args, want)
	}
	if job, _ := os.ReadFile(filepath.Join(dir, "job.pdf")); !bytes.Equal(job, pdf) {
		t.Errorf("lp read %d bytes, want the %d of the PDF", len(job), len(pdf))
	}

	fail := &SystemPrinter{Command: filepath.Join(dir, "absent")}
	if err := fail.PrintPDF(context.Background(), "x", pdf); err == nil {
		t.Error("a missing lp printed")
	}
}
