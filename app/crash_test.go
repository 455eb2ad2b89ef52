package app_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/app/store"
)

// crashChildEnv names the counter file a re-executed test binary records
// payments into until it is killed.
const crashChildEnv = "REGIE_CRASH_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(crashChildEnv); path != "" {
		os.Exit(crashChild(path))
	}
	os.Exit(m.Run())
}

// crashChild records catalogue sales in a loop and prints each receipt
// number once RecordPayment returned, as the counter prints a receipt.
func crashChild(path string) int {
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	c := app.New(app.Adapt(st), app.WithLocation(time.UTC))
	a, err := c.Login(ctx, demo.MandataireLogin, demo.MandatairePIN)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	fmt.Println("ready")
	for {
		p, err := c.RecordPayment(ctx, a, app.PaymentRequest{
			Tenders:     []regie.Tender{{Mode: regie.Cash, Amount: 4_20, Tendered: 5_00, Change: 80}},
			Allocations: []regie.Allocation{{ItemCode: "PISC-ENT", Amount: 4_20}},
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 3
		}
		fmt.Println(p.Receipt)
	}
}

// TestCrashKeepsEveryPrintedReceipt kills a recording process with SIGKILL
// at random moments, 50 times; afterwards the chain verifies, receipt
// numbers have no gap or duplicate, and every receipt number the process
// printed before dying is in the file.
func TestCrashKeepsEveryPrintedReceipt(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "caisse.db")
	c, st := apptest.Counter(t, path, app.WithLocation(time.UTC))
	apptest.Open(t, c, apptest.Login(t, c, demo.RegisseurLogin, demo.RegisseurPIN), 100_00)
	st.Close()

	printed := map[string]bool{}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 50; i++ {
		for _, r := range runAndKill(t, path, time.Duration(rng.IntN(60))*time.Millisecond) {
			if printed[r] {
				t.Fatalf("run %d: receipt %s printed twice", i, r)
			}
			printed[r] = true
		}
	}
	if len(printed) < 50 {
		t.Fatalf("only %d receipts printed in 50 runs: the child hardly ran", len(printed))
	}

	rep, err := store.Verify(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("chain broken after crashes: %v", rep.Problems)
	}
	st, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.View(ctx, func(tx *store.Tx) error {
		n, err := tx.CountPayments()
		if err != nil {
			return err
		}
		if last, err := tx.LastReceiptNumber(time.Now().UTC().Year()); err != nil || last != n {
			return fmt.Errorf("%d payments but last receipt number %d (%v)", n, last, err)
		}
		for r := range printed {
			p, err := tx.PaymentByReceipt(r)
			if err != nil {
				return err
			}
			if p == nil {
				return fmt.Errorf("receipt %s was printed but is not in the file", r)
			}
		}
		t.Logf("%d payments in the file, %d receipts printed before the kills", n, len(printed))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// runAndKill starts the child, waits until it records, lets it run for d
// and kills it with SIGKILL; it returns the receipt numbers it printed.
func runAndKill(t *testing.T, path string, d time.Duration) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1024)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case l := <-lines:
		if l != "ready" {
			t.Fatalf("child said %q", l)
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("child did not start")
	}
	time.Sleep(d)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for l := range lines {
		if strings.HasPrefix(l, "R-") {
			got = append(got, l)
		}
	}
	cmd.Wait()
	return got
}
