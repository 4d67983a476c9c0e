package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/internal/textsafe"
	"github.com/weekmap/weekmap/internal/version"
)

// app is what every command gets: its output streams, logger, clock and
// the global flags.
type app struct {
	stdout, stderr io.Writer
	log            *slog.Logger
	now            func() time.Time
	configPath     string // from --config, "" if not given
	logLevel       logLevel
}

// usageError is a mistake in how weekmap was called (an unknown command or
// flag, a bad flag value, a stray argument): exit status 2, as Go tools
// do; every other error exits 1.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// runAt runs weekmap with args and the clock now, and returns the exit
// status: 0 on success (and for help), 1 when the command failed, 2 when
// it was called wrongly. Errors go to stderr as one line.
func runAt(ctx context.Context, args []string, stdout, stderr io.Writer, now func() time.Time) int {
	a := &app{stdout: stdout, stderr: stderr, now: now}
	a.log = newLogger(stderr, a.logLevel)
	root := newRootCmd(a)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	// The message may quote what the user or a calendar supplied: a
	// terminal must not interpret it.
	fmt.Fprintf(stderr, "%s: %s\n", cmd.CommandPath(), textsafe.Lines(err.Error()))
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		return 2
	}
	return 1
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "weekmap",
		Short: "Map your calendar week into design, review, alignment, incident and implementation time",
		Long: `weekmap reads your calendars (Google Calendar, ICS files and feeds, JSON exports),
classifies every event with transparent rules, and shows how much of each week
goes to design, review and alignment — the work that senior engineers are judged
on — against heads-down implementation. If that share stays under your target
(20% by default), ask for a project you can own.

Start with the demo, which needs no config:

  weekmap demo

Then copy config.example.yaml to weekmap.yaml, add your calendars, and run
weekmap sync and weekmap report.`,
		Version:       version.Version(),
		SilenceErrors: true,
		SilenceUsage:  true,
		// Without a command, or with an unknown one, say so and exit 2.
		Args: parentArgs,
		RunE: parentRun,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			a.log = newLogger(a.stderr, a.logLevel)
			return nil
		},
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetVersionTemplate(version.String() + "\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&a.configPath, "config", "", "config `FILE` (default ./weekmap.yaml, else $XDG_CONFIG_HOME/weekmap/config.yaml)")
	pf.Var(&a.logLevel, "log-level", "log `level`: debug, info, warn or error")
	root.AddCommand(
		newDemoCmd(a), newConnectCmd(a), newSyncCmd(a), newReportCmd(a), newEventsCmd(a),
		newServeCmd(a), newClassifyCmd(a), newRulesCmd(a), newLabelCmd(a), newVersionCmd(),
	)
	// The completion command captures the output stream when it is made.
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Short = "Print the shell completion script for bash, zsh, fish or powershell"
			// "completion nosuch" is a usage error, as an unknown command is.
			c.Args, c.RunE = parentArgs, parentRun
		}
	}
	// help for a command that does not exist is a usage error too (cobra's
	// own prints "Unknown help topic" and exits 0).
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := cmd.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return usagef("no help for %q: unknown command (run weekmap help)", strings.Join(args, " "))
			}
			return target.Help()
		},
	})
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the weekmap version, the commit it was built from and the Go version",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), version.String())
			return err
		},
	}
}

// noArgs refuses positional arguments as a usage error.
func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q", args[0])
	}
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
	for _, w := range cfg.Warnings {
		a.log.Warn(w, "config", path)
	}
	return cfg, nil
}

// logLevel is a pflag.Value for slog levels.
type logLevel slog.Level

func (l *logLevel) String() string { return strings.ToLower(slog.Level(*l).String()) }
func (l *logLevel) Type() string   { return "level" }

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

// parentArgs and parentRun make a command that only groups others (rules)
// behave like the root: no subcommand, or an unknown one, is a usage error.
func parentArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unknown command %q", args[0])
	}
	return nil
}

func parentRun(cmd *cobra.Command, _ []string) error {
	cmd.SetOut(cmd.ErrOrStderr())
	cmd.Usage()
	return usagef("no command given")
}
