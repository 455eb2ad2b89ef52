package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/app/store"
	"github.com/regie-fr/regie/app/ui"
)

// measure runs the desktop app in a child process on a copy of a counter
// file holding `past` payments, and prints: the time from starting the
// process to the login window, the time from the validate key to the
// receipt number on screen, and the resident memory after `n` payments.
// It needs a display (xvfb-run on a server).
func measure(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("measure", flag.ContinueOnError)
	fs.SetOutput(stderr)
	past := fs.Int("past", 100_000, "paiements déjà dans le fichier")
	n := fs.Int("payments", 1000, "paiements à enregistrer par l'écran de caisse")
	dir := fs.String("dir", filepath.Join(os.TempDir(), "regie-measure"), "dossier des fichiers de mesure")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	base := filepath.Join(*dir, fmt.Sprintf("passe-%d.db", *past))
	if _, err := os.Stat(base); err != nil {
		fmt.Fprintf(stdout, "Préparation d'un fichier de %d paiements passés (une fois)…\n", *past)
		if err := pastPayments(ctx, base, *past); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	// A counter's file has passed its start check every morning: the base
	// file is checked once here, so each measured start checks what a
	// morning's start does, not the whole file as the first start after an
	// upgrade does.
	if err := verifiedOnce(ctx, base); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	work := filepath.Join(*dir, "mesure.db")
	if err := copyFile(base, work); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	cmd := exec.CommandContext(ctx, self, "measure-child", "--db", work, "--payments", strconv.Itoa(*n))
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if line == "started" {
			fmt.Fprintf(stdout, "Démarrage jusqu'à la fenêtre de connexion : %d ms\n", time.Since(start).Milliseconds())
			continue
		}
		fmt.Fprintln(stdout, line)
	}
	if err := cmd.Wait(); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

// measureChild is the app under measure: it says when the window is up,
// then records the payments through the cashier screen.
func measureChild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("measure-child", flag.ContinueOnError)
	db := fs.String("db", "", "")
	n := fs.Int("payments", 1000, "")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	onStarted = func(u *ui.UI, a fyne.App) {
		fmt.Fprintln(stdout, "started")
		go func() {
			var times []time.Duration
			var err error
			fyne.DoAndWait(func() { times, err = u.MeasurePayments(demo.RegisseurLogin, demo.RegisseurPIN, *n) })
			if err != nil {
				fmt.Fprintln(stderr, err)
			} else {
				reportTimes(stdout, times)
			}
			fyne.Do(a.Quit)
		}()
	}
	return gui(ctx, []string{"--db", *db, "--config", filepath.Join(filepath.Dir(*db), "caisse.json")}, false, stderr)
}

func reportTimes(w io.Writer, times []time.Duration) {
	slices.Sort(times)
	q := func(p float64) float64 { return float64(times[int(p*float64(len(times)-1))].Microseconds()) / 1000 }
	fmt.Fprintf(w, "Valider → numéro de reçu affiché (%d paiements) : médiane %.1f ms, p95 %.1f ms, max %.1f ms\n",
		len(times), q(0.5), q(0.95), q(1))
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	if f, err := os.Create(filepath.Join(os.TempDir(), "regie-measure", "heap.pprof")); err == nil {
		pprof.WriteHeapProfile(f)
		f.Close()
	}
	fmt.Fprintf(w, "Mémoire résidente après %d paiements : %s (tas Go : %d Mo en usage, %d Mo obtenus du système)\n",
		len(times), rss(), m.HeapInuse>>20, m.Sys>>20)
}

// rss reads the process's resident memory (Linux), and how much of it is
// the process's own (anonymous) rather than shared library pages.
func rss() string {
	b, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		return "inconnue"
	}
	kb := map[string]int{}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 {
			kb[strings.TrimSuffix(f[0], ":")], _ = strconv.Atoi(f[1])
		}
	}
	return fmt.Sprintf("%.0f Mo, dont %.0f Mo propres au processus et %.0f Mo de bibliothèques partagées (pilote OpenGL compris)",
		float64(kb["Rss"])/1024, float64(kb["Anonymous"])/1024, float64(kb["Rss"]-kb["Anonymous"])/1024)
}

// pastPayments makes a demo counter file with n payments over past days,
// each day opened and closed, as months of a real counter would be.
func pastPayments(ctx context.Context, path string, n int) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	for _, s := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + s)
	}
	st, err := store.Open(ctx, tmp)
	if err != nil {
		return err
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	const perDay = 1000
	days := (n + perDay - 1) / perDay
	now := time.Now().In(paris).AddDate(0, 0, -days-1)
	now = time.Date(now.Year(), now.Month(), now.Day(), 8, 0, 0, 0, paris)
	c := app.New(app.Adapt(st), app.WithLocation(paris), app.WithClock(func() time.Time { now = now.Add(20 * time.Millisecond); return now }))
	if err := demo.Seed(ctx, c, demo.Options{PINCost: 4}); err != nil {
		return err
	}
	a, err := c.Login(ctx, demo.RegisseurLogin, demo.RegisseurPIN)
	if err != nil {
		return err
	}
	sale := app.PaymentRequest{Tenders: []regie.Tender{{Mode: regie.Card, Amount: 4_20, Authorisation: "123456"}},
		Allocations: []regie.Allocation{{ItemCode: "PISC-ENT", Amount: 4_20}}}
	for done := 0; done < n; {
		if _, err := c.OpenSession(ctx, a, nil, 0); err != nil {
			return err
		}
		for i := 0; i < perDay && done < n; i, done = i+1, done+1 {
			if _, err := c.RecordPayment(ctx, a, sale); err != nil {
				return err
			}
		}
		if _, err := c.Close(ctx, a, app.ClosingRequest{}); err != nil {
			return err
		}
		now = time.Date(now.Year(), now.Month(), now.Day()+1, 8, 0, 0, 0, paris)
	}
	if err := st.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// verifiedOnce runs the counter's start check on file and records it.
func verifiedOnce(ctx context.Context, file string) error {
	st, err := store.Open(ctx, file)
	if err != nil {
		return err
	}
	defer st.Close()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return err
	}
	return st.VerifyAtStart(ctx, paris)
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	for _, s := range []string{"-wal", "-shm"} {
		os.Remove(dst + s)
	}
	return os.WriteFile(dst, b, 0o644)
}
