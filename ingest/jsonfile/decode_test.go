package jsonfile

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// decodeAll reads every event from d, as "id@line".
func decodeAll(d *Decoder) ([]string, error) {
	var got []string
	for {
		ev, line, err := d.Next()
		if err == io.EOF {
			return got, nil
		}
		if err != nil {
			return got, err
		}
		got = append(got, fmt.Sprintf("%s@%d", ev.Id, line))
	}
}

// decoders returns a decoder of in as the json source makes it (in memory)
// and as classify makes it (streaming), fed one byte a read so that every
// value crosses a refill.
func decoders(in string) map[string]*Decoder {
	return map[string]*Decoder{
		"in memory": newBytesDecoder("f.json", []byte(in)),
		"streaming": NewDecoder("f.json", iotest.OneByteReader(strings.NewReader(in))),
	}
}

func TestDecodeShapes(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"array", "[\n  {\"id\": \"a\"},\n  {\"id\": \"b\"}\n]\n", []string{"a@2", "b@3"}},
		{"empty array", "[]", nil},
		{"JSON lines", "{\"id\": \"a\"}\n\n{\"id\": \"b\"}\r\n{\"id\": \"c\"}", []string{"a@1", "b@3", "c@4"}},
		{"one event, pretty-printed", "{\n  \"kind\": \"calendar#event\",\n  \"id\": \"a\",\n  \"start\": {\n    \"date\": \"2026-03-02\"\n  }\n}\n", []string{"a@1"}},
		{"events.list response", `{
 "kind": "calendar#events",
 "etag": "\"p33c\"",
 "summary": "me@example.com",
 "updated": "2026-03-20T10:00:00.000Z",
 "timeZone": "Europe/Berlin",
 "accessRole": "owner",
 "defaultReminders": [{"method": "popup", "minutes": 10}],
 "nextPageToken": "CigKGjVm",
 "items": [
  {
   "kind": "calendar#event",
   "id": "a"
  },
  {"kind": "calendar#event", "id": "b"}
 ]
}
`, []string{"a@11", "b@15"}},
		// A script that sorted the keys, and one that saved each page a line.
		{"response with items before kind", `{"items": [{"id": "a"}], "kind": "calendar#events", "nextSyncToken": "x"}`, []string{"a@1"}},
		{"response a line", "{\"kind\": \"calendar#events\", \"items\": [{\"id\": \"a\"}], \"nextPageToken\": \"p2\"}\n{\"kind\": \"calendar#events\", \"items\": [{\"id\": \"b\"}]}\n", []string{"a@1", "b@2"}},
		{"array of responses", "[\n{\"items\": [{\"id\": \"a\"}]},\n{\"id\": \"b\"}\n]", []string{"a@2", "b@3"}},
		{"response without events", `{"kind": "calendar#events", "items": []}`, nil},
		{"response without items", `{"kind": "calendar#events", "nextSyncToken": "x"}`, nil},
		{"byte order mark", "\xef\xbb\xbf[{\"id\": \"a\"}]", []string{"a@1"}},
		{"strings with brackets and escapes", `[{"id": "a", "summary": "[} \" \\", "description": "{\"x\": ]"}, {"id": "b"}]`, []string{"a@1", "b@1"}},
		{"nothing", " \n", nil},
	}
	for _, tt := range tests {
		for how, d := range decoders(tt.in) {
			t.Run(tt.name+"/"+how, func(t *testing.T) {
				got, err := decodeAll(d)
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("got events %q, want %q", got, tt.want)
				}
			})
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"calendarList response", "{\n \"kind\": \"calendar#calendarList\",\n \"items\": [{\"kind\": \"calendar#calendarListEntry\", \"id\": \"me@example.com\"}]\n}",
			"f.json, line 1: this is a calendarList response (the list of your calendars), not events: save events.list output instead"},
		{"calendarList items without kind", "[{\"id\": \"a\"},\n{\"items\": [{\"kind\": \"calendar#calendarListEntry\", \"id\": \"x\"}]}]",
			"f.json, line 2: this is a calendarList response"},
		{"API error", "{\"error\": {\"code\": 401, \"message\": \"Request had invalid \\u001b[2Jcredentials.\", \"status\": \"UNAUTHENTICATED\"}}",
			`f.json, line 1: this is an error response from the Google Calendar API, not events: code 401, message "Request had invalid \x1b[2Jcredentials."`},
		{"OAuth error", `{"error": "invalid_grant", "error_description": "Token has been expired or revoked."}`,
			`f.json, line 1: this is an error response from the Google Calendar API, not events: "invalid_grant"`},
		{"other resource", `{"kind": "calendar#colors", "calendar": {}}`, `f.json, line 1: this is a "calendar#colors" resource, not an event`},
		{"other response", `{"kind": "calendar#acl", "items": []}`, `f.json, line 1: this is a "calendar#acl" response, not events`},
		{"string", "\n\"events\"", "f.json, line 2: found a JSON string where events were expected"},
		{"number in an array", "[\n{\"id\": \"a\"},\n 7]", "f.json, line 3: found a JSON number in an array where an event (a JSON object) was expected"},
		{"nested array", "[[{\"id\": \"a\"}]]", "f.json, line 1: found a JSON array in an array where an event"},
		{"items not an array", `{"items": {"id": "a"}}`, "f.json, line 1: the response's items are a JSON object, not an array of events"},
		{"missing comma", "[{\"id\": \"a\"}\n{\"id\": \"b\"}]", "f.json, line 2: found a JSON object after an array element where ',' or ']' was expected"},
		{"trailing comma", "[{\"id\": \"a\"},\n]", "f.json, line 2: found ']' in an array where an event"},
		{"cut short", "[{\"id\": \"a\"},\n{\"id\": \"b\"}\n", "f.json, line 3: the input ends inside a JSON array: is it complete?"},
		{"cut inside an event", "[{\"id\": \"a\"},\n{\"id\": \"b\",\n", "f.json, line 2: unexpected end of JSON input"},
		{"syntax error on its line", "[\n{\"id\": \"a\",\n \"summary\": \"x\"\n \"end\": {}}]", "f.json, line 4: invalid character '\"' after object key:value pair"},
		{"mismatched bracket", "{\"id\": \"a\",\n\"attendees\": [}\n{\"id\": \"b\"}", "f.json, line 2: invalid character '}' looking for beginning of value"},
		{"wrong type", "{\"id\": \"a\",\n \"start\": {\"dateTime\": 20260302}}", `f.json, line 2: field "start.dateTime" is a JSON number where Google writes a string`},
		{"escapes in a map key", `{"id": "a", "extendedProperties": {"private": {"k\u001b[2J": 5}}}`, "f.json, line 1: field"},
		{"not JSON", "<!DOCTYPE html>", `f.json, line 1: found "<" (not JSON) where events were expected`},
		{"a device's zeros", "\x00\x00\x00\x00", `f.json, line 1: found "\x00" (not JSON)`},
		{"ICS", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", "f.json, line 1: this is an ICS file, not JSON: read it with a source of type ics"},
		{"UTF-16", "\xff\xfe[\x00{\x00", "f.json, line 1: the file is UTF-16 text: save it as UTF-8"},
		{"long kind", `{"kind": "` + strings.Repeat("k", 1000) + `"}`, `this is a "` + strings.Repeat("k", maxQuoted) + `"… resource`},
	}
	for _, tt := range tests {
		for how, d := range decoders(tt.in) {
			t.Run(tt.name+"/"+how, func(t *testing.T) {
				_, err := decodeAll(d)
				if err == nil {
					t.Fatalf("got no error, want %q", tt.want)
				}
				msg := err.Error()
				if !strings.Contains(msg, tt.want) {
					t.Errorf("got error %q, want it to contain %q", msg, tt.want)
				}
				if strings.ContainsAny(msg, "\x1b\n\x00") {
					t.Errorf("error %q has a raw control character", msg)
				}
				// The decoder is done: it says so again.
				if _, _, again := d.Next(); again == nil || again.Error() != msg {
					t.Errorf("after the error, Next returned %v, want the same error", again)
				}
			})
		}
	}
}

