package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "week.html")
	for _, content := range []string{"first", "second, longer"} {
		if err := Write(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		info, _ := os.Stat(path)
		if err != nil || string(got) != content || info.Mode().Perm() != 0o600 {
			t.Errorf("got %q, mode %v, %v; want %q, mode 0600", got, info.Mode().Perm(), err, content)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("got %d files in the folder, want only the one written (no temporary left)", len(entries))
	}
}

// TestWriteFollowsLinks: the link stays a link, its target gets the data,
// also when the target does not exist yet.
func TestWriteFollowsLinks(t *testing.T) {
	dir := t.TempDir()
	for _, target := range []string{"real.html", "sub/new.html"} {
		link := filepath.Join(dir, "link-"+filepath.Base(target))
		os.MkdirAll(filepath.Join(dir, "sub"), 0o700)
		if err := os.Symlink(target, link); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
		if err := Write(link, []byte("report"), 0o600); err != nil {
			t.Fatal(err)
		}
		if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s: got %v, %v; want the link kept", link, info.Mode(), err)
		}
		if got, err := os.ReadFile(filepath.Join(dir, target)); err != nil || string(got) != "report" {
			t.Errorf("%s: target holds %q, %v; want the report", target, got, err)
		}
	}
}
