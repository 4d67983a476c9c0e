// Command weekmap maps an engineer's calendar week into design, review,
// alignment, incident and implementation time. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/weekmap/weekmap/config"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// app is what every command gets: its output streams, logger and clock.
type app struct {
	stdout, stderr io.Writer
	log            *slog.Logger
	configPath     string // from --config, "" if not given
	logLevel       logLevel
	now            func() time.Time
}

type command struct {
	name    string
	usage   string
	summary string
	run     func(ctx context.Context, a *app, args []string) error
}

func commands() []command {
	return []command{
		{"demo", "demo [--addr 127.0.0.1:8080]", "serve the report and /metrics on a built-in sample calendar", runDemo},
		{"connect", "connect [--source NAME] [--no-browser] [--timeout 5m]", "sign in to Google (read-only) and save a google source's token", runConnect},
		{"sync", "sync [--source NAME] [--full]", "pull every configured source into the store", runSync},
		{"report", "report [--calendar NAME] [--weeks N | --week 2026-W47] [--format text|json|html] [--out FILE]", "weekly report from the store", runReport},
		{"events", "events [--calendar NAME] [--week W | --from DATE --to DATE] [--format text|json]", "the stored events with their category, rule and whether they count", runEvents},
		{"serve", "serve [--addr HOST:PORT]", "sync every server.sync_interval and serve the report, /metrics, /healthz and /readyz", runServe},
		{"classify", "classify [--in FILE] [--explain]", "classify events (JSON lines in, JSON lines out)", runClassify},
		{"rules", "rules check | eval --in EVENTS --labels LABELS | default", "check the rules, measure them against labeled events, or print the built-in ones", runRules},
		{"version", "version", "print the version", func(_ context.Context, a *app, _ []string) error {
			fmt.Fprintf(a.stdout, "weekmap %s\n", version)
			return nil
		}},
	}
}

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks an error whose message is enough; usage was printed.
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runAt(ctx, args, stdout, stderr, time.Now)
}

// runAt is run with a clock of the caller's choosing.
func runAt(ctx context.Context, args []string, stdout, stderr io.Writer, now func() time.Time) int {
	a := &app{stdout: stdout, stderr: stderr, now: now}
	global := flag.NewFlagSet("weekmap", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	addGlobalFlags(global, a)
	if err := global.Parse(args); err != nil {
		fmt.Fprintf(stderr, "weekmap: %v\n", err)
		printUsage(stderr)
		return 2
	}
	rest := global.Args()
	if len(rest) == 0 || rest[0] == "help" || rest[0] == "-h" || rest[0] == "--help" {
		printUsage(stdout)
		if len(rest) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != rest[0] {
			continue
		}
		a.log = newLogger(stderr, a.logLevel)
		err := c.run(ctx, a, rest[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		default:
			fmt.Fprintf(stderr, "weekmap %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "weekmap: unknown command %q\n", rest[0])
	printUsage(stderr)
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: weekmap [--config FILE] COMMAND [flags]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'weekmap COMMAND -h' for a command's flags. Start with: weekmap demo")
}

// addGlobalFlags defines the flags every command accepts, before or after
// its name.
func addGlobalFlags(fs *flag.FlagSet, a *app) {
	fs.StringVar(&a.configPath, "config", a.configPath, "config `FILE` (default ./weekmap.yaml, else $XDG_CONFIG_HOME/weekmap/config.yaml)")
	fs.Var(&a.logLevel, "log-level", "log `level`: debug, info, warn or error")
}

// newFlags returns a command's flag set with the global flags added.
func (a *app) newFlags(c string) *flag.FlagSet {
	fs := flag.NewFlagSet("weekmap "+c, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	addGlobalFlags(fs, a)
	return fs
}

// parse parses a command's flags; stray arguments are an error.
func (a *app) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(a.stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	a.log = newLogger(a.stderr, a.logLevel)
	return nil
}

// config finds and loads the configuration file.
func (a *app) config() (*config.Config, error) {
	path, err := config.Find(a.configPath)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	a.log.Debug("loaded config", "path", path)
	return cfg, nil
}

// logLevel is a flag.Value for slog levels.
type logLevel slog.Level

func (l *logLevel) String() string { return slog.Level(*l).String() }

func (l *logLevel) Set(s string) error {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(strings.ToUpper(s))); err != nil {
		return fmt.Errorf("%q is not a log level: use debug, info, warn or error", s)
	}
	*l = logLevel(lv)
	return nil
}

func newLogger(w io.Writer, l logLevel) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.Level(l)}))
}
