package integrationlogs_test

import (
	_ "github.com/DATA-DOG/go-sqlmock"
	_ "github.com/Masterminds/squirrel"
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite"
)
