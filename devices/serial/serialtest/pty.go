// Package serialtest makes a pair of joined pseudo-terminals with socat, for
// tests that open real serial ports with tarm/serial.
package serialtest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// SkipEnv, set to 1, skips the tests that need socat, on machines where it
// cannot be installed. Without it a missing socat fails the test.
const SkipEnv = "REGIE_SKIP_PTY"

// PTYPair starts `socat -d -d pty,raw,echo=0,link=DIR/a pty,raw,echo=0,link=DIR/b`
// and returns the two links once both exist: what is written to one is read
// from the other. The pair goes away when the test ends; Unplug ends it
// sooner.
func PTYPair(t testing.TB) *Pair {
	t.Helper()
	if os.Getenv(SkipEnv) == "1" {
		t.Skipf("%s=1: test over a pty pair (socat) skipped", SkipEnv)
	}
	socat, err := exec.LookPath("socat")
	if err != nil {
		t.Fatalf("socat est introuvable : ce test en a besoin pour créer une paire de ports série virtuels. "+
			"Installez-le (make deps, ou apt-get install socat), ou posez %s=1 pour sauter ces tests. (%v)", SkipEnv, err)
	}
	dir := t.TempDir()
	p := &Pair{A: filepath.Join(dir, "a"), B: filepath.Join(dir, "b")}
	p.cmd = exec.Command(socat, "-d", "-d", "pty,raw,echo=0,link="+p.A, "pty,raw,echo=0,link="+p.B)
	p.cmd.Stderr = &p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("socat: %v", err)
	}
	p.done = make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(p.Unplug)
	deadline := time.Now().Add(5 * time.Second)
	for !exists(p.A) || !exists(p.B) {
		select {
		case <-p.done:
			t.Fatalf("socat stopped before creating the ptys:\n%s", p.log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("socat did not create %s and %s within 5 s:\n%s", p.A, p.B, p.log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return p
}

// Pair is a running socat and the paths of its two ends.
type Pair struct {
	A, B string
	cmd  *exec.Cmd
	log  lockedBuffer
	done chan struct{}
	once sync.Once
}

// Unplug stops socat, as if the cable were pulled: both ends fail.
func (p *Pair) Unplug() {
	p.once.Do(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// lockedBuffer is socat's stderr, written by exec's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
