// Command ncruces measures the binary size that the ncruces SQLite driver adds
// (compare with cmd/baseline); it opens a database in WAL mode and queries it.
package main

import (
	"database/sql"
	"fmt"
	"os"

	_ "github.com/ncruces/go-sqlite3/driver"
)

func main() {
	db, err := sql.Open("sqlite3", "file:"+os.Args[1]+"?_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer db.Close()
	var v string
	if err := db.QueryRow("SELECT sqlite_version()").Scan(&v); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(v)
}
