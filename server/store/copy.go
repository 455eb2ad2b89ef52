package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/internal/sqlitedb"
)

// CopyReport is what a copy moved and what the checks found on both sides.
type CopyReport struct {
	From    string        `json:"from"`
	To      string        `json:"to"` // without its password
	StoreID string        `json:"store_id"`
	Version int           `json:"version"`
	Tables  []CopiedTable `json:"tables"`
	Source  CopySide      `json:"source"`
	Target  CopySide      `json:"target"`
	// Same: every table holds the same rows on both sides, and verify
	// found the same on both. A copy that is not the same is not kept.
	Same        bool     `json:"same"`
	Differences []string `json:"differences,omitempty"` // in French
	Millis      int64    `json:"millis"`                // the whole copy, checks included
	RowsMillis  int64    `json:"rows_millis"`           // writing the rows, of Millis
}

// CopiedTable is one table of a copy.
type CopiedTable struct {
	Name string `json:"name"`
	Rows int64  `json:"rows"`
	Same bool   `json:"same"` // the target read back holds exactly the source's rows
}

// CopySide is what verify found on one side of a copy.
type CopySide struct {
	Chains       []ChainReport `json:"-"`
	Audit        *AuditReport  `json:"audit"`
	Counters     int           `json:"counters"`
	Entries      int64         `json:"entries"`
	Broken       []string      `json:"broken"` // the reports of the chains that fail, in French
	AuditEntries int64         `json:"audit_entries"`
}

// OK tells whether the side's journals and audit trail all hold.
func (s CopySide) OK() bool {
	return len(s.Broken) == 0 && s.Audit != nil && s.Audit.BrokenAt == 0 && s.Audit.Problem == ""
}

// OK tells whether the copy is faithful and what it copied verifies.
func (r *CopyReport) OK() bool { return r.Same && r.Source.OK() && r.Target.OK() }

// Copy moves a city's server file into an empty PostgreSQL database: every
// table, row for row, in one transaction on the target (a failure leaves it
// empty) read from one read transaction on the source (the file as it was
// at one instant, even while a server writes to it). Before committing it
// reads the target back and runs verify on both sides, each in the state
// it copied: a copy whose rows or verify results differ is rolled back.
// The source must be at this program's schema version and is only read.
//
// The store id and the revisions move as they are: a counter's pull
// cursor names the database it came from (store id) and the revision it
// reached, and both still mean the same rows on the copy, so counters go
// on pulling where they stopped instead of starting over.
func Copy(ctx context.Context, from, to string) (*CopyReport, error) {
	start := time.Now()
	if IsPostgres(from) {
		return nil, regie.Errorf(regie.EInvalid, "La source %s doit être un fichier SQLite du serveur, pas une base PostgreSQL.", Redact(from))
	}
	if !IsPostgres(to) {
		shown := "indiquée" // never a password, whatever the address looks like
		if u, err := url.Parse(to); err == nil && u.User == nil {
			shown = to
		}
		return nil, regie.Errorf(regie.EInvalid, "La cible %s doit être une base PostgreSQL (adresse postgres://…).", shown)
	}
	file := strings.TrimPrefix(from, "sqlite:")
	src, stx, version, err := openSource(ctx, file)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	defer stx.Rollback()
	target, err := Open(ctx, to)
	switch {
	case errors.Is(err, ErrNotServerFile):
		return nil, regie.Errorf(regie.EInvalid, "La base cible %s contient les tables d'un autre logiciel : copiez dans une base (ou un schéma) vide.", Redact(to))
	case errors.Is(err, ErrNewer):
		return nil, regie.Errorf(regie.EConflict, "La base cible %s a été écrite par un programme plus récent que celui-ci : elle n'est pas vide, et ce programme ne la connaît pas.", Redact(to))
	case err != nil:
		return nil, err
	}
	defer target.Close()
	rep := &CopyReport{From: file, To: Redact(to), Version: version}
	if err := target.copyFrom(ctx, stx, rep); err != nil {
		return rep, err
	}
	rep.Millis = time.Since(start).Milliseconds()
	return rep, nil
}

