package jsonfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// errorf reports a problem n bytes past the next unconsumed byte.
func (d *Decoder) errorf(n int, format string, args ...any) error {
	return fmt.Errorf("%s, line %d: %s", d.name, d.r.lineAhead(n), fmt.Sprintf(format, args...))
}

// jsonError reports an error from decoding the value at the next byte, at
// the line of its offset, in words that do not depend on Go's types.
func (d *Decoder) jsonError(err error) error {
	if syn, ok := errors.AsType[*json.SyntaxError](err); ok {
		// Offset counts the bytes read, the bad one included.
		return fmt.Errorf("%s, line %d: %w", d.name, d.r.lineAhead(int(syn.Offset)-1), err)
	}
	if typ, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && typ.Field != "" {
		got, _, _ := strings.Cut(typ.Value, " ")         // "number 1e999": the kind alone
		field := strings.TrimPrefix(typ.Field, "Event.") // an object's embedded Event
		return d.errorf(int(typ.Offset)-1, "field %s is a JSON %s where Google writes %s", quote(field), got, goKind(typ.Type))
	}
	// Any other error may quote the file: escape it.
	return d.errorf(0, "%s", quote(err.Error()))
}

// goKind says what JSON a Go type is read from.
func goKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a number"
}

func (d *Decoder) valueError(err error) error {
	if errors.Is(err, errTooLarge) {
		return d.errorf(0, "one JSON value here is larger than %d MiB, more than weekmap reads at once: save the events as a JSON array or one event a line", d.r.limit>>20)
	}
	return fmt.Errorf("read %s: %w", d.name, err)
}

// apiError renders the error object of a Google API response: its code and
// message, quoted.
func apiError(raw json.RawMessage) string {
	var e struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &e) == nil && (e.Code != 0 || e.Message != "") {
		return fmt.Sprintf("code %d, message %s", e.Code, quote(e.Message))
	}
	var s string // OAuth endpoints write the error as a string
	if json.Unmarshal(raw, &s) == nil {
		return quote(s)
	}
	return "no message"
}

// maxQuoted bounds the bytes of a file's text that one error shows.
const maxQuoted = 200

// quote quotes s from a file for an error, escaping what could drive a
// terminal and cutting what is too long to be useful.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return fmt.Sprintf("%q", s)
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%q…", s[:cut])
}
