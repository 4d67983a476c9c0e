package config

import (
	"reflect"
	"time"

	"go.yaml.in/yaml/v3"
)

// Workday is one entry of working_hours.days: a weekday ("fri"), or a
// weekday with hours of its own ({day: fri, start: "09:00", end: "13:00"})
// for part-time and compressed weeks.
type Workday struct {
	Day string `yaml:"day"`
	// Start and End are the day's own hours when Own is set; otherwise the
	// working_hours start and end apply.
	Start Clock `yaml:"start"`
	End   Clock `yaml:"end"`
	Own   bool  `yaml:"-"`
}

func (w *Workday) decodeNode(d *decoder, n *yaml.Node, path string) error {
	if n.Kind == yaml.ScalarNode {
		w.Day = n.Value
		return nil
	}
	// What the mapping leaves out comes from working_hours (see
	// WorkingHours.validate).
	w.Start, w.End = unsetClock, unsetClock
	if err := d.decodeStruct(n, reflect.ValueOf(w).Elem(), path); err != nil {
		return err
	}
	if w.Day == "" {
		return d.errorf(n, path, "a day with its own hours needs day: (mon … sun), and start: or end:")
	}
	w.Own = true
	return nil
}

// unsetClock marks a day's start or end that working_hours provides.
const unsetClock Clock = -1

// Hours returns the working hours of weekday wd, in minutes after
// midnight, and whether wd is a working day at all.
func (h *WorkingHours) Hours(wd time.Weekday) (start, end Clock, ok bool) {
	name := weekdays[(int(wd)+6)%7]
	for _, d := range h.Days {
		if d.Day != name {
			continue
		}
		if d.Own {
			return d.Start, d.End, true
		}
		return h.Start, h.End, true
	}
	return 0, 0, false
}
