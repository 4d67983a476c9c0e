package report

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/weekmap/weekmap/config"
)

// prepared is what accounting needs to know of a person's events that
// does not depend on the week: computed once, it lets a report of many
// weeks look at each event's fields once rather than once a week.
type prepared struct {
	rk   ranking
	disp []disposition
	// reason is why an event is not counted ("" for work), before time off
	// is taken into account.
	reason []string
	// from and to are each event's span in Unix seconds (eventSpan).
	from, to []int64
}

func prepare(a config.Accounting, loc *time.Location, categories, calendars []string, events []Classified) prepared {
	p := prepared{
		disp:   make([]disposition, len(events)),
		reason: make([]string, len(events)),
		from:   make([]int64, len(events)),
		to:     make([]int64, len(events)),
	}
	for i := range events {
		p.disp[i], p.reason[i] = dispose(a, &events[i])
	}
	for i, keep := range duplicates(events, calendars, p.disp) {
		if keep >= 0 && p.disp[i] != asExcluded {
			p.disp[i], p.reason[i] = asExcluded, ReasonDuplicate
		}
	}
	for i := range events {
		if p.disp[i] != asExcluded {
			p.from[i], p.to[i] = eventSpan(&events[i], loc)
		}
	}
	p.rk = newRanking(a, categories, events, p.disp)
	return p
}

type pieceKind int

const (
	workPiece pieceKind = iota
	offPiece
	blockPiece
	hoursPiece
)

// piece is one interval of the sweep, in Unix seconds, clipped to the week.
type piece struct {
	start, end int64
	kind       pieceKind
	rank       int // precedence rank, for workPiece
	event      int // index into the events, -1 for working hours
}

// accountWeek accounts week w. It adds to eventSeconds[i] the time
// events[i] was credited with after overlap resolution (an instant shared
// by equals goes to one of them); p is prepare's answer for events.
func accountWeek(cfg config.Week, categories []string, w Week, events []Classified, p *prepared, eventSeconds []int64) WeekReport {
	loc := cfg.Timezone
	weekStart, weekEnd := w.Start.Unix(), w.End.Unix()
	rk := p.rk
	var pieces []piece
	var off []span
	for i, d := range p.disp {
		if d == asExcluded {
			continue
		}
		from, to := max(p.from[i], weekStart), min(p.to[i], weekEnd)
		if from >= to {
			continue
		}
		pc := piece{start: from, end: to, kind: blockPiece, event: i}
		switch d {
		case asWork:
			pc.kind, pc.rank = workPiece, rk.index[events[i].Category]
		case asOff:
			pc.kind = offPiece
			off = append(off, span{from, to})
		}
		pieces = append(pieces, pc)
	}
	off = union(off)
	counted := 0
	for _, pc := range pieces {
		if pc.kind == workPiece && !covers(off, pc.start, pc.end) {
			counted++
		}
	}
	pieces = append(pieces, workingHours(cfg.WorkingHours, loc, w)...)
	// A total order makes the credit for shared instants independent of
	// the order events arrive in.
	slices.SortFunc(pieces, func(a, b piece) int { return comparePieces(a, b, events) })

	t := sweep(pieces, len(rk.names), eventSeconds)

	r := WeekReport{
		Week:           w.String(),
		Start:          w.Start.In(loc),
		End:            w.End.In(loc),
		Seconds:        make(Seconds, len(rk.names)),
		EventsCounted:  counted,
		TimeOffSeconds: t.timeOff,
	}
	for _, c := range categories {
		r.Seconds[c] = 0
	}
	for i, s := range t.perRank {
		if s > 0 || slices.Contains(categories, rk.names[i]) {
			r.Seconds[rk.names[i]] = s
		}
	}
	if u := cfg.Accounting.Unscheduled; u != config.UnscheduledNone && t.unscheduled > 0 {
		r.Seconds[u] += t.unscheduled
		r.UnscheduledSeconds = t.unscheduled
	}
	for _, s := range r.Seconds {
		r.TotalSeconds += s
	}
	r.DesignShare, r.BelowTarget = designShare(cfg.Target.Categories, cfg.Target.MinShare, r.Seconds, r.TotalSeconds)
	return r
}

// designShare is the target categories' share of total, the work time of
// seconds, and whether it is below minShare; nil and false when there is
// no work time. A person's week, a team's and every summary use it.
func designShare(categories []string, minShare float64, seconds Seconds, total int64) (*float64, bool) {
	if total <= 0 {
		return nil, false
	}
	var target int64
	for c, s := range seconds {
		if slices.Contains(categories, c) {
			target += s
		}
	}
	share := float64(target) / float64(total)
	return &share, share < minShare
}

// span is a half-open interval of Unix seconds.
type span struct{ from, to int64 }

// union merges overlapping and touching spans, in start order.
func union(spans []span) []span {
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.from, b.from) })
	var out []span
	for _, s := range spans {
		if n := len(out); n > 0 && s.from <= out[n-1].to {
			out[n-1].to = max(out[n-1].to, s.to)
			continue
		}
		out = append(out, s)
	}
	return out
}

// covers reports whether the union spans (from union) holds all of
// [from, to).
func covers(spans []span, from, to int64) bool {
	for _, s := range spans {
		if s.from <= from && to <= s.to {
			return true
		}
	}
	return false
}

// tally is what sweep counts.
type tally struct {
	perRank     []int64
	unscheduled int64
	// timeOff is the working time covered by time off.
	timeOff int64
}

