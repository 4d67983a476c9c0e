// Package bench measures weekmap end to end: Google syncs through the real
// source and store against the in-process Calendar API stand-in
// (ingest/google/fake), classification, the weekly report, /metrics
// scrapes and the peak memory of a large sync. Everything here is a test
// or a benchmark; run bench/run.sh (or `make bench`) for the summary
// table that docs/PERFORMANCE.md records.
package bench
