package cal

// The built-in categories. The first five are work, reported in this order;
// Ignore is time that is not work (lunch, personal appointments).
const (
	Design         = "design"
	Review         = "review"
	Alignment      = "alignment"
	Incident       = "incident"
	Implementation = "implementation"
	Ignore         = "ignore"
)

// BuiltinWork returns the built-in work categories in display order.
func BuiltinWork() []string {
	return []string{Design, Review, Alignment, Incident, Implementation}
}
