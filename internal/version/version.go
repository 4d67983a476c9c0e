// Package version says which weekmap this is, from the build information
// the Go toolchain stamps into every binary: the module version for
// `go install …@v1.2.3`, and the VCS revision for a build from a checkout.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version returns the module version ("v1.2.3", or a pseudo-version for a
// build from a checkout), falling back to the VCS revision, or "unknown".
func Version() string {
	v, rev, _ := info()
	if v == "" || v == "(devel)" {
		if rev != "" {
			return rev
		}
		return "unknown"
	}
	return v
}

// String is the line `weekmap version` prints: the version, the commit it
// was built from when known, and the Go version.
func String() string {
	v, rev, modified := info()
	if v == "" {
		v = "(devel)"
	}
	s := "weekmap " + v
	if rev != "" {
		if modified {
			rev += ", modified"
		}
		s += fmt.Sprintf(" (commit %s)", rev)
	}
	return s + " " + runtime.Version()
}

func info() (version, revision string, modified bool) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "", "", false
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
			if len(revision) > 12 {
				revision = revision[:12]
			}
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	return bi.Main.Version, revision, modified
}
