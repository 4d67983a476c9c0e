#!/usr/bin/env bash
# Runs weekmap's benchmarks (bench/) and prints one table: metric, value,
# target, met?. Takes about three minutes on 2 vCPUs. Usage:
#
#   bench/run.sh            # or: make bench
#   RACE=1 bench/run.sh     # also TestConcurrentSyncAndScrape under -race (slow to build)
#
# Raw `go test -bench` output is kept in $OUT (default: a temp file).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
out="${OUT:-$(mktemp -t weekmap-bench.XXXXXX)}"

bench() { # bench REGEXP BENCHTIME
	go test -run '^$' -bench "^($1)\$" -benchtime "$2" -count 1 ./bench/ | tee -a "$out" >&2
}

: >"$out"
bench 'BenchmarkGoogleSync' 2x
bench 'BenchmarkWireBytes' 1x
bench 'BenchmarkTeamSync' 1x
bench 'BenchmarkClassify' 1s
bench 'BenchmarkReport52Weeks|BenchmarkReport52WeeksFromStore' 3x
bench 'BenchmarkMetricsScrape' 200x

faults=FAIL
go test -count=1 -run 'Fault' ./ingest/google/ >>"$out" 2>&1 && faults=PASS
race=skipped
if [ "${RACE:-0}" = 1 ]; then
	race=FAIL
	go test -count=1 -race -run 'ConcurrentSyncAndScrape' ./bench/ >>"$out" 2>&1 && race=PASS
fi

# metric NAME UNIT: the value a benchmark reported for UNIT.
awk -v faults="$faults" -v race="$race" '
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	for (i = 3; i < NF; i += 2) v[name "/" $(i+1)] = $i
}
function row(metric, value, target, met) { printf "| %-46s | %14s | %-22s | %-4s |\n", metric, value, target, met }
function yes(c) { return c ? "yes" : "NO" }
END {
	printf "| %-46s | %14s | %-22s | %-4s |\n", "metric", "value", "target", "met?"
	printf "|%s|%s|%s|%s|\n", "------------------------------------------------", "----------------", "------------------------", "------"
	s = "BenchmarkGoogleSync/"
	row("full sync, 100k events (events/s)", sprintf("%.0f", v[s "sync_events/s"]), "", "")
	row("fetch+decode floor, same pages (events/s)", sprintf("%.0f", v[s "fetch_events/s"]), "", "")
	row("full sync time / floor time", sprintf("%.2fx", v[s "sync/fetch"]), "<= 2x", yes(v[s "sync/fetch"] <= 2))
	row("API calls, full sync of 100k", sprintf("%d (min %d)", v[s "full_calls"], v[s "full_calls_min"]), "ceil(N/2500)", yes(v[s "full_calls"] == v[s "full_calls_min"]))
	row("API calls, unchanged calendar", sprintf("%d", v[s "unchanged_calls"]), "1", yes(v[s "unchanged_calls"] == 1))
	row("unchanged sync time (ms)", sprintf("%.1f", v[s "unchanged_ms"]), "", "")
	row("peak RSS, 100k-event sync (MiB)", sprintf("%.1f", v[s "peak_rss_MiB"]), "< 256 MiB", yes(v[s "peak_rss_MiB"] < 256))
	row("  same process idle (MiB)", sprintf("%.1f", v[s "idle_rss_MiB"]), "", "")
	w = "BenchmarkWireBytes/"
	row("wire bytes/event, with fields", sprintf("%.0f", v[w "fields_B/event"]), "", "")
	row("wire bytes/event, without fields", sprintf("%.0f", v[w "nofields_B/event"]), "", "")
	t = "BenchmarkTeamSync/"
	row("team: 200 cal x 2000, first full sync (s)", sprintf("%.1f", v[t "full_s"]), "", "")
	row("team: 200 cal, unchanged re-sync (s)", sprintf("%.2f", v[t "unchanged_s"]), "", "")
	row("team: API calls full / unchanged", sprintf("%d / %d", v[t "full_calls"], v[t "unchanged_calls"]), "200 / 200", yes(v[t "full_calls"] == 200 && v[t "unchanged_calls"] == 200))
	row("classification (events/s)", sprintf("%.0f", v["BenchmarkClassify/events/s"]), "", "")
	r = v["BenchmarkReport52WeeksFromStore/s/report"]
	row("52-week report over 100k events (s)", sprintf("%.3f", r), "< 1 s", yes(r < 1))
	row("  of which accounting (report.Build) (s)", sprintf("%.3f", v["BenchmarkReport52Weeks/s/report"]), "", "")
	m = "BenchmarkMetricsScrape/people=200/"
	row("/metrics p50 / p99, 200 people x 12 weeks (ms)", sprintf("%.0f / %.0f", v[m "p50_ms"], v[m "p99_ms"]), "", "")
	m = "BenchmarkMetricsScrape/people=1000/"
	row("/metrics p50 / p99, 1,000 people (ms)", sprintf("%.0f / %.0f", v[m "p50_ms"], v[m "p99_ms"]), "p99 < 1 s", yes(v[m "p99_ms"] > 0 && v[m "p99_ms"] < 1000))
	row("fault tests (30 seeds, -run Fault)", faults, "PASS", yes(faults == "PASS"))
	row("concurrent sync+scrape under -race", race, "PASS", race == "skipped" ? "-" : yes(race == "PASS"))
}' "$out"
echo "raw output: $out" >&2
