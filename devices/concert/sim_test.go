package concert

import (
	"context"
	"testing"
	"time"

	"github.com/regie-fr/regie"
)

func TestOutcomes(t *testing.T) {
	for o := ByAmount; o <= BadLRCOnce; o++ {
		back, err := ParseOutcome(" " + o.String() + " ")
		if err != nil || back != o {
			t.Errorf("ParseOutcome(%q) = %v, %v", o.String(), back, err)
		}
	}
	if _, err := ParseOutcome("peut-être"); err == nil {
		t.Error("unknown outcome accepted")
	}
	for amount, want := range map[int64]Outcome{1250: Accept, 105: NotProcessed, 1206: BadLRCOnce, 7: Refuse,
		99_999_908: NoAnswer, 1209: Slow, 1210: Accept} {
		if got := OutcomeFor(regie.Money(amount)); got != want {
			t.Errorf("OutcomeFor(%d) = %v, want %v", amount, got, want)
		}
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		2 * time.Minute: "2 min", 90 * time.Second: "90 s", 1500 * time.Millisecond: "1,5 s",
		time.Second: "1 s", 300 * time.Millisecond: "300 ms",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestSimulatorControls changes the simulator's behaviour between payments,
// as a UI test or a demo does.
func TestSimulatorControls(t *testing.T) {
	l := newLoop(t, testConfig(), testSim())
	ctx := context.Background()
	l.sim.SetOutcome(Refuse)
	if _, err := l.d.Pay(ctx, 1250); CodeOf(err) != ERefused {
		t.Fatalf("refuse: %v", err)
	}
	l.sim.SetOutcome(ByAmount)
	l.sim.CorruptNextLRC()
	if res, err := l.d.Pay(ctx, 1250); err != nil || !res.Accepted {
		t.Fatalf("after a corrupted LRC: %+v %v", res, err)
	}
	if n := len(l.sim.Requests()); n != 2 {
		t.Fatalf("%d requests", n)
	}
}
