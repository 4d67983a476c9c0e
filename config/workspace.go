package config

// GoogleWorkspace reads a whole team's calendars through one grant: a
// Google service account with domain-wide delegation, which may act as any
// user of the Workspace domain for the scopes the admin allowed.
type GoogleWorkspace struct {
	// ServiceAccountKey is the service account's JSON key file. When set,
	// every person gets a google source named after them that reads the
	// primary calendar of their first e-mail.
	ServiceAccountKey string `yaml:"service_account_key"`
	// Endpoint is the Calendar API base URL of those sources; "" is
	// Google's. For emulators and tests.
	Endpoint string `yaml:"endpoint"`
}

// Teams says when a team's week is shown.
type Teams struct {
	// MinGroupSize is how many members with data a team's week needs to
	// be shown, so that a team figure never stands for one or two people.
	MinGroupSize int `yaml:"min_group_size"`
	// ExportPartialSums exports, next to the team series, each team's
	// sums before the minimum group size is applied, so that Prometheus
	// can add up a team whose people several instances sync and apply the
	// minimum to the whole (dashboards/teams.rules.yml). Off by default:
	// a team of one or two on an instance shows their figures there.
	ExportPartialSums bool `yaml:"export_partial_sums"`
}

// Privacy says what is shown of each person.
type Privacy struct {
	// PersonMetrics false leaves only team series, pages and reports.
	PersonMetrics bool `yaml:"person_metrics"`
}

func (t *Teams) validate() error {
	if t.MinGroupSize < 1 {
		return errorAt("teams.min_group_size", "%d must be 1 or more (the default, 5, keeps a team's week from standing for fewer than five people)", t.MinGroupSize)
	}
	return nil
}

// addWorkspaceSources makes, when google_workspace names a service account
// key, one google source for each person: named after the person, reading
// the primary calendar of their first e-mail. The sources are ordinary
// Sources, so fingerprints, reports and metrics treat them like the ones the
// file lists, which they follow in c.Sources. A person without an e-mail,
// or a listed source with a person's name, is an error.
func (c *Config) addWorkspaceSources() error {
	ws := c.GoogleWorkspace
	if ws.ServiceAccountKey == "" {
		if ws.Endpoint != "" {
			return errorAt("google_workspace.endpoint", "is used only with google_workspace.service_account_key")
		}
		return nil
	}
	if len(c.People) == 0 {
		return errorAt("google_workspace.service_account_key", "reads the calendar of each person under people:, and there is none: list the people with their e-mails")
	}
	listed := map[string]int{}
	for i, s := range c.Sources {
		listed[s.Name] = i
	}
	for i, p := range c.People {
		if len(p.Emails) == 0 {
			return errorAt(index("people", i)+".emails", "person %q has no e-mail: google_workspace.service_account_key reads the calendar of each person's first e-mail, so list it under emails:", p.Name)
		}
		if j, clash := listed[p.Name]; clash {
			return errorAt(index("sources", j)+".name", "%q is also the name of person people[%d], whose calendar google_workspace.service_account_key reads as a source of that name: rename this source", p.Name, i)
		}
		c.Sources = append(c.Sources, Source{
			Name:              p.Name,
			Person:            p.Name,
			Type:              TypeGoogle,
			CalendarID:        "primary",
			Endpoint:          ws.Endpoint,
			SyncWindow:        DefaultWindow(),
			ServiceAccountKey: ws.ServiceAccountKey,
			Subject:           p.Emails[0],
		})
	}
	return nil
}
