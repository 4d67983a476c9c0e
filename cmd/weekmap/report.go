package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

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

func runReport(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("report")
	calendar := fs.String("calendar", "", "report only the calendar (source) `NAME`")
	nWeeks := fs.Int("weeks", 4, "the last `N` ISO weeks, ending with the current one")
	week := fs.String("week", "", "one ISO `week`, like 2026-W47 (instead of --weeks)")
	format := fs.String("format", "text", "output `format`: "+reportFormatList)
	out := fs.String("out", "", "write to `FILE` instead of standard output")
	redact := fs.Bool("redact", false, "markdown: leave meeting titles out")
	if err := a.parse(fs, args); err != nil {
		return err
	}
	write := reportWriter(*format, *redact)
	if write == nil {
		return fmt.Errorf("--format %q is not supported: use %s", *format, reportFormatList)
	}
	p, err := a.openPipeline(ctx)
	if err != nil {
		return err
	}
	defer p.store.Close()
	now := a.now()
	weeks, err := selectWeeks(now, p.loc, *week, *nWeeks)
	if err != nil {
		return err
	}
	names, err := calendarNames(p.cfg.Sources, *calendar)
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
		return fmt.Errorf("render %s: %w", *format, err)
	}
	if *out == "" {
		_, err := a.stdout.Write(buf.Bytes())
		return err
	}
	return writeFileAtomic(*out, buf.Bytes(), 0o644)
}

// selectWeeks turns --week / --weeks into the weeks to report.
func selectWeeks(now time.Time, loc *time.Location, week string, n int) ([]report.Week, error) {
	if week != "" {
		w, err := report.ParseWeek(week, loc)
		if err != nil {
			return nil, fmt.Errorf("--week: %w", err)
		}
		return []report.Week{w}, nil
	}
	if n < 1 || n > 520 {
		return nil, fmt.Errorf("--weeks %d: use a number from 1 to 520", n)
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