// openSource opens the server file read-only and begins the read
// transaction the whole copy reads from, after checking that the file is
// at this program's schema version: the copy writes the latest schema,
// and migrating belongs to `migrate`, run on purpose, not to a copy that
// must never write into its source.
func openSource(ctx context.Context, file string) (*sql.DB, *sql.Tx, int, error) {
	check, version, err := openExisting(ctx, file)
	if err != nil {
		return nil, nil, 0, err
	}
	check.Close()
	if err := sourceVersion(file, version); err != nil {
		return nil, nil, 0, err
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", sqlitedb.URI(file, q))
	if err != nil {
		return nil, nil, 0, fmt.Errorf("store: open %s: %w", file, err)
	}
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		db.Close()
		return nil, nil, 0, fmt.Errorf("store: %s: begin: %w", file, err)
	}
	// The version again, now inside the snapshot that is copied.
	if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err == nil {
		err = sourceVersion(file, version)
	}
	if err != nil {
		tx.Rollback()
		db.Close()
		return nil, nil, 0, err
	}
	return db, tx, version, nil
}

func sourceVersion(file string, version int) error {
	switch latest := LatestVersion(); {
	case version > latest:
		return regie.Errorf(regie.EConflict, "La base %s est à la version %d du schéma, plus récente que ce programme (version %d) : "+
			"copiez-la avec le programme installé en dernier.", file, version, latest)
	case version < latest:
		return regie.Errorf(regie.EConflict, "La base %s est à la version %d du schéma, ce programme à la version %d : "+
			"serveur arrêté, appliquez d'abord « regie-serveur migrate --db %s » sur ce fichier, puis recommencez la copie.",
			file, version, latest, file)
	}
	return nil
}

// copyFrom copies what the source transaction sees into this (PostgreSQL)
// store, checks it, and commits, or leaves the target as it found it.
func (s *Store) copyFrom(ctx context.Context, stx *sql.Tx, rep *CopyReport) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: copy: %w", err)
	}
	defer conn.Close()
	ttx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: copy: begin: %w", err)
	}
	defer ttx.Rollback()
	// Lined up behind any writer, as Update is; a server started on the
	// target too early waits for the copy, then sees it whole.
	var rev int64
	if err := ttx.QueryRowContext(ctx, `SELECT rev FROM meta WHERE id = 1 FOR UPDATE`).Scan(&rev); err != nil {
		return fmt.Errorf("store: copy: lock: %w", err)
	}
	tables, err := copyPlan(ctx, stx, ttx)
	if err != nil {
		return err
	}
	if err := targetEmpty(ctx, ttx, tables, rev, rep.To); err != nil {
		return err
	}
	enable, err := triggersOff(ctx, ttx)
	if err != nil {
		return err
	}
	start := time.Now()
	digests := make([]*tableDigest, len(tables))
	for i := range tables {
		if digests[i], err = copyRows(ctx, conn, stx, ttx, &tables[i]); err != nil {
			return err
		}
	}
	if err := setIdentities(ctx, ttx, tables); err != nil {
		return err
	}
	rep.RowsMillis = time.Since(start).Milliseconds()
	if err := enable(); err != nil {
		return err
	}
	if err := ttx.QueryRowContext(ctx, `SELECT store_id FROM meta WHERE id = 1`).Scan(&rep.StoreID); err != nil {
		return fmt.Errorf("store: copy: read the store id: %w", err)
	}
	if err := s.checkCopy(ctx, conn, stx, ttx, tables, digests, rep); err != nil {
		return err
	}
	if !rep.Same {
		return regie.Errorf(regie.EConflict, "La copie ne reproduit pas la source (%s) : rien n'a été gardé dans %s.",
			strings.Join(rep.Differences, " ; "), rep.To)
	}
	if err := ttx.Commit(); err != nil {
		return fmt.Errorf("store: copy: commit: %w", err)
	}
	return nil
}

