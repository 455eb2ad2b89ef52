package ui

import (
	"encoding/json"
	"fmt"
	"time"
)

// SyncTiming is the "sync" part of caisse.json: how soon and how often the
// counter talks to its server. A missing or zero value takes the sync
// client's default (sync/client.Options).
type SyncTiming struct {
	// PushDelay: after a payment (or any entry) is recorded, the wait
	// before the push, gathering a burst into one push (default "2s").
	PushDelay Duration `json:"push_delay,omitempty"`
	// Interval: between full rounds (push and pull) when all is well
	// (default "30s").
	Interval Duration `json:"interval,omitempty"`
	// MinBackoff, MaxBackoff: the first and the longest wait after a
	// failure; the wait doubles in between (defaults "2s" and "5m").
	MinBackoff Duration `json:"min_backoff,omitempty"`
	MaxBackoff Duration `json:"max_backoff,omitempty"`
}

// check refuses values that would make the counter hammer its server or
// never call it.
func (s SyncTiming) check() error {
	for _, f := range []struct {
		name     string
		d        Duration
		min, max time.Duration
	}{
		{"push_delay", s.PushDelay, 100 * time.Millisecond, time.Hour},
		{"interval", s.Interval, time.Second, 24 * time.Hour},
		{"min_backoff", s.MinBackoff, 100 * time.Millisecond, time.Hour},
		{"max_backoff", s.MaxBackoff, time.Second, 24 * time.Hour},
	} {
		if f.d != 0 && (time.Duration(f.d) < f.min || time.Duration(f.d) > f.max) {
			return fmt.Errorf("sync.%s : %s hors des bornes (%s à %s)", f.name, f.d, Duration(f.min), Duration(f.max))
		}
	}
	if s.MinBackoff != 0 && s.MaxBackoff != 0 && s.MinBackoff > s.MaxBackoff {
		return fmt.Errorf("sync.min_backoff (%s) dépasse sync.max_backoff (%s)", s.MinBackoff, s.MaxBackoff)
	}
	return nil
}

// Duration is a time.Duration written in JSON as Go writes durations:
// "2s", "1m30s", "500ms".
type Duration time.Duration

func (d Duration) String() string { return time.Duration(d).String() }

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("durée attendue entre guillemets, comme \"2s\" ou \"5m\" : %s", b)
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("durée illisible : « %s » (exemples : \"2s\", \"30s\", \"5m\")", s)
	}
	*d = Duration(v)
	return nil
}