// sweep walks the boundaries of pieces (sorted by comparePieces) and gives
// each stretch between two boundaries to time off if some is there (and to
// nothing else: no event counts while you are away); failing that, to the
// best-ranked work piece over it; failing that, to nobody if a blocking
// piece covers it; failing that, to unscheduled if it is working time. It
// credits each work piece's event in eventSeconds.
func sweep(pieces []piece, ranks int, eventSeconds []int64) tally {
	type edge struct {
		at    int64
		piece int
		open  bool
	}
	edges := make([]edge, 0, 2*len(pieces))
	for i, p := range pieces {
		edges = append(edges, edge{p.start, i, true}, edge{p.end, i, false})
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Compare(a.at, b.at) })

	t := tally{perRank: make([]int64, ranks)}
	// active[r] holds the indexes of open work pieces of rank r; the lowest
	// index is credited, which is the earliest-starting piece.
	active := make([][]int, ranks)
	var offs, blockers, hours int
	for i := 0; i < len(edges); {
		at := edges[i].at
		for ; i < len(edges) && edges[i].at == at; i++ {
			e := edges[i]
			p := pieces[e.piece]
			delta := 1
			if !e.open {
				delta = -1
			}
			switch p.kind {
			case workPiece:
				if e.open {
					active[p.rank] = append(active[p.rank], e.piece)
				} else {
					j := slices.Index(active[p.rank], e.piece)
					active[p.rank] = slices.Delete(active[p.rank], j, j+1)
				}
			case offPiece:
				offs += delta
			case blockPiece:
				blockers += delta
			case hoursPiece:
				hours += delta
			}
		}
		if i == len(edges) {
			break
		}
		length := edges[i].at - at
		switch r := slices.IndexFunc(active, func(open []int) bool { return len(open) > 0 }); {
		case offs > 0:
			if hours > 0 {
				t.timeOff += length
			}
		case r >= 0:
			t.perRank[r] += length
			eventSeconds[pieces[slices.Min(active[r])].event] += length
		case blockers > 0:
		case hours > 0:
			t.unscheduled += length
		}
	}
	return t
}

func comparePieces(a, b piece, events []Classified) int {
	if c := cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end),
		cmp.Compare(a.kind, b.kind), cmp.Compare(a.rank, b.rank)); c != 0 {
		return c
	}
	if a.event < 0 || b.event < 0 {
		return cmp.Compare(a.event, b.event)
	}
	x, y := &events[a.event], &events[b.event]
	return cmp.Or(strings.Compare(x.Calendar, y.Calendar), strings.Compare(x.ID, y.ID),
		strings.Compare(x.RecurringEventID, y.RecurringEventID), strings.Compare(x.Title, y.Title),
		x.Start.Compare(y.Start), x.End.Compare(y.End))
}

// ranking orders categories for overlap resolution: precedence first, then
// the remaining work categories in display order, then categories unknown
// to the configuration (possible only without validation) by name.
type ranking struct {
	names []string
	index map[string]int
}

// newRanking ranks categories; disp[i] is events[i]'s disposition.
func newRanking(a config.Accounting, categories []string, events []Classified, disp []disposition) ranking {
	rk := ranking{index: map[string]int{}}
	add := func(c string) {
		if _, ok := rk.index[c]; !ok {
			rk.index[c] = len(rk.names)
			rk.names = append(rk.names, c)
		}
	}
	for _, c := range a.Precedence {
		if slices.Contains(categories, c) {
			add(c)
		}
	}
	for _, c := range categories {
		add(c)
	}
	var unknown []string
	for i := range events {
		if disp[i] == asWork {
			if _, ok := rk.index[events[i].Category]; !ok {
				unknown = append(unknown, events[i].Category)
			}
		}
	}
	slices.Sort(unknown)
	for _, c := range unknown {
		add(c)
	}
	return rk
}

// workingHours returns the week's working time as pieces. Each day's bounds
// come from time.Date in loc, so a day with a DST change still starts work
// at the configured wall-clock time.
func workingHours(h config.WorkingHours, loc *time.Location, w Week) []piece {
	y, m, d := w.Start.In(loc).Date()
	var pieces []piece
	for i := range 7 {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, loc)
		start, end, ok := h.Hours(day.Weekday())
		if !ok {
			continue
		}
		from := wallClock(y, m, d+i, int(start), loc, -1).Unix()
		to := wallClock(y, m, d+i, int(end), loc, +1).Unix()
		from, to = max(from, w.Start.Unix()), min(to, w.End.Unix())
		if from < to {
			pieces = append(pieces, piece{start: from, end: to, kind: hoursPiece, event: -1})
		}
	}
	return pieces
}

// wallClock is the instant at minutes past midnight on the given local day.
// When a DST change repeats that wall-clock time, time.Date may pick either
// instant: dir -1 asks for the earlier one (work starts at the first 01:30),
// +1 for the later one (work ends at the last).
func wallClock(y int, m time.Month, d, minutes int, loc *time.Location, dir int) time.Time {
	t := time.Date(y, m, d, minutes/60, minutes%60, 0, 0, loc)
	h, mi := t.Hour(), t.Minute()
	_, _, day := t.Date()
	// Zones shift by 30 minutes to 2 hours; look that far for a twin.
	for _, shift := range []time.Duration{30 * time.Minute, time.Hour, 90 * time.Minute, 2 * time.Hour} {
		twin := t.Add(time.Duration(dir) * shift)
		_, _, td := twin.Date()
		if twin.Hour() == h && twin.Minute() == mi && td == day {
			return twin
		}
	}
	return t
}
