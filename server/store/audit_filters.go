package store

// AuditValues lists the distinct values a column of the audit trail
// holds (the staff logins, the actions, the régies), sorted, for the
// trail's filters.
func (t *Tx) AuditValues(org, column string) ([]string, error) {
	switch column {
	case "staff", "action", "regie":
	default:
		return nil, wrap("audit values", errBadColumn)
	}
	rows, err := t.query(`SELECT DISTINCT `+column+` FROM audit WHERE org = ? AND `+column+` <> '' ORDER BY 1`, org)
	if err != nil {
		return nil, wrap("audit values", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, wrap("audit values", err)
		}
		out = append(out, s)
	}
	return out, wrap("audit values", rows.Err())
}

var errBadColumn = errorString("unknown audit column")

type errorString string

func (e errorString) Error() string { return string(e) }
