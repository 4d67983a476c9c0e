// Package confpath ties validation errors to the place in a YAML file that
// caused them. Packages validate their own config sections and return
// errors that carry a key path ("sources[1].path"); the loader, which holds
// the parsed YAML, turns that path into a line number.
package confpath

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is a problem with the value at Path.
type Error struct {
	// Path is a dotted key path with list indexes: "sources[1].sync_window.past".
	Path string
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error for path.
func Errorf(path, format string, args ...any) error {
	return &Error{Path: path, Err: fmt.Errorf(format, args...)}
}

// Wrap prefixes the path of err (an *Error or not) with prefix. A nil err
// stays nil.
func Wrap(prefix string, err error) error {
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) {
		p := pe.Path
		switch {
		case p == "":
			p = prefix
		case strings.HasPrefix(p, "["):
			p = prefix + p
		default:
			p = prefix + "." + p
		}
		return &Error{Path: p, Err: pe.Err}
	}
	return &Error{Path: prefix, Err: err}
}

// Index formats a list element path: Index("sources", 2) = "sources[2]".
func Index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// Line returns the line of the node at path in the YAML document root, or of
// its nearest existing parent when the key itself is absent (a missing
// required key is reported where its parent is). It returns 0 if nothing of
// the path is in the document.
func Line(root *yaml.Node, path string) int {
	n := root
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n == nil {
		return 0
	}
	line := n.Line
	for _, part := range splitPath(path) {
		next := child(n, part)
		if next == nil {
			return line
		}
		n = next
		line = n.Line
	}
	return line
}

func child(n *yaml.Node, part string) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if i, err := strconv.Atoi(part); err == nil && n.Kind == yaml.SequenceNode {
		if i >= 0 && i < len(n.Content) {
			return n.Content[i]
		}
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == part {
			v := n.Content[i+1]
			// Scalars are reported on their own line; for mappings and
			// lists the key's line is more useful than the first child's.
			if v.Kind == yaml.MappingNode || v.Kind == yaml.SequenceNode {
				cp := *v
				cp.Line = n.Content[i].Line
				return &cp
			}
			return v
		}
	}
	return nil
}

// splitPath turns "a.b[2].c" into ["a", "b", "2", "c"].
func splitPath(p string) []string {
	var parts []string
	for _, dotted := range strings.Split(p, ".") {
		for dotted != "" {
			open := strings.IndexByte(dotted, '[')
			if open < 0 {
				parts = append(parts, dotted)
				break
			}
			if open > 0 {
				parts = append(parts, dotted[:open])
			}
			end := strings.IndexByte(dotted[open:], ']')
			if end < 0 {
				parts = append(parts, dotted[open+1:])
				break
			}
			parts = append(parts, dotted[open+1:open+end])
			dotted = dotted[open+end+1:]
		}
	}
	return parts
}