// One event may be long, as long as a file may be: there is no line limit.
func TestDecodeLongLine(t *testing.T) {
	desc := strings.Repeat("a long agenda; ", 20<<20/15)
	in := `{"id": "a", "description": "` + desc + `"}` + "\n" + `{"id": "b"}`
	d := NewDecoder("f.json", strings.NewReader(in))
	ev, _, err := d.Next()
	if err != nil || ev.Description != desc {
		t.Fatalf("got error %v, want the 20 MiB event", err)
	}
	if ev, line, err := d.Next(); err != nil || ev.Id != "b" || line != 2 {
		t.Errorf("got %v at line %d, error %v; want event b on line 2", ev, line, err)
	}
}

// A single value longer than the limit is refused with the limit and what
// to do, without reading the rest of the input.
func TestDecodeValueLimit(t *testing.T) {
	in := io.MultiReader(strings.NewReader("{\"id\": \"a\"}\n"+`{"id": "b", "description": "`), infinite('x'))
	d := &Decoder{name: "standard input", r: newReader(in, 1<<20)}
	if _, _, err := d.Next(); err != nil {
		t.Fatal(err)
	}
	_, _, err := d.Next()
	want := "standard input, line 2: one JSON value here is larger than 1 MiB, more than weekmap reads at once: save the events as a JSON array or one event a line"
	if err == nil || err.Error() != want {
		t.Errorf("got error %v, want %q", err, want)
	}
}

