package classify

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/weekmap/weekmap/cal"
)

type condKind uint8

// The order of the kinds is the order conditions are checked in: field
// comparisons first, regexps last, so most rules are rejected cheaply.
const (
	condCalendar condKind = iota
	condEventType
	condColor
	condRecurring
	condOrganizerSelf
	condAttendees
	condDuration
	condExternal
	condTitle
	condDescription
	condText
)

var condNames = [...]string{
	condCalendar: "calendar", condEventType: "event_type", condColor: "color",
	condRecurring: "recurring", condOrganizerSelf: "organizer_self", condAttendees: "attendees",
	condDuration: "duration", condExternal: "external", condTitle: "title",
	condDescription: "description", condText: "text",
}

// condition is one compiled condition. A concrete type with a switch, not
// an interface, keeps the event input on Classify's stack.
type condition struct {
	kind condKind
	res  []*regexp.Regexp
	// ids numbers res for the prefilter.
	ids  []int32
	set  []string
	want bool
	// min and max bound attendees (people) or duration (nanoseconds).
	min, max       int64
	hasMin, hasMax bool
}

type compiledRule struct {
	name, category string
	conds          []condition
}

// compile turns r into conditions, registering its patterns with pb.
func compile(r Rule, pb *prefilterBuilder) compiledRule {
	var cs []condition
	strs := func(k condKind, s []string) {
		if len(s) > 0 {
			cs = append(cs, condition{kind: k, set: s})
		}
	}
	flag := func(k condKind, b *bool) {
		if b != nil {
			cs = append(cs, condition{kind: k, want: *b})
		}
	}
	pats := func(k condKind, f field, res []*regexp.Regexp) {
		if len(res) > 0 {
			ids := make([]int32, len(res))
			for i, re := range res {
				ids[i] = pb.add(re, f)
			}
			cs = append(cs, condition{kind: k, res: res, ids: ids})
		}
	}
	strs(condCalendar, r.Calendar)
	strs(condEventType, r.EventType)
	strs(condColor, r.Color)
	flag(condRecurring, r.Recurring)
	flag(condOrganizerSelf, r.OrganizerSelf)
	if a := r.Attendees; a != nil {
		c := condition{kind: condAttendees}
		if a.Min != nil {
			c.min, c.hasMin = int64(*a.Min), true
		}
		if a.Max != nil {
			c.max, c.hasMax = int64(*a.Max), true
		}
		cs = append(cs, c)
	}
	if d := r.Duration; d != nil {
		c := condition{kind: condDuration}
		if d.Min != nil {
			c.min, c.hasMin = int64(*d.Min), true
		}
		if d.Max != nil {
			c.max, c.hasMax = int64(*d.Max), true
		}
		cs = append(cs, c)
	}
	flag(condExternal, r.External)
	pats(condTitle, fieldTitle, r.Title)
	pats(condDescription, fieldDescription, r.Description)
	pats(condText, fieldText, r.Text)
	return compiledRule{name: r.Name, category: r.Category, conds: cs}
}

func (r *compiledRule) matches(in *input) bool {
	for i := range r.conds {
		if !r.conds[i].test(in) {
			return false
		}
	}
	return true
}

// explain returns whether r matches and why: the first failing condition,
// or every condition that held.
func (r *compiledRule) explain(in *input) (bool, string) {
	held := make([]string, 0, len(r.conds))
	for i := range r.conds {
		c := &r.conds[i]
		ok := c.test(in)
		why := condNames[c.kind] + ": " + c.describe(in, ok)
		if !ok {
			return false, why
		}
		held = append(held, why)
	}
	return true, strings.Join(held, "; ")
}

func eventType(e *cal.Event) string {
	if e.EventType == "" {
		return cal.TypeDefault
	}
	return e.EventType
}

func (c *condition) inRange(v int64) bool {
	return (!c.hasMin || v >= c.min) && (!c.hasMax || v <= c.max)
}

