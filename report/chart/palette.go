package chart

import "github.com/weekmap/weekmap/cal"

// palette gives each built-in category one colour used by every chart on the
// page, so that "design" is the same blue in the weekly bars, the breakdown
// and the meeting list. Implementation, the bucket unscheduled time lands
// in, is a quiet grey so that the categories the target counts stand out.
var palette = map[string]string{
	"design":         "#4e79a7",
	"review":         "#59a14f",
	"alignment":      "#f28e2b",
	"incident":       "#e15759",
	"implementation": "#bab0ac",
}

// extraColours are for categories a user adds under `categories:`, handed
// out in the report's category order so that they too stay stable across
// charts and reloads.
var extraColours = []string{"#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#af7aa1"}

// shareColour draws the design-share line and targetColour its target;
// belowColour marks a share below the target wherever one is shown (the
// headline number, the chart's points, the table). None of them is a
// category's colour, so that red means "incident" only and blue "design".
const (
	shareColour  = "#33415c"
	targetColour = "#555555"
	belowColour  = "#b5179e"
)

// noColour is for categories that are not work (ignore, off), which no
// chart draws.
const noColour = "#cccccc"

// colours maps every category of a report to its colour, and the
// categories that are not work to noColour.
func colours(categories []string) map[string]string {
	out := map[string]string{cal.Ignore: noColour, cal.Off: noColour}
	extra := 0
	for _, name := range categories {
		if c, ok := palette[name]; ok {
			out[name] = c
			continue
		}
		out[name] = extraColours[extra%len(extraColours)]
		extra++
	}
	return out
}
