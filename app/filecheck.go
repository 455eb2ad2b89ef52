package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/regie-fr/regie"
)

// FileCheck verifies the counter's own file (app/store's CheckAtStart):
// nil when it holds, a regie.Error with code EFileAltered when it does
// not. loc is the régie's time zone the counter runs in.
type FileCheck func(ctx context.Context, loc *time.Location) error

// WithFileCheck makes the counter verify its file before anyone logs in
// or opens the till, once per start.
func WithFileCheck(f FileCheck) Option { return func(c *Counter) { c.check = f } }

// fileState is the start check's outcome, computed once.
type fileState struct {
	mu   sync.Mutex
	done bool
	err  error
}

// CheckFile runs the start check the first time it is called and returns
// its outcome then and every time after: on a file that fails, nothing
// can be recorded until the régisseur has had it looked at. It is called
// by Login and OpenSession; the login screen calls it to warn at once.
func (c *Counter) CheckFile(ctx context.Context) error {
	if c.check == nil {
		return nil
	}
	c.file.mu.Lock()
	defer c.file.mu.Unlock()
	if c.file.done {
		return c.file.err
	}
	err := c.check(ctx, c.loc)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err // not an outcome: try again next time
	}
	if err != nil && regie.ErrorCodeOf(err) != regie.EFileAltered {
		err = regie.Errorf(regie.EFileAltered, "Le fichier de caisse n'a pas pu être vérifié (%v). La caisse ne peut pas être ouverte : appelez le régisseur.", err)
	}
	c.file.done, c.file.err = true, err
	if err != nil {
		return fmt.Errorf("app: check file: %w", err)
	}
	return nil
}

// fileRefused is the start check's failure once known, for every write:
// an altered file gets nothing more written into it.
func (c *Counter) fileRefused() error {
	c.file.mu.Lock()
	defer c.file.mu.Unlock()
	return c.file.err
}
