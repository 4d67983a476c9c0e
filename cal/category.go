package cal

// The built-in categories. The first five are work, reported in this order;
// Ignore is time that is not work (lunch, personal appointments) and Off is
// time away (vacation, public holidays, sick leave, out of office).
const (
	Design         = "design"
	Review         = "review"
	Alignment      = "alignment"
	Incident       = "incident"
	Implementation = "implementation"
	Ignore         = "ignore"
	Off            = "off"
)

// BuiltinWork returns the built-in work categories in display order.
func BuiltinWork() []string {
	return []string{Design, Review, Alignment, Incident, Implementation}
}

// NotWork reports whether c is a built-in category that is not work.
func NotWork(c string) bool { return c == Ignore || c == Off }
