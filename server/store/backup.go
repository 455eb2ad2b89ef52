package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LatestVersion is the number of the last migration this program embeds:
// the schema version a file has once Open has brought it up to date.
func LatestVersion() int {
	files, _ := fs.ReadDir(migrations, "migrations")
	latest := 0
	for _, f := range files {
		if n, err := strconv.Atoi(strings.SplitN(f.Name(), "_", 2)[0]); err == nil && n > latest {
			latest = n
		}
	}
	return latest
}

// PendingFor names the embedded migrations Open would apply to the
// database db (a file or a postgres:// address) at version.
func PendingFor(db string, version int) []string {
	if !IsPostgres(db) {
		return Pending(version)
	}
	names, _ := pgMigrationNames()
	var out []string
	for _, name := range names {
		if n, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0]); err == nil && n > version {
			out = append(out, name)
		}
	}
	return out
}

// Pending names the embedded migrations above version, in order: what
// Open would apply to a file at that version.
func Pending(version int) []string {
	files, _ := fs.ReadDir(migrations, "migrations")
	var out []string
	for _, f := range files {
		if n, err := strconv.Atoi(strings.SplitN(f.Name(), "_", 2)[0]); err == nil && n > version {
			out = append(out, f.Name())
		}
	}
	return out
}

// ErrNoFile is returned for a database file that does not exist: the
// operations commands never create one by opening it.
var ErrNoFile = errors.New("store: no such database file")

// ErrNotServerFile is returned for a file that is not a Régie server file
// (a counter's file, another database, an empty file).
var ErrNotServerFile = errors.New("store: not a Régie server file")

// openExisting opens file for reading without migrating it, after checking
// that it exists and is a Régie server file; it returns its schema version.
func openExisting(ctx context.Context, file string) (*sql.DB, int, error) {
	if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
		return nil, 0, fmt.Errorf("%w: %s", ErrNoFile, file)
	} else if err != nil {
		return nil, 0, fmt.Errorf("store: %w", err)
	}
	db, err := sql.Open("sqlite", dsn(file, false))
	if err != nil {
		return nil, 0, fmt.Errorf("store: open %s: %w", file, err)
	}
	var appID, version int
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		db.Close()
		return nil, 0, fmt.Errorf("store: %s: %w", file, err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		db.Close()
		return nil, 0, fmt.Errorf("store: %s: %w", file, err)
	}
	if appID != ApplicationID {
		db.Close()
		return nil, 0, fmt.Errorf("%w: %s (application_id %#x)", ErrNotServerFile, file, appID)
	}
	return db, version, nil
}

// FileVersion is the schema version of an existing server file, read
// without migrating it.
func FileVersion(ctx context.Context, file string) (int, error) {
	if IsPostgres(file) {
		return postgresVersion(ctx, file)
	}
	db, v, err := openExisting(ctx, file)
	if err != nil {
		return 0, err
	}
	db.Close()
	return v, nil
}

// Backup writes a consistent copy of the server file to `to` with VACUUM
// INTO: one read transaction, so the copy is the file as it was at one
// instant while the server goes on taking pushes (WAL lets writers run
// beside a reader). The copy is first written under a temporary name in
// the target's folder and then linked to its name, which fails when the
// name exists: an existing backup is never overwritten, and a copy cut
// short (disk full, crash) never bears the name of a backup. The source
// is not migrated; it returns the copy's schema version.
func Backup(ctx context.Context, file, to string) (int, error) {
	if _, err := os.Lstat(to); err == nil {
		return 0, fmt.Errorf("store: backup target %s: %w", to, fs.ErrExist)
	}
	db, version, err := openExisting(ctx, file)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	tmp, err := os.CreateTemp(filepath.Dir(to), "."+filepath.Base(to)+".partial-*")
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	os.Remove(tmpName) // VACUUM INTO wants to create the file itself
	defer os.Remove(tmpName)
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", tmpName); err != nil {
		return 0, fmt.Errorf("store: backup %s: %w", file, err)
	}
	if err := syncFile(tmpName); err != nil {
		return 0, err
	}
	if err := os.Link(tmpName, to); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return 0, fmt.Errorf("store: backup target %s: %w", to, fs.ErrExist)
		}
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	return version, syncFile(filepath.Dir(to))
}

// syncFile makes a written file, or a folder's new entry, durable.
func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("store: sync %s: %w", name, err)
	}
	return nil
}