func (c *condition) test(in *input) bool {
	e := in.e
	switch c.kind {
	case condCalendar:
		return slices.Contains(c.set, e.Calendar)
	case condEventType:
		return slices.Contains(c.set, eventType(e))
	case condColor:
		return slices.Contains(c.set, e.ColorID)
	case condRecurring:
		return e.Recurring() == c.want
	case condOrganizerSelf:
		return e.OrganizerSelf() == c.want
	case condAttendees:
		return c.inRange(int64(e.People()))
	case condDuration:
		return c.inRange(int64(e.Duration()))
	case condExternal:
		return e.HasExternal(in.c.domains) == c.want
	case condTitle:
		return matchAny(in, c.res, c.ids, e.Title)
	case condDescription:
		return matchAny(in, c.res, c.ids, e.Description)
	case condText:
		return matchAnyBytes(in, c.res, c.ids, in.joined())
	}
	panic(fmt.Sprintf("classify: unknown condition kind %d", c.kind))
}

// describe says what the event had against what c wants. It never quotes
// titles or descriptions, which are private and attacker-controlled.
func (c *condition) describe(in *input, ok bool) string {
	e := in.e
	switch c.kind {
	case condCalendar:
		return inSet(e.Calendar, c.set, ok)
	case condEventType:
		return inSet(eventType(e), c.set, ok)
	case condColor:
		if e.ColorID == "" && !ok {
			return "no color set, want one of " + quoteAll(c.set)
		}
		return inSet(e.ColorID, c.set, ok)
	case condRecurring:
		return yesNo(e.Recurring(), c.want, "a recurring event", "a single event")
	case condOrganizerSelf:
		return yesNo(e.OrganizerSelf(), c.want, "organized by you", "organized by someone else")
	case condAttendees:
		n := e.People()
		got := strconv.Itoa(n) + " people"
		if n == 1 {
			got = "1 person"
		}
		return c.rangeWhy(got, strconv.FormatInt(c.min, 10), strconv.FormatInt(c.max, 10), ok)
	case condDuration:
		return c.rangeWhy(shortDuration(e.Duration()), shortDuration(time.Duration(c.min)), shortDuration(time.Duration(c.max)), ok)
	case condExternal:
		return yesNo(e.HasExternal(in.c.domains), c.want,
			"someone outside "+domainList(in.c.domains)+" attends", "nobody outside "+domainList(in.c.domains)+" attends")
	case condTitle, condDescription, condText:
		if !ok {
			return "no pattern matched"
		}
		for i, re := range c.res {
			var hit bool
			if c.kind == condText {
				hit = re.Match(in.joined())
			} else if c.kind == condTitle {
				hit = re.MatchString(e.Title)
			} else {
				hit = re.MatchString(e.Description)
			}
			if hit {
				return fmt.Sprintf("[%d] %s matched", i, quotePattern(re.String()))
			}
		}
	}
	return "?"
}

func inSet(got string, set []string, ok bool) string {
	if ok {
		return strconv.Quote(got)
	}
	return fmt.Sprintf("%q, want one of %s", got, quoteAll(set))
}

func quoteAll(set []string) string {
	q := make([]string, len(set))
	for i, s := range set {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func yesNo(got, want bool, yes, no string) string {
	say := func(b bool) string {
		if b {
			return yes
		}
		return no
	}
	if got == want {
		return say(got)
	}
	return say(got) + ", want " + say(want)
}

func (c *condition) rangeWhy(got, min, max string, ok bool) string {
	switch {
	case ok:
		return got
	case c.hasMin && c.hasMax:
		return got + ", want " + min + " to " + max
	case c.hasMin:
		return got + ", want at least " + min
	default:
		return got + ", want at most " + max
	}
}

func domainList(domains []string) string {
	if len(domains) == 0 {
		return "your domains (none configured)"
	}
	return strings.Join(domains, ", ")
}

// quotePattern shows a regexp as written in YAML single quotes when it can,
// since %q would double every backslash.
func quotePattern(p string) string {
	if strconv.CanBackquote(p) {
		return "`" + p + "`"
	}
	return strconv.Quote(p)
}

// shortDuration drops the zero units time.Duration.String keeps: 1h, 1h30m.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
