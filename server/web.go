package server

import (
	"fmt"
	"os"

	"github.com/prometheus/exporter-toolkit/web"
	"go.yaml.in/yaml/v3"
)

// webConfig is what serve needs to know of server.web_config_file at
// start-up. The exporter toolkit itself reads the file again on every
// connection and request, as in every Prometheus exporter, so new
// certificates and users apply without a restart.
type webConfig struct {
	path  string
	tls   bool
	users int
}

// loadWebConfig validates the file at path ("" for none) as the toolkit
// will read it: its YAML, the bcrypt hashes and the certificates.
func loadWebConfig(path string) (webConfig, error) {
	if path == "" {
		return webConfig{}, nil
	}
	if err := web.Validate(path); err != nil {
		return webConfig{}, fmt.Errorf("server.web_config_file %s: %w", path, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return webConfig{}, fmt.Errorf("server.web_config_file: %w", err)
	}
	var c web.Config
	if err := yaml.Unmarshal(data, &c); err != nil {
		return webConfig{}, fmt.Errorf("server.web_config_file %s: %w", path, err)
	}
	return webConfig{path: path, tls: c.TLSConfig.IsEnabled(), users: len(c.Users)}, nil
}

// scheme is the scheme of the URLs serve answers.
func (w webConfig) scheme() string {
	if w.tls {
		return "https"
	}
	return "http"
}
