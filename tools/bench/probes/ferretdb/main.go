// Command ferretdb is a probe (issue 16, item 2): the same embedded FerretDB 1.24 as
// tools/devstack/ferretdb, with the backend chosen by a flag, so the SQLite and the PostgreSQL
// handlers can be measured side by side. It is not part of the dev stack.
//
//	go run . -listen 127.0.0.1:27117 -handler sqlite -sqlite /tmp/x/
//	go run . -listen 127.0.0.1:27118 -handler postgresql -postgresql 'postgres://postgres@127.0.0.1:55432/ferretdb'
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27117", "TCP address to listen on")
	handler := flag.String("handler", "sqlite", "backend: sqlite or postgresql")
	sqliteDir := flag.String("sqlite", "", "directory for the SQLite files (handler sqlite)")
	pgURL := flag.String("postgresql", "", "PostgreSQL URL (handler postgresql)")
	flag.Parse()

	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Handler:  *handler,
	}
	switch *handler {
	case "sqlite":
		abs, err := filepath.Abs(*sqliteDir)
		if err == nil {
			err = os.MkdirAll(abs, 0o755)
		}
		if *sqliteDir == "" || err != nil {
			fmt.Fprintln(os.Stderr, "ferretdb: -sqlite <dir> is required for handler sqlite", err)
			os.Exit(2)
		}
		config.SQLiteURL = "file:" + abs + "/"
	case "postgresql":
		if *pgURL == "" {
			fmt.Fprintln(os.Stderr, "ferretdb: -postgresql <url> is required for handler postgresql")
			os.Exit(2)
		}
		config.PostgreSQLURL = *pgURL
	default:
		fmt.Fprintf(os.Stderr, "ferretdb: unknown handler %q\n", *handler)
		os.Exit(2)
	}

	f, err := ferretdb.New(config)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { fmt.Println("ferretdb listening:", f.MongoDBURI()) }()
	if err := f.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}
}
