package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weekmap/weekmap/internal/fakegoogle"
)

// browserStub is stderr for `weekmap connect`: it plays the user's browser
// by opening the sign-in address the command prints.
type browserStub struct {
	t  *testing.T
	mu sync.Mutex
	b  bytes.Buffer
	// visit is false to play a user who never signs in.
	visit  bool
	opened bool
	wg     sync.WaitGroup
}

var authURLRE = regexp.MustCompile(`http://127\.0\.0\.1:\d+/o/oauth2/auth\?\S+`)

func (s *browserStub) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Write(p)
	if u := authURLRE.FindString(s.b.String()); u != "" && !s.opened && s.visit {
		s.opened = true
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			resp, err := http.Get(u)
			if err != nil {
				s.t.Errorf("browser: %v", err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}()
	}
	return len(p), nil
}

func (s *browserStub) String() string {
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runConnectCLI runs `weekmap connect` with args, its browser step driven by
// the stub.
func runConnectCLI(t *testing.T, visit bool, args ...string) (error, string, string) {
	t.Helper()
	var stdout bytes.Buffer
	stderr := &browserStub{t: t, visit: visit}
	a := &app{stdout: &stdout, stderr: stderr, now: time.Now}
	a.log = newLogger(stderr, a.logLevel)
	root := newRootCmd(a)
	root.SetArgs(append([]string{"connect"}, args...))
	_, err := root.ExecuteContextC(context.Background())
	return err, stdout.String(), stderr.String()
}

// googleConfig writes a config with the given google sources, all on the
// fake, and the client secret; it returns the config path.
func googleConfig(t *testing.T, f *fakegoogle.Server, extra string, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "client_secret.json"), f.ClientSecretJSON(), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := "store: ./weekmap.db\ntimezone: Europe/Berlin\nsources:\n"
	for _, n := range names {
		cfg += "  - {name: " + n + ", type: google, client_secret: ./client_secret.json, token: ./" + n + ".token.json, endpoint: \"" + f.Endpoint() + "\"}\n"
	}
	cfg += extra
	path := filepath.Join(dir, "weekmap.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConnect(t *testing.T) {
	f := fakegoogle.New()
	defer f.Close()
	f.AddCalendar("team@group.calendar.google.com", "Team \x1b[31mred", "reader")
	cfg := googleConfig(t, f, "", "work")

	err, out, errOut := runConnectCLI(t, true, "--config", cfg, "--no-browser")
	if err != nil {
		t.Fatalf("connect: %v\n%s", err, errOut)
	}
	tokPath := filepath.Join(filepath.Dir(cfg), "work.token.json")
	info, err := os.Stat(tokPath)
	if err != nil {
		t.Fatalf("token not saved: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("token file mode = %v, want 0600", info.Mode().Perm())
	}
	tok, _ := os.ReadFile(tokPath)
	for _, secret := range regexp.MustCompile(`"(ya29\.|1//)[^"]+"`).FindAllString(string(tok), -1) {
		if strings.Contains(out+errOut, strings.Trim(secret, `"`)) {
			t.Errorf("a token appears in the output")
		}
	}
	for _, want := range []string{"CALENDAR_ID", "me@example.com", "owner", "(primary)", "team@group.calendar.google.com", "reader", "Team \uFFFD[31mred"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout = %q, want it to contain %q", out, want)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("stdout has a raw escape character: %q", out)
	}
	if !strings.Contains(errOut, `calendar_id "primary"`) {
		t.Errorf("stderr = %q, want it to say which calendar_id the source syncs", errOut)
	}
}

func TestConnectErrors(t *testing.T) {
	f := fakegoogle.New()
	defer f.Close()
	tests := []struct {
		name    string
		cfg     string
		deny    bool
		args    []string
		wantErr string
	}{
		{name: "several google sources", cfg: googleConfig(t, f, "", "work", "home"), wantErr: "the config has several google sources: choose one with --source (work, home)"},
		{name: "unknown source", cfg: googleConfig(t, f, "", "work"), args: []string{"--source", "home"}, wantErr: `no source named "home" in the config (google sources: work)`},
		{name: "not a google source", cfg: googleConfig(t, f, "  - {name: saved, type: json, path: ./e.json}\n", "work"), args: []string{"--source", "saved"}, wantErr: `source "saved" is of type json`},
		{name: "access denied", cfg: googleConfig(t, f, "", "work"), deny: true, wantErr: `access was denied in the browser: weekmap needs read-only access to the calendar; run "weekmap connect --source work" again`},
		{name: "timeout", cfg: googleConfig(t, f, "", "work"), args: []string{"--timeout", "100ms"}, wantErr: "no answer from the browser within 100ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.DenyAuthorization(tt.deny)
			args := append([]string{"--config", tt.cfg, "--no-browser"}, tt.args...)
			err, _, errOut := runConnectCLI(t, tt.name != "timeout", args...)
			if err == nil || err.Error() != tt.wantErr && !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got error %v, want %q (stderr: %s)", err, tt.wantErr, errOut)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(tt.cfg), "work.token.json")); err == nil {
				t.Errorf("a token was saved after a failed connect")
			}
		})
	}
}
