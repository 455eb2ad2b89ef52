package concert

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Errors of a session, wrapped with details; the driver turns them into
// codes.
var (
	errNoACK     = errors.New("ENQ not acknowledged")
	errNAKs      = errors.New("frame refused with NAK too many times")
	errBadFrames = errors.New("no valid frame after the resends")
)

// timing is what both sides of a session need to know about delays.
type timing struct {
	enqTries   int           // ENQ sent before giving up
	frameTries int           // sends (or receptions) of one frame when it gets NAK
	answer     time.Duration // for each answer byte, and between bytes of a frame
	pause      time.Duration // after an unanswered ENQ, before the next
}

// call opens a session as the sender: ENQ until ACK, with EOT and a pause
// after each failure, enqTries times.
func (l *link) call(ctx context.Context, t timing) error {
	for try := 1; try <= t.enqTries; try++ {
		if err := l.send(ENQ); err != nil {
			return err
		}
		b, err := l.waitFor(ctx, t.answer, ACK, NAK, ENQ)
		if err == nil && b == ACK {
			return nil
		}
		if err != nil && !errors.Is(err, errTimeout) {
			return err
		}
		l.logf("ENQ %d/%d not acknowledged (%v)", try, t.enqTries, describe(b, err))
		if err := l.send(EOT); err != nil {
			return err
		}
		if try < t.enqTries {
			if err := sleep(ctx, t.pause); err != nil {
				return err
			}
		}
	}
	return fmt.Errorf("%w after %d tries", errNoACK, t.enqTries)
}

// deliver sends a frame once the session is open and ends it with EOT. A
// NAK gets the frame sent again, frameTries times in all; frames(try)
// returns what to send at each try (the simulator may spoil the first).
func (l *link) deliver(ctx context.Context, t timing, frames func(try int) []byte) error {
	for try := 1; try <= t.frameTries; try++ {
		if err := l.write(frames(try), ""); err != nil {
			return err
		}
		b, err := l.waitFor(ctx, t.answer, ACK, NAK)
		if err != nil {
			return fmt.Errorf("waiting for ACK of the frame: %w", err)
		}
		if b == ACK {
			return l.send(EOT)
		}
		l.logf("frame refused with NAK (%d/%d)", try, t.frameTries)
	}
	_ = l.send(EOT)
	return fmt.Errorf("%w (%d)", errNAKs, t.frameTries)
}

// accept answers an ENQ already received: ACK, then the frame, answered NAK
// while its LRC or shape is wrong (frameTries receptions in all), ACK when
// good, then the sender's EOT, not required. It returns the message.
func (l *link) accept(ctx context.Context, t timing) ([]byte, error) {
	if err := l.send(ACK); err != nil {
		return nil, err
	}
	var last error
	for try := 1; try <= t.frameTries; try++ {
		frame, err := l.readFrame(ctx, t.answer)
		if err != nil {
			return nil, fmt.Errorf("reading the frame: %w", err)
		}
		msg, err := ParseFrame(frame)
		if err == nil {
			l.tr.bytes(false, frame, "")
			if err := l.send(ACK); err != nil {
				return nil, err
			}
			if _, err := l.waitFor(ctx, t.answer, EOT); err != nil && !errors.Is(err, errTimeout) {
				l.logf("no EOT after the frame: %v", err)
			}
			return msg, nil
		}
		l.tr.bytes(false, frame, frameProblem(err))
		l.logf("bad frame (%d/%d): %v", try, t.frameTries, err)
		last = err
		if err := l.send(NAK); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("%w: %v", errBadFrames, last)
}

// readFrame reads STX … ETX LRC, each byte within timeout of the one
// before. Bytes before STX are skipped; a frame that runs past MaxFrame is
// returned as it is, for ParseFrame to refuse.
func (l *link) readFrame(ctx context.Context, timeout time.Duration) ([]byte, error) {
	for {
		b, err := l.next(ctx, timeout)
		if err != nil {
			return nil, err
		}
		if b == STX {
			break
		}
		l.tr.bytes(false, []byte{b}, "avant STX, ignoré")
	}
	frame := []byte{STX}
	for len(frame) <= MaxFrame {
		b, err := l.next(ctx, timeout)
		if err != nil {
			return nil, err
		}
		frame = append(frame, b)
		if b == ETX {
			lrc, err := l.next(ctx, timeout)
			if err != nil {
				return nil, err
			}
			return append(frame, lrc), nil
		}
	}
	return frame, nil
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// describe says what came instead of an expected ACK.
func describe(b byte, err error) string {
	if err != nil {
		return err.Error()
	}
	return ControlName(b) + " instead of ACK"
}

// frameProblem says in French, for the trace, why a frame was refused.
func frameProblem(err error) string {
	if errors.Is(err, ErrLRC) {
		return "refusée : LRC faux"
	}
	return "refusée : trame mal formée"
}
