package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/store"
	"github.com/regie-fr/regie/app/ui"
	"github.com/regie-fr/regie/assets"
	"github.com/regie-fr/regie/devices/serial"
	"github.com/regie-fr/regie/sync/client"
)

// onStarted, when set, runs once the window is up: the measure command
// uses it.
var onStarted func(*ui.UI, fyne.App)

// gui opens the counter's window on the configured database; with demo, on
// a fresh demo database instead.
func gui(ctx context.Context, args []string, demoMode bool, stderr io.Writer) int {
	fs := flag.NewFlagSet("regie-caisse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "fichier de configuration du poste")
	db := fs.String("db", "", "fichier de caisse (remplace celui de la configuration)")
	enrolServer := fs.String("enrol-server", "", "rattache d'abord ce poste à ce serveur…")
	enrolCode := fs.String("enrol-code-file", "", "… avec le code d'enrôlement lu dans ce fichier")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *cfgPath == "" {
		p, err := ui.DefaultConfigPath()
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		*cfgPath = p
	}
	cfg, err := ui.LoadConfig(*cfgPath)
	if err != nil {
		fmt.Fprintf(stderr, "Configuration illisible : %v\n", err)
		return 2
	}
	path := firstNonEmpty(*db, cfg.Database, filepath.Join(filepath.Dir(*cfgPath), "caisse.db"))
	if demoMode {
		path = firstNonEmpty(*db, filepath.Join(os.TempDir(), "regie-demo", "caisse-fenetre.db"))
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		fmt.Fprintf(stderr, "Impossible d'ouvrir le fichier de caisse %s : %v\n", path, err)
		return 2
	}
	defer st.Close()
	c, err := counter(ctx, st, demoMode)
	if err != nil {
		fmt.Fprintf(stderr, "Démarrage impossible : %s (%v)\n", regie.ErrorMessage(err), err)
		return 1
	}
	// The file is checked before anything can write to it (the sync loop
	// included); on failure the login screen says why and nothing opens.
	if err := c.CheckFile(ctx); err != nil {
		fmt.Fprintf(stderr, "%s (%v)\n", regie.ErrorMessage(err), err)
	}
	a := fyneapp.NewWithID("fr.regie.caisse")
	a.Settings().SetTheme(ui.Theme{})
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	w := a.NewWindow("Régie – Caisse")
	w.Resize(fyne.NewSize(1366, 740))
	var u *ui.UI
	terminal, closeTerminal := openTerminal(cfg, demoMode, func() {
		if u != nil {
			u.RefreshStatus()
		}
	}, stderr)
	defer closeTerminal()
	printer := newDocuments(c, cfg, filepath.Join(filepath.Dir(path), "documents"))
	printer.open = openFile
	sc := syncer{client.New(c, syncOptions(cfg))}
	c.OnRecorded(sc.Nudge) // a new payment leaves within seconds
	runCtx, stopSync := context.WithCancel(ctx)
	defer stopSync()
	if *enrolServer != "" {
		if err := enrolAtStart(ctx, c, sc, *enrolServer, *enrolCode); err != nil {
			fmt.Fprintf(stderr, "Rattachement au serveur impossible : %s\n", regie.ErrorMessage(err))
			return 1
		}
		cfg.ServerURL = *enrolServer
	}
	go sc.Run(runCtx) // does nothing but report "non configurée" until enrolled
	u = ui.New(w, c, ui.Options{Config: cfg, ConfigPath: *cfgPath, Terminal: terminal, Ports: serial.Likely,
		Printer: printer, Sync: sc, Enrol: sc.enrol, LinkSlip: printer.linkSlips(sc.Client)})
	u.Start()
	if onStarted != nil {
		a.Lifecycle().SetOnStarted(func() { onStarted(u, a) })
	}
	stop := make(chan struct{})
	defer close(stop)
	u.Watch(5*time.Second, stop)
	w.ShowAndRun()
	u.Close()
	return 0
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
