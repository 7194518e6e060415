package sqlstore

import (
	"embed"
	"strings"
)

//go:embed schema/*.sql
var schemaFiles embed.FS

// statementEnd ends every statement of the schema files: a semicolon at the
// end of a line. No comment line in those files ends with one, so splitting
// on it needs no SQL parsing.
const statementEnd = ";\n"

// Schema returns the DDL of dialect d for the default table names: the
// statements that Migrate runs, each ending with a semicolon, for hosts that
// apply migrations with their own tool. Every statement is idempotent (IF NOT
// EXISTS). An unknown dialect gives "". For configured table names, use
// (*Store).Schema or (*Builder).Schema.
func Schema(d Dialect) string {
	b, err := NewBuilder(d, Tables{})
	if err != nil {
		return ""
	}
	return b.Schema()
}

// Schema returns the DDL of b's dialect for b's tables (see the package
// function Schema).
func (b *Builder) Schema() string {
	raw, err := schemaFiles.ReadFile("schema/" + string(b.dialect) + ".sql")
	if err != nil {
		// NewBuilder accepts only dialects that have a file.
		panic("sqlstore: no schema for dialect " + string(b.dialect))
	}
	return strings.NewReplacer(
		"{{runs}}", b.names.runs,
		"{{stages}}", b.names.stages,
		"{{stages_bare}}", b.names.stagesBare,
		"{{index_qualifier}}", b.names.qualifier,
		"{{stages_index}}", b.names.stagesIndex,
	).Replace(string(raw))
}

// statements splits DDL from the schema files into its statements, without
// their final semicolons.
func statements(ddl string) []string {
	var out []string
	for _, s := range strings.Split(ddl, statementEnd) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
