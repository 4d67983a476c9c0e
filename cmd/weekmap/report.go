package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"github.com/weekmap/weekmap/report"
	"github.com/weekmap/weekmap/report/chart"
	"github.com/weekmap/weekmap/report/metrics"
)

// reportWriter returns the writer of a --format, or nil.
func reportWriter(format string, redact bool) func(w io.Writer, r report.Report) error {
	switch format {
	case "text":
		return report.WriteText
	case "json":
		return report.WriteJSON
	case "csv":
		return report.WriteCSV
	case "markdown":
		return func(w io.Writer, r report.Report) error {
			return report.WriteMarkdown(w, r, report.MarkdownOptions{Redact: redact})
		}
	case "html":
		return func(w io.Writer, r report.Report) error {
			// r holds only the --calendar asked for, if any.
			return chart.Render(w, r, chart.Options{Inline: true, AllCalendars: true})
		}
	case "openmetrics":
		return func(w io.Writer, r report.Report) error {
			return metrics.WriteOpenMetrics(w, r, r.GeneratedAt)
		}
	}
	return nil
}

const reportFormatList = "text, json, csv, markdown, html or openmetrics"

type reportOptions struct {
	calendar, week, format, out string
	weeks                       int
	redact                      bool
}

func newReportCmd(a *app) *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report [--calendar NAME] [--weeks N | --week 2026-W47] [--format FORMAT] [--out FILE] [--redact]",
		Short: "Print the weekly report from the store",
		Long: `report accounts the synced events week by week (ISO weeks in the configured
time zone) and prints hours per category, the design share (design + review +
alignment over all work time) and whether each week is below the target.
Formats: text (a table, the default), json, csv, markdown (a summary to paste
into a note; --redact leaves meeting titles out), html (one self-contained
page whose charts work offline) and openmetrics (history to backfill
Prometheus with promtool).`,
		Example: `  weekmap report
  weekmap report --weeks 12 --format csv
  weekmap report --week 2026-W47 --format json
  weekmap report --format html --out week.html`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runReport(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.calendar, "calendar", "", "report only the calendar (source) `NAME`")
	f.IntVar(&o.weeks, "weeks", 4, "the last `N` ISO weeks, ending with the current one")
	f.StringVar(&o.week, "week", "", "one ISO `week`, like 2026-W47 (instead of --weeks)")
	f.StringVar(&o.format, "format", "text", "output `format`: "+reportFormatList)
	f.StringVar(&o.out, "out", "", "write to `FILE` instead of standard output")
	f.BoolVar(&o.redact, "redact", false, "markdown: leave meeting titles out")
	return cmd
}

func runReport(ctx context.Context, a *app, o reportOptions) error {
	write := reportWriter(o.format, o.redact)
	if write == nil {
		return usagef("--format %q is not supported: use %s", o.format, reportFormatList)
	}
	p, err := a.openPipeline(ctx)
	if err != nil {
		return err
	}
	defer p.store.Close()
	now := a.now()
	weeks, err := selectWeeks(now, p.loc, o.week, o.weeks)
	if err != nil {
		return err
	}
	names, err := calendarNames(p.cfg.Sources, o.calendar)
	if err != nil {
		return err
	}
	if err := p.warnUnsynced(ctx, a, "report", names); err != nil {
		return err
	}
	r, err := p.report(ctx, names, weeks, now)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := write(&buf, r); err != nil {
		return fmt.Errorf("render %s: %w", o.format, err)
	}
	if o.out == "" {
		_, err := a.stdout.Write(buf.Bytes())
		return err
	}
	return writeFileAtomic(o.out, buf.Bytes(), 0o644)
}

// selectWeeks turns --week / --weeks into the weeks to report.
func selectWeeks(now time.Time, loc *time.Location, week string, n int) ([]report.Week, error) {
	if week != "" {
		w, err := report.ParseWeek(week, loc)
		if err != nil {
			return nil, usagef("--week: %w", err)
		}
		return []report.Week{w}, nil
	}
	if n < 1 || n > 520 {
		return nil, usagef("--weeks %d: use a number from 1 to 520", n)
	}
	return report.LastWeeks(now, n, loc), nil
}

// writeFileAtomic writes data to a temporary file next to path and renames
// it into place, so a reader never sees half a file.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
