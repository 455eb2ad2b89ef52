package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The store's code reads rows of one query while it asks others in the
// same transaction (the rules look up history for each entry they
// replay), which SQLite allows and a PostgreSQL connection does not: it
// answers one query at a time, and a second one while rows are still
// being read fails ("conn busy"). Rather than reorder every such loop,
// and miss one, each PostgreSQL query is read whole when it runs: its
// rows are then read from memory, and the connection is free. A query's
// answer is bounded by its own LIMIT or by one counter's journal (verify,
// a pull page), which is what the reading loop held in memory anyway.

// openPostgresDB opens a pool of connections whose queries are read whole.
func openPostgresDB(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(readWholeConnector{stdlib.GetConnector(*cfg)}), nil
}

type readWholeConnector struct{ driver.Connector }

func (c readWholeConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(*stdlib.Conn)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("store: unexpected PostgreSQL connection %T", conn)
	}
	return readWholeConn{sc}, nil
}

// readWholeConn is pgx's connection, every method its own but queries.
type readWholeConn struct{ *stdlib.Conn }

func (c readWholeConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := c.Conn.QueryContext(ctx, q, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols := rows.Columns()
	var all [][]driver.Value
	for {
		row := make([]driver.Value, len(cols))
		if err := rows.Next(row); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		for i, v := range row {
			if b, ok := v.([]byte); ok { // the driver may reuse its buffer
				row[i] = append([]byte(nil), b...)
			}
		}
		all = append(all, row)
	}
	return &wholeRows{cols: cols, rows: all}, nil
}

// wholeRows are a query's rows read in full.
type wholeRows struct {
	cols []string
	rows [][]driver.Value
}

func (r *wholeRows) Columns() []string { return r.cols }

func (r *wholeRows) Close() error { r.rows = nil; return nil }

func (r *wholeRows) Next(dest []driver.Value) error {
	if len(r.rows) == 0 {
		return io.EOF
	}
	copy(dest, r.rows[0])
	r.rows = r.rows[1:]
	return nil
}
