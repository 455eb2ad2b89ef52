package store

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/regie-fr/regie/internal/sqlitedb"
)

// selectList is the query reading a table's copied columns, rowid last
// when the target has one: SQLite's rowid on the source (unquoted: a
// quoted "rowid" that names no column is a string in SQLite), the
// identity column on the target. The source is read in rowid order, so
// that the target's rowids keep the order the queries sort by.
func (t *copyTable) selectList(source bool) string {
	cols := make([]string, len(t.cols))
	for i, c := range t.cols {
		cols[i] = quoteIdent(c)
	}
	q := `SELECT ` + strings.Join(cols, ", ")
	if t.rowid {
		q += `, rowid`
	}
	q += ` FROM ` + quoteIdent(t.name)
	if t.rowid && source {
		q += ` ORDER BY rowid`
	}
	return q
}

func (t *copyTable) targetCols() []string {
	if t.rowid {
		return append(append([]string(nil), t.cols...), "rowid")
	}
	return t.cols
}

// copyRows streams one table from the source into the target with COPY,
// and returns the digest of what it read.
func copyRows(ctx context.Context, conn *sql.Conn, stx, ttx *sql.Tx, t *copyTable) (*tableDigest, error) {
	rows, err := stx.QueryContext(ctx, t.selectList(true))
	if err != nil {
		return nil, fmt.Errorf("store: copy: read %s: %w", t.name, err)
	}
	defer rows.Close()
	n := len(t.targetCols())
	if t.name == "meta" {
		return copyMeta(ctx, ttx, t, rows, n)
	}
	if t.name == "organisations" { // the source's replace the one Open made
		if _, err := ttx.ExecContext(ctx, `DELETE FROM organisations WHERE `+untouchedOrg); err != nil {
			return nil, fmt.Errorf("store: copy: table %s: %w", t.name, err)
		}
	}
	src := &sourceRows{t: t, rows: rows, vals: make([]any, n), ptrs: make([]any, n), out: make([]any, n), d: &tableDigest{}}
	for i := range src.vals {
		src.ptrs[i] = &src.vals[i]
	}
	err = pgxConn(conn, func(c *pgx.Conn) error {
		_, err := c.CopyFrom(ctx, pgx.Identifier{t.name}, t.targetCols(), src)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: copy: table %s: %w", t.name, err)
	}
	return src.d, nil
}

// copyMeta writes the source's meta row over the one Open gave the
// target, in place: a writer waiting on that row (Update locks it first,
// as the copy did) then reads the city's revision, and a second copy
// waiting to start finds the target taken.
func copyMeta(ctx context.Context, ttx *sql.Tx, t *copyTable, rows *sql.Rows, n int) (*tableDigest, error) {
	d := &tableDigest{}
	vals, ptrs := make([]any, n), make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if !rows.Next() {
		return nil, fmt.Errorf("store: copy: the source has no meta row (%v)", rows.Err())
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, fmt.Errorf("store: copy: meta: %w", err)
	}
	d.add(vals)
	if rows.Next() {
		return nil, fmt.Errorf("store: copy: the source has more than one meta row")
	}
	set, args := make([]string, len(t.cols)), make([]any, len(t.cols))
	for i, c := range t.cols {
		v, err := toTarget(vals[i], t.types[i])
		if err != nil {
			return nil, fmt.Errorf("store: copy: table meta: column %s: %v", c, err)
		}
		set[i], args[i] = fmt.Sprintf("%s = $%d", quoteIdent(c), i+1), v
	}
	if _, err := ttx.ExecContext(ctx, `UPDATE meta SET `+strings.Join(set, ", "), args...); err != nil {
		return nil, fmt.Errorf("store: copy: table meta: %w", err)
	}
	return d, rows.Err()
}

// sourceRows feeds COPY with a table's rows, converted to the target's
// types, and sums them as read.
type sourceRows struct {
	t               *copyTable
	rows            *sql.Rows
	vals, ptrs, out []any
	d               *tableDigest
	err             error
}

func (s *sourceRows) Next() bool {
	if s.err != nil || !s.rows.Next() {
		return false
	}
	if s.err = s.rows.Scan(s.ptrs...); s.err != nil {
		return false
	}
	s.d.add(s.vals)
	for i, c := range s.t.cols {
		v, err := toTarget(s.vals[i], s.t.types[i])
		if err != nil {
			s.err = fmt.Errorf("column %s, row %d of the source: %v", c, s.d.rows, err)
			return false
		}
		s.out[i] = v
	}
	if s.t.rowid {
		s.out[len(s.out)-1] = s.vals[len(s.vals)-1]
	}
	return true
}

func (s *sourceRows) Values() ([]any, error) { return s.out, nil }

func (s *sourceRows) Err() error {
	if s.err != nil {
		return s.err
	}
	return s.rows.Err()
}

// checkCopy reads every copied table back from the target's transaction
// and compares it with what was read from the source, and runs verify on
// both sides, each in its own transaction: the source in the snapshot
// copied, the target before its commit. The source's verify runs beside
// the target's work (two databases, two connections). The report says
// what differs.
func (s *Store) checkCopy(ctx context.Context, conn *sql.Conn, stx, ttx *sql.Tx, tables []copyTable, digests []*tableDigest, rep *CopyReport) error {
	source := make(chan error, 1)
	go func() {
		var err error
		rep.Source, err = verifySide(&Tx{tx: stx, ctx: ctx, b: sqlitedb.Bind(ctx, stx, nil)})
		source <- err
	}()
	err := s.checkTarget(ctx, conn, ttx, tables, digests, rep)
	if serr := <-source; serr != nil && err == nil {
		err = fmt.Errorf("store: copy: verify the source: %w", serr)
	}
	if err != nil {
		return err
	}
	if !reflect.DeepEqual(rep.Source.Chains, rep.Target.Chains) {
		rep.Differences = append(rep.Differences, "la vérification des journaux des postes ne donne pas le même résultat des deux côtés")
	}
	if !reflect.DeepEqual(rep.Source.Audit, rep.Target.Audit) {
		rep.Differences = append(rep.Differences, "la vérification du journal d'audit ne donne pas le même résultat des deux côtés")
	}
	rep.Same = len(rep.Differences) == 0
	return nil
}

// checkTarget reads the target's tables back and runs verify on it.
func (s *Store) checkTarget(ctx context.Context, conn *sql.Conn, ttx *sql.Tx, tables []copyTable, digests []*tableDigest, rep *CopyReport) error {
	for i, t := range tables {
		got := &tableDigest{}
		err := pgxConn(conn, func(c *pgx.Conn) error {
			rows, err := c.Query(ctx, t.selectList(false))
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				vals, err := rows.Values()
				if err != nil {
					return err
				}
				got.add(vals)
			}
			return rows.Err()
		})
		if err != nil {
			return fmt.Errorf("store: copy: read back %s: %w", t.name, err)
		}
		same := got.same(digests[i])
		rep.Tables = append(rep.Tables, CopiedTable{Name: t.name, Rows: digests[i].rows, Same: same})
		if !same {
			rep.Differences = append(rep.Differences, fmt.Sprintf("table %s : %d ligne(s) lue(s) dans la source, %d relue(s) dans la cible, contenu différent",
				t.name, digests[i].rows, got.rows))
		}
	}
	var err error
	if rep.Target, err = verifySide(&Tx{tx: ttx, ctx: ctx, b: sqlitedb.Bind(ctx, ttx, nil), pg: true}); err != nil {
		return fmt.Errorf("store: copy: verify the target: %w", err)
	}
	return nil
}

// verifySide runs verify and the audit trail's check in t, its reports in
// an order that does not depend on the database's collation.
func verifySide(t *Tx) (CopySide, error) {
	side := CopySide{Broken: []string{}}
	chains, err := t.verifyChains()
	if err != nil {
		return side, err
	}
	sort.SliceStable(chains, func(i, j int) bool {
		if chains[i].Regie != chains[j].Regie {
			return chains[i].Regie < chains[j].Regie
		}
		return chains[i].Counter < chains[j].Counter
	})
	for i := range chains {
		ps := chains[i].Problems
		sort.SliceStable(ps, func(a, b int) bool {
			if ps[a].Seq != ps[b].Seq {
				return ps[a].Seq < ps[b].Seq
			}
			return ps[a].Code+ps[a].Message < ps[b].Code+ps[b].Message
		})
		side.Entries += chains[i].Entries
		if !chains[i].OK() {
			side.Broken = append(side.Broken, chains[i].String())
		}
	}
	side.Chains, side.Counters = chains, len(chains)
	if side.Audit, err = t.VerifyAudit(); err != nil {
		return side, err
	}
	side.AuditEntries = side.Audit.Entries
	return side, nil
}
