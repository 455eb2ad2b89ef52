package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// backup copies the SQLite database while the server runs (VACUUM INTO, one
// consistent instant), then opens the copy as the server would and checks
// every journal and the audit trail in it: a backup is only called one once
// it has been read back. The copy is never written over an existing file.
//
// The database must be at this program's schema version: opening the copy
// to check it would otherwise migrate it, and a backup taken before an
// upgrade must stay readable by the program it was taken for.
func backup(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	resolve := commonFlags(fs, e)
	o := outFlags(fs, stdout, stderr)
	to := fs.String("to", "", "fichier de la sauvegarde, qui ne doit pas exister")
	if !parse(fs, args, stderr) {
		return 2
	}
	cfg, err := resolve()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if *to == "" {
		fmt.Fprintln(stderr, "Indiquez le fichier de la sauvegarde : --to FICHIER.")
		return 2
	}
	if info, err := os.Stat(filepath.Dir(*to)); err != nil || !info.IsDir() {
		return o.fail(regie.Errorf(regie.ENotFound, "Le dossier de la sauvegarde %s n'existe pas.", filepath.Dir(*to)))
	}
	if store.IsPostgres(cfg.DB) {
		return o.fail(regie.Errorf(regie.EInvalid, "La base %s est sur PostgreSQL : sauvegardez-la avec pg_dump "+
			"(et l'archivage continu pour une restauration à un instant donné), voir docs/exploitation.md.", store.Redact(cfg.DB)))
	}
	version, err := store.FileVersion(ctx, cfg.DB)
	if err != nil {
		return o.fail(opsError(cfg.DB, err))
	}
	if latest := store.LatestVersion(); version != latest {
		return o.fail(regie.Errorf(regie.EConflict, "La base %s est à la version %d du schéma, ce programme à la version %d : "+
			"sauvegardez avec le programme qui sert cette base (avant de le remplacer), ou appliquez d'abord « regie-serveur migrate ».",
			cfg.DB, version, latest))
	}
	if _, err := store.Backup(ctx, cfg.DB, *to); err != nil {
		if errors.Is(err, iofs.ErrExist) {
			return o.fail(regie.Errorf(regie.EConflict, "Le fichier %s existe déjà : une sauvegarde n'en remplace jamais une autre. Choisissez un autre nom.", *to))
		}
		return o.fail(opsError(cfg.DB, err))
	}
	sum, err := checkCopy(ctx, *to)
	if err != nil {
		return o.fail(regie.Errorf(regie.EInvalid, "La sauvegarde %s est écrite mais ne peut pas être relue : %v", *to, err))
	}
	sum.File, sum.Version = *to, version
	if info, err := os.Stat(*to); err == nil {
		sum.Bytes = info.Size()
	}
	code := o.answer(sum, func(w io.Writer) {
		fmt.Fprintf(w, "Sauvegarde écrite : %s (%s, schéma version %d).\n", sum.File, megabytes(sum.Bytes), sum.Version)
		fmt.Fprintf(w, "Relue et vérifiée : %s, %s de journal, %s d'audit.\n", count(sum.Counters, "poste", "postes"),
			count64(sum.Entries, "écriture", "écritures"), count64(sum.AuditEntries, "ligne", "lignes"))
		if sum.OK {
			fmt.Fprintln(w, "Toutes les chaînes sont intactes.")
		} else {
			fmt.Fprintf(w, "ATTENTION : %s en défaut dans la copie (voir « regie-serveur verify » sur la base).\n",
				count(sum.Broken, "chaîne", "chaînes"))
		}
	})
	if code == 0 && !sum.OK {
		return 1
	}
	return code
}

// backupSummary is what the check of a copy found.
type backupSummary struct {
	File         string `json:"file"`
	Version      int    `json:"version"`
	Bytes        int64  `json:"bytes"`
	Counters     int    `json:"counters"`
	Entries      int64  `json:"entries"`
	AuditEntries int64  `json:"audit_entries"`
	OK           bool   `json:"ok"`
	Broken       int    `json:"broken"` // counters' journals, and the audit trail, that fail the check
}

// checkCopy opens a copy as the server would and re-checks it whole.
func checkCopy(ctx context.Context, file string) (*backupSummary, error) {
	st, err := store.Open(ctx, file)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	reports, err := st.Verify(ctx)
	if err != nil {
		return nil, err
	}
	var audit *store.AuditReport
	if err := st.View(ctx, func(tx *store.Tx) (err error) {
		audit, err = tx.VerifyAudit()
		return err
	}); err != nil {
		return nil, err
	}
	s := &backupSummary{Counters: len(reports), AuditEntries: audit.Entries}
	for _, r := range reports {
		s.Entries += r.Entries
		if !r.OK() {
			s.Broken++
		}
	}
	if audit.BrokenAt != 0 || audit.Problem != "" {
		s.Broken++
	}
	s.OK = s.Broken == 0
	return s, nil
}

// opsError says in French why an operations command could not use the
// database file.
func opsError(db string, err error) error {
	if errors.Is(err, store.ErrNoFile) {
		return regie.Errorf(regie.ENotFound, "La base %s n'existe pas (REGIE_DB ou --db).", db)
	}
	if errors.Is(err, store.ErrNotServerFile) {
		return regie.Errorf(regie.EInvalid, "Le fichier %s n'est pas une base du serveur Régie (base d'une caisse, autre logiciel ?).", db)
	}
	return regie.Errorf(regie.EInvalid, "La base %s est inutilisable : %v", db, err)
}

func count64(n int64, one, many string) string {
	if n > 1 {
		return fmt.Sprintf("%d %s", n, many)
	}
	return fmt.Sprintf("%d %s", n, one)
}

// megabytes is a file size as a person reads it, "12,4 Mo".
func megabytes(n int64) string {
	s := fmt.Sprintf("%.1f Mo", float64(n)/(1<<20))
	return s[:len(s)-5] + "," + s[len(s)-4:]
}