type infinite byte

func (b infinite) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

// Events come out as soon as they are read: classify answers a pipe while
// it is still open.
func TestDecodeStreams(t *testing.T) {
	pr, pw := io.Pipe()
	d := NewDecoder("standard input", pr)
	go pw.Write([]byte("[{\"id\": \"a\"},\n"))
	ev, _, err := d.Next()
	if err != nil || ev.Id != "a" {
		t.Fatalf("got %v, error %v; want event a before the input ends", ev, err)
	}
	go func() {
		pw.Write([]byte(`{"id": "b"}]`))
		pw.Close()
	}()
	got, err := decodeAll(d)
	if err != nil || !slices.Equal(got, []string{"b@2"}) {
		t.Errorf("got %q, error %v; want b@2", got, err)
	}
}

// prettyArray is an array of n events, four lines each, as a script that
// pretty-prints its output writes them.
func prettyArray(n int) []byte {
	var b bytes.Buffer
	b.WriteString("[\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "  {\n    \"id\": \"e%d\",\n    \"start\": {\"dateTime\": \"2026-03-02T10:00:00Z\"}\n  }", i)
	}
	b.WriteString("\n]\n")
	return b.Bytes()
}

// Decoding is linear: 100,000 events in an array (4 MiB) took minutes when
// each event's line was counted from the start of the file, and take well
// under a second now. The bound is generous for a loaded machine.
func TestDecodeArrayLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes 100,000 events")
	}
	const n = 100_000
	data := prettyArray(n)
	start := time.Now()
	d := newBytesDecoder("f.json", data)
	var last string
	var lastLine int
	for {
		ev, line, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		last, lastLine = ev.Id, line
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("decoding %d events took %v, want well under 10 s", n, took)
	}
	if want := 2 + 4*(n-1); last != fmt.Sprintf("e%d", n-1) || lastLine != want {
		t.Errorf("last event %s on line %d, want e%d on line %d", last, lastLine, n-1, want)
	}
}

func BenchmarkDecodeArray(b *testing.B) {
	data := prettyArray(10_000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := decodeFile("f.json", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeLines(b *testing.B) {
	var buf bytes.Buffer
	for i := range 10_000 {
		fmt.Fprintf(&buf, "{\"id\": \"e%d\", \"start\": {\"dateTime\": \"2026-03-02T10:00:00Z\"}}\n", i)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := decodeFile("f.json", data); err != nil {
			b.Fatal(err)
		}
	}
}
