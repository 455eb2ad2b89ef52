package concert

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// How a read that returns (0, io.EOF) is told apart: tarm/serial reports its
// read timeout that way after at least 0.1 s, while a closed stream (an
// unplugged USB terminal, a closed pipe) returns it at once, again and again.
const (
	quickEOF    = 20 * time.Millisecond
	maxQuickEOF = 5
)

// errTimeout is an expected byte that did not come in time.
var errTimeout = errors.New("timed out")

// linkError is the port failing: it carries the read or write error.
type linkError struct{ err error }

func (e *linkError) Error() string { return "link: " + e.err.Error() }
func (e *linkError) Unwrap() error { return e.err }

// link is one side of the line: a goroutine reads the port all the time, so
// that every wait can also watch a timer and a context; writes go straight
// to the port.
type link struct {
	w       io.Writer
	in      chan []byte
	done    chan struct{} // closed by close
	dead    chan struct{} // closed when the reader stops
	deadErr error         // why it stopped, set before dead is closed
	once    sync.Once
	buf     []byte // bytes received and not consumed yet
	tr      *tracer
	logf    func(format string, args ...any)
	wtime   time.Duration // write deadline, when the port has one
}

func newLink(rw io.ReadWriter, tr *tracer, logf func(string, ...any), writeTimeout time.Duration) *link {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	l := &link{w: rw, in: make(chan []byte, 64), done: make(chan struct{}), dead: make(chan struct{}),
		tr: tr, logf: logf, wtime: writeTimeout}
	go l.readLoop(rw)
	return l
}

// close stops the reader once its current Read returns; the caller closes
// the port itself to make that happen.
func (l *link) close() { l.once.Do(func() { close(l.done) }) }

func (l *link) readLoop(r io.Reader) {
	defer close(l.dead)
	buf := make([]byte, MaxFrame)
	quick := 0
	for {
		start := time.Now()
		n, err := r.Read(buf)
		if n > 0 {
			quick = 0
			select {
			case l.in <- bytes.Clone(buf[:n]):
			case <-l.done:
				l.deadErr = errors.New("link closed")
				return
			}
		}
		switch {
		case err == nil || n > 0:
		case errors.Is(err, io.EOF) || isTimeout(err):
			if time.Since(start) >= quickEOF {
				quick = 0
				break
			}
			if quick++; quick >= maxQuickEOF {
				l.deadErr = fmt.Errorf("read: %w (the port was closed or unplugged)", err)
				return
			}
			time.Sleep(quickEOF)
		default:
			l.deadErr = fmt.Errorf("read: %w", err)
			return
		}
		select {
		case <-l.done:
			l.deadErr = errors.New("link closed")
			return
		default:
		}
	}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// next returns the next byte received, waiting at most timeout (forever
// when timeout <= 0). Errors are errTimeout, the context's error or a
// *linkError.
func (l *link) next(ctx context.Context, timeout time.Duration) (byte, error) {
	if len(l.buf) == 0 {
		if err := l.fill(ctx, timeout); err != nil {
			return 0, err
		}
	}
	b := l.buf[0]
	l.buf = l.buf[1:]
	return b, nil
}

func (l *link) fill(ctx context.Context, timeout time.Duration) error {
	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	select { // bytes already read win over a reader that has stopped since
	case chunk := <-l.in:
		l.buf = chunk
		return nil
	default:
	}
	select {
	case chunk := <-l.in:
		l.buf = chunk
		return nil
	case <-l.dead:
		select { // the reader may have handed over its last bytes before stopping
		case chunk := <-l.in:
			l.buf = chunk
			return nil
		default:
		}
		return &linkError{l.deadErr}
	case <-ctx.Done():
		return ctx.Err()
	case <-expired:
		return errTimeout
	}
}

// drain throws away what was received and not read, such as a late answer
// to a payment the agent abandoned, and traces it.
func (l *link) drain() {
	stale := l.buf
	l.buf = nil
	for {
		select {
		case chunk := <-l.in:
			stale = append(stale, chunk...)
			continue
		default:
		}
		break
	}
	if len(stale) > 0 {
		l.tr.bytes(false, stale, "ignoré")
		l.logf("ignored %d stale bytes", len(stale))
	}
}

// write sends bytes, with a deadline when the port supports one (net.Conn).
func (l *link) write(b []byte, note string) error {
	select {
	case <-l.dead:
		return &linkError{l.deadErr}
	default:
	}
	if d, ok := l.w.(interface{ SetWriteDeadline(time.Time) error }); ok && l.wtime > 0 {
		_ = d.SetWriteDeadline(time.Now().Add(l.wtime))
	}
	l.tr.bytes(true, b, note)
	if _, err := l.w.Write(b); err != nil {
		return &linkError{fmt.Errorf("write: %w", err)}
	}
	return nil
}

// send writes one control byte.
func (l *link) send(c byte) error { return l.write([]byte{c}, "") }

// waitFor reads until one of want arrives, ignoring (and tracing) any other
// byte, for at most timeout in all (forever when timeout <= 0).
func (l *link) waitFor(ctx context.Context, timeout time.Duration, want ...byte) (byte, error) {
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	for {
		left := time.Duration(0)
		if timeout > 0 {
			if left = time.Until(deadline); left <= 0 {
				return 0, errTimeout
			}
		}
		b, err := l.next(ctx, left)
		if err != nil {
			return 0, err
		}
		if bytes.IndexByte(want, b) >= 0 {
			l.tr.bytes(false, []byte{b}, "")
			return b, nil
		}
		l.tr.bytes(false, []byte{b}, "inattendu, ignoré")
	}
}
