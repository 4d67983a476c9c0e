// Command weekmap maps an engineer's calendar week into design, review,
// alignment, incident and implementation time. See README.md.
package main

import (
	"context"
	"os"
	"time"
)

func main() {
	os.Exit(runAt(context.Background(), os.Args[1:], os.Stdout, os.Stderr, time.Now))
}