// targetEmpty refuses a target that holds anything but the empty schema
// Open writes (its meta row at revision 0, and the organisation 'ville'
// as migration 0016 makes it, which copyRows replaces with the source's):
// a copy never merges two cities' data, and never replaces one.
func targetEmpty(ctx context.Context, ttx *sql.Tx, tables []copyTable, rev int64, to string) error {
	refuse := func(table string) error {
		return regie.Errorf(regie.EConflict, "La base cible %s contient déjà des données (table %s) : une copie ne fusionne ni ne remplace jamais une base. "+
			"Copiez dans une base (ou un schéma) vide.", to, table)
	}
	if rev != 0 {
		return refuse("meta")
	}
	for _, t := range tables {
		if t.name == "meta" {
			continue
		}
		var found bool
		q := `SELECT EXISTS (SELECT 1 FROM ` + quoteIdent(t.name) + `)`
		if t.name == "organisations" {
			q = `SELECT EXISTS (SELECT 1 FROM organisations WHERE ` + untouchedOrg + ` IS NOT TRUE)`
		}
		if err := ttx.QueryRowContext(ctx, q).Scan(&found); err != nil {
			return fmt.Errorf("store: copy: read %s: %w", t.name, err)
		}
		if found {
			return refuse(t.name)
		}
	}
	return nil
}

// untouchedOrg is the organisation migration 0016 makes in an empty
// database, as long as nobody changed it.
const untouchedOrg = `(code = 'ville' AND name = '' AND host IS NULL AND look = '{}')`

// triggersOff keeps the target's triggers from firing during the copy:
// the append-only guards have nothing to guard (rows are only added), and
// the projections (portal_payments, payment_modes) are copied as the
// source holds them, not rebuilt. A superuser (or a role granted the
// setting) switches them all off for this transaction with
// session_replication_role; another role, owner of the tables, disables
// each enabled trigger and enables it again before the commit, within the
// same transaction, so no one ever sees a table without its guard.
func triggersOff(ctx context.Context, ttx *sql.Tx) (enable func() error, err error) {
	none := func() error { return nil }
	if _, err := ttx.ExecContext(ctx, `SAVEPOINT copy_role`); err != nil {
		return nil, fmt.Errorf("store: copy: %w", err)
	}
	if _, err := ttx.ExecContext(ctx, `SET LOCAL session_replication_role = replica`); err == nil {
		_, err = ttx.ExecContext(ctx, `RELEASE SAVEPOINT copy_role`)
		return none, err
	}
	if _, err := ttx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT copy_role`); err != nil {
		return nil, fmt.Errorf("store: copy: %w", err)
	}
	rows, err := ttx.QueryContext(ctx, `SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relnamespace = current_schema()::regnamespace
		ORDER BY c.relname, t.tgname`)
	if err != nil {
		return nil, fmt.Errorf("store: copy: list the triggers: %w", err)
	}
	var on [][2]string
	for rows.Next() {
		var tr [2]string
		if err := rows.Scan(&tr[0], &tr[1]); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: copy: list the triggers: %w", err)
		}
		on = append(on, tr)
	}
	rows.Close()
	alter := func(verb string) error {
		for _, tr := range on {
			if _, err := ttx.ExecContext(ctx, `ALTER TABLE `+quoteIdent(tr[0])+` `+verb+` TRIGGER `+quoteIdent(tr[1])); err != nil {
				return fmt.Errorf("store: copy: %s trigger %s on %s: %w", strings.ToLower(verb), tr[1], tr[0], err)
			}
		}
		return nil
	}
	if err := alter("DISABLE"); err != nil {
		return nil, err
	}
	return func() error { return alter("ENABLE") }, nil
}

// setIdentities moves each identity column's sequence past the values the
// copy wrote, so the next row the server adds gets the next number.
func setIdentities(ctx context.Context, ttx *sql.Tx, tables []copyTable) error {
	for _, t := range tables {
		for _, c := range t.identity {
			_, err := ttx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, $2),
				coalesce((SELECT max(`+quoteIdent(c)+`) FROM `+quoteIdent(t.name)+`), 0) + 1, false)`, quoteIdent(t.name), c)
			if err != nil {
				return fmt.Errorf("store: copy: sequence of %s.%s: %w", t.name, c, err)
			}
		}
	}
	return nil
}

// pgxConn runs fn on the pgx connection under conn, for COPY and for
// reading a table back without holding it whole in memory.
func pgxConn(conn *sql.Conn, fn func(*pgx.Conn) error) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(readWholeConn)
		if !ok {
			return fmt.Errorf("store: copy: unexpected PostgreSQL connection %T", dc)
		}
		return fn(c.Conn.Conn())
	})
}
