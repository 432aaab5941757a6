package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses
)

// FerretDB 1.24 creates each collection's unique _id index on the expression
// `_ferretdb_sjson->"_id"`, but looks documents up by `_ferretdb_sjson->'$._id'`. SQLite matches
// index expressions by their text, so no lookup ever uses that index: finding, updating or deleting
// one document by _id reads the whole table (about 5 µs per stored document, 100 ms at 20,000).
// This adds an index on the expression the queries use, to every collection table, as collections
// appear. It changes no data and no behaviour, only the query plan; FerretDB drops it with the table.

const idLookupPoll = 500 * time.Millisecond

// indexIDLookups watches the data directory until ctx ends, indexing new collection tables.
func indexIDLookups(ctx context.Context, dataDir string, logger *slog.Logger) {
	done := map[string]bool{}
	ticker := time.NewTicker(idLookupPoll)
	defer ticker.Stop()
	for {
		files, _ := filepath.Glob(filepath.Join(dataDir, "*.sqlite"))
		for _, file := range files {
			if err := indexFile(ctx, file, done); err != nil {
				logger.Warn("id lookup index", "file", file, "error", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func indexFile(ctx context.Context, file string, done map[string]bool) error {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil // a database FerretDB is still creating; the next poll looks again
		}
		return err
	}
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			rows.Close()
			return err
		}
		if !done[file+"/"+table] {
			tables = append(tables, table)
		}
	}
	rows.Close()
	for _, table := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+"_id_lookup", table)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
		done[file+"/"+table] = true
	}
	return nil
}
