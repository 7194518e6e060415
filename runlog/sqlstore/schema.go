package sqlstore

import (
	"strconv"
	"strings"
)

// statementEnd ends every statement of the migration files: a semicolon at
// the end of a line. No comment line in those files ends with one, so
// splitting on it needs no SQL parsing.
const statementEnd = ";\n"

// Schema returns the whole DDL of dialect d for the default table names:
// the statements of every migration (see Migrations), in order, each ending
// with a semicolon, which make a new database's tables as Migrate does. An
// unknown dialect gives "". For configured table names, use
// (*Store).Schema or (*Builder).Schema; to upgrade a database that has
// tables already, apply the Migrations it lacks, or call Migrate.
func Schema(d Dialect) string {
	b, err := NewBuilder(d, Tables{})
	if err != nil {
		return ""
	}
	return b.Schema()
}

// Schema returns the whole DDL of b's dialect for b's tables (see the
// package function Schema).
func (b *Builder) Schema() string {
	var sb strings.Builder
	for i, m := range b.Migrations() {
		if i > 0 {
			sb.WriteString("\n")
		}
		sb.WriteString("-- Version " + strconv.Itoa(m.Version) + ": " + m.Name + "\n\n")
		sb.WriteString(m.SQL)
	}
	return sb.String()
}

// statements splits DDL from the migration files into its statements,
// without their final semicolons.
func statements(ddl string) []string {
	var out []string
	for _, s := range strings.Split(ddl, statementEnd) {
		if s = strings.TrimSpace(s); s != "" && !onlyComments(s) {
			out = append(out, s)
		}
	}
	return out
}

// onlyComments reports whether s holds nothing but "--" comment lines.
func onlyComments(s string) bool {
	for line := range strings.Lines(s) {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "--") {
			return false
		}
	}
	return true
}
