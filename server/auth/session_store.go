package auth

import (
	"context"
	"sync"
	"time"
)

// SessionRecord is a session as its store keeps it: the hash of its
// token, never the token, its state as JSON (identity, household chosen,
// CSRF token, notices) and the times its expiry is measured from.
type SessionRecord struct {
	Hash    string
	Data    []byte
	Created time.Time
	Seen    time.Time
}

// SessionStore keeps the portal's sessions where every server instance
// sees them: the server's database (server/store), or this process's
// memory for tests and tools (NewMemorySessions).
type SessionStore interface {
	// LoadSession reads a session by its hash; nil when there is none.
	LoadSession(ctx context.Context, hash string) (*SessionRecord, error)
	// CreateSession records a new session.
	CreateSession(ctx context.Context, rec *SessionRecord) error
	// UpdateSession replaces a session's state by what fn makes of it, in
	// one transaction; false when there is no such session.
	UpdateSession(ctx context.Context, hash string, fn func(data []byte) ([]byte, error)) (bool, error)
	// TouchSession records that the session was used at seen.
	TouchSession(ctx context.Context, hash string, seen time.Time) error
	// DeleteSession ends a session; none is not an error.
	DeleteSession(ctx context.Context, hash string) error
	// SweepSessions deletes the sessions seen before idle or created
	// before started, and says how many.
	SweepSessions(ctx context.Context, idle, started time.Time) (int, error)
}

// MemorySessions keeps sessions in this process's memory: for tests and
// tools only, since a second instance would not see them.
type MemorySessions struct {
	mu  sync.Mutex
	m   map[string]SessionRecord
	max int
}

// NewMemorySessions makes an empty memory store holding at most max
// sessions (100 000 when max <= 0): past it the least recently seen is
// dropped.
func NewMemorySessions(max int) *MemorySessions {
	if max <= 0 {
		max = 100_000
	}
	return &MemorySessions{m: map[string]SessionRecord{}, max: max}
}

var _ SessionStore = (*MemorySessions)(nil)

func (ms *MemorySessions) LoadSession(_ context.Context, hash string) (*SessionRecord, error) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	rec, ok := ms.m[hash]
	if !ok {
		return nil, nil
	}
	rec.Data = append([]byte(nil), rec.Data...)
	return &rec, nil
}

func (ms *MemorySessions) CreateSession(_ context.Context, rec *SessionRecord) error {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if len(ms.m) >= ms.max {
		oldest := ""
		for h, x := range ms.m {
			if oldest == "" || x.Seen.Before(ms.m[oldest].Seen) {
				oldest = h
			}
		}
		delete(ms.m, oldest)
	}
	cp := *rec
	cp.Data = append([]byte(nil), rec.Data...)
	ms.m[rec.Hash] = cp
	return nil
}

func (ms *MemorySessions) UpdateSession(_ context.Context, hash string, fn func([]byte) ([]byte, error)) (bool, error) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	rec, ok := ms.m[hash]
	if !ok {
		return false, nil
	}
	data, err := fn(append([]byte(nil), rec.Data...))
	if err != nil {
		return true, err
	}
	rec.Data = data
	ms.m[hash] = rec
	return true, nil
}

func (ms *MemorySessions) TouchSession(_ context.Context, hash string, seen time.Time) error {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if rec, ok := ms.m[hash]; ok {
		rec.Seen = seen
		ms.m[hash] = rec
	}
	return nil
}

func (ms *MemorySessions) DeleteSession(_ context.Context, hash string) error {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	delete(ms.m, hash)
	return nil
}

func (ms *MemorySessions) SweepSessions(_ context.Context, idle, started time.Time) (int, error) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	n := 0
	for h, x := range ms.m {
		if x.Seen.Before(idle) || x.Created.Before(started) {
			delete(ms.m, h)
			n++
		}
	}
	return n, nil
}

// Len is the number of sessions held, for tests.
func (ms *MemorySessions) Len() int {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return len(ms.m)
}
