package dashboards_test

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/weekmap/weekmap/dashboards/grafana"
)

var update = flag.Bool("update", false, "write weekmap.json from the generator in dashboards/grafana")

// TestDashboardIsGenerated holds weekmap.json to what dashboards/grafana
// builds, so that the file users import is the typed one.
func TestDashboardIsGenerated(t *testing.T) {
	got, err := grafana.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("weekmap.json", got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("weekmap.json")
	if err != nil {
		t.Fatalf("%v (run: go test ./dashboards -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("dashboards/weekmap.json is not what dashboards/grafana generates; run: go test ./dashboards -update\n%s", firstDifference(got, want))
	}
}

// firstDifference shows the generated and committed text around the first
// byte where they differ.
func firstDifference(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, bytes.LastIndexByte(got[:i], '\n')+1)
	show := func(b []byte) string {
		if from >= len(b) {
			return "(end of file)"
		}
		end := len(b)
		if n := bytes.IndexByte(b[from:], '\n'); n >= 0 {
			end = from + n
		}
		return string(b[from:end])
	}
	return "generated: " + show(got) + "\ncommitted: " + show(want)
}
