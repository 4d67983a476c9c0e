// Command baseline is the binary-size reference for sqlitebench: the same
// program as cmd/modernc and cmd/ncruces with database/sql and no driver.
package main

import (
	"database/sql"
	"fmt"
	"os"
)

func main() {
	fmt.Println(sql.Drivers(), len(os.Args))
}
