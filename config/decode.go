package config

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// decoder turns a YAML node tree into the config's Go values, strictly: an
// unknown key, a value of the wrong kind or a leaf that does not parse is an
// error naming the file, the line and the key. Errors come from the nodes
// themselves, never from the YAML library's message text. The decoder also
// records the line of every key it visits, so that problems found after
// decoding (validation) are placed in the file too.
type decoder struct {
	file  string
	lines map[string]int
}

// scalarValue is implemented by the config's own leaf types (spans, clock
// times), which parse a scalar themselves.
type scalarValue interface {
	parseScalar(s string) error
}

// nodeValue is implemented by the config's own types that may be written
// in more than one shape (a weekday, or a weekday with its own hours).
type nodeValue interface {
	decodeNode(d *decoder, n *yaml.Node, path string) error
}

// defaulter is implemented by list elements whose keys have defaults: the
// decoder sets them before decoding the element, so that what the file
// says overrides them and what it leaves out keeps them.
type defaulter interface {
	setDefaults()
}

var (
	durationType = reflect.TypeFor[time.Duration]()
	locationType = reflect.TypeFor[*time.Location]()
)

// decode fills v from n; path is n's key path ("sources[1].sync_window").
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if _, seen := d.lines[path]; !seen {
		d.lines[path] = n.Line
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil // "key:" with no value keeps the default
	}
	if nv, ok := v.Addr().Interface().(nodeValue); ok {
		return nv.decodeNode(d, n, path)
	}
	if sv, ok := v.Addr().Interface().(scalarValue); ok {
		if n.Kind != yaml.ScalarNode {
			return d.errorf(n, path, "want a single value, not a %s", kindName(n.Kind))
		}
		if err := sv.parseScalar(n.Value); err != nil {
			return d.errorf(n, path, "%v", err)
		}
		return nil
	}
	switch v.Type() {
	case durationType:
		s, err := d.scalar(n, path)
		if err != nil {
			return err
		}
		dur, err := time.ParseDuration(s)
		if err != nil {
			return d.errorf(n, path, "%q is not a duration like 15m or 1h30m", s)
		}
		v.SetInt(int64(dur))
		return nil
	case locationType:
		s, err := d.scalar(n, path)
		if err != nil {
			return err
		}
		loc, err := loadZone(s)
		if err != nil {
			return d.errorf(n, path, "%v", err)
		}
		v.Set(reflect.ValueOf(loc))
		return nil
	}
	switch v.Kind() {
	case reflect.Struct:
		return d.decodeStruct(n, v, path)
	case reflect.Slice:
		return d.decodeSlice(n, v, path)
	case reflect.String:
		s, err := d.scalar(n, path)
		if err != nil {
			return err
		}
		v.SetString(s)
	case reflect.Bool:
		s, err := d.scalar(n, path)
		if err != nil {
			return err
		}
		switch s {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default:
			return d.errorf(n, path, "%q is not true or false", s)
		}
	case reflect.Int:
		s, err := d.scalar(n, path)
		if err != nil {
			return err
		}
		i, err := strconv.Atoi(s)
		if err != nil {
			return d.errorf(n, path, "%q is not a whole number", s)
		}
		v.SetInt(int64(i))
	case reflect.Float64:
		s, err := d.scalar(n, path)
		if err != nil {
			return err
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return d.errorf(n, path, "%q is not a number", s)
		}
		v.SetFloat(f)
	default:
		// Only the config's own types reach here: a new field of an
		// unsupported kind is a programming error, found by the tests.
		panic(fmt.Sprintf("config: cannot decode into %s", v.Type()))
	}
	return nil
}

func (d *decoder) scalar(n *yaml.Node, path string) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", d.errorf(n, path, "want a single value, not a %s", kindName(n.Kind))
	}
	return n.Value, nil
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind != yaml.MappingNode {
		return d.errorf(n, path, "want keys and values, not a %s", kindName(n.Kind))
	}
	fields := structFields(v.Type())
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key := joinKey(path, k.Value)
		index, ok := fields[k.Value]
		if !ok {
			return &Error{File: d.file, Line: k.Line,
				Err: fmt.Errorf("unknown key %q (known keys here: %s)", key, strings.Join(sortedKeys(fields), ", "))}
		}
		// Lists and mappings are placed at their key, scalars on their own
		// line (a flow mapping puts both on one).
		d.lines[key] = k.Line
		if val.Kind == yaml.ScalarNode {
			d.lines[key] = val.Line
		}
		if err := d.decode(val, v.FieldByIndex(index), key); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) decodeSlice(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind != yaml.SequenceNode {
		return d.errorf(n, path, "want a list, not a %s", kindName(n.Kind))
	}
	out := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		elem := out.Index(i)
		if def, ok := elem.Addr().Interface().(defaulter); ok {
			def.setDefaults()
		}
		p := index(path, i)
		d.lines[p] = item.Line
		if err := d.decode(item, elem, p); err != nil {
			return err
		}
	}
	v.Set(out)
	return nil
}

func (d *decoder) errorf(n *yaml.Node, path, format string, args ...any) error {
	return &Error{File: d.file, Line: n.Line, Key: path, Err: fmt.Errorf(format, args...)}
}

// place puts a validation error (a keyError) at the line of its key, or of
// the nearest key above it that the file has.
func (d *decoder) place(err error) error {
	var ke *keyError
	if !errors.As(err, &ke) {
		return &Error{File: d.file, Err: err}
	}
	line := 0
	for p := ke.path; p != ""; p = parentKey(p) {
		if l, ok := d.lines[p]; ok {
			line = l
			break
		}
	}
	return &Error{File: d.file, Line: line, Key: ke.path, Err: ke.err}
}

// structFields maps the YAML keys of struct type t, inline structs
// flattened, to their field index paths.
func structFields(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	for _, f := range reflect.VisibleFields(t) {
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "-" || opts == "inline" || f.Anonymous {
			continue
		}
		if name == "" {
			continue // not part of the file
		}
		out[name] = f.Index
	}
	return out
}

func sortedKeys(m map[string][]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	default:
		return "single value"
	}
}

func joinKey(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// parentKey drops the last part of a key path: "a.b[2]" → "a.b" → "a" → "".
func parentKey(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndexByte(p, '['); i >= 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}
