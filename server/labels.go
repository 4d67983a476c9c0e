package server

import (
	"crypto/sha256"
	"encoding/hex"
	"os"

	"github.com/weekmap/weekmap/classify"
)

// fileStamp tells one version of a file from another by its content (a
// labels file is small, and a rewrite within one tick of the file system's
// clock keeps the modification time), or "missing".
func fileStamp(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "missing"
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// classifier returns the classifier for the next report. `weekmap label`
// writes the labels file while serve runs; when the file has changed since
// it was last read, the rules and labels are loaded again, so a label
// applies from the next sync round without a restart. A labels file that
// no longer loads keeps the last good classifier, with a warning naming
// the file and line.
func (s *Server) classifier() *classify.Classifier {
	path := s.cfg.Rules.LabelsFile
	if path == "" {
		return s.cls
	}
	s.labelsMu.Lock()
	defer s.labelsMu.Unlock()
	stamp := fileStamp(path)
	if stamp == s.labelsStamp {
		return s.cls
	}
	s.labelsStamp = stamp
	cls, err := classify.New(s.cfg.Rules)
	if err != nil {
		s.log.Warn("the labels file changed but cannot be used; the reports keep the labels read before", "err", err)
		return s.cls
	}
	s.log.Info("the labels file changed; reports use the new labels", "file", path)
	s.cls = cls
	return cls
}
