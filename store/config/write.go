package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/confab-dev/confab/store/atomicfile"
)

// Marshal encodes cfg as a config file (without Path, Warnings or line numbers).
func Marshal(cfg *Config) ([]byte, error) {
	raw := rawFile{ClipboardMaxOSC52: cfg.ClipboardMaxOSC52}
	if cfg.NoMouse {
		raw.Mouse = new(false)
	}
	for _, s := range cfg.Sources {
		raw.Source = append(raw.Source, rawSource{
			Name: s.Name, Kind: s.Kind, Region: s.Region, BaseURL: s.BaseURL, Auth: s.Auth,
			APIKeyStyle: s.APIKeyStyle, TokenURL: s.TokenURL, ClientID: s.ClientID, Scope: s.Scope,
			Account: s.Account, Workspace: s.Workspace, AllowedHosts: s.AllowedHosts,
			SecretCommand: s.SecretCommand, Filter: s.Filter, PageSize: s.PageSize,
			Window: formatDuration(s.Window), SessionTimeout: formatDuration(s.SessionTimeout),
			Timeout: formatDuration(s.Timeout), RateLimitWait: formatDuration(s.RateLimitWait), Params: s.Params, MaxWindows: s.MaxWindows,
			TimeFormat: s.TimeFormat, LookBack: formatDuration(s.LookBack), ConsoleURL: s.ConsoleURL,
		})
	}
	for _, v := range cfg.Views {
		order := v.Order
		if order == "newest" {
			order = ""
		}
		raw.View = append(raw.View, rawView{Name: v.Name, Source: v.Source, Filter: v.Filter, Order: order})
	}
	var buf bytes.Buffer
	enc := toml.NewEncoder(&buf)
	enc.Indent = ""
	if err := enc.Encode(raw); err != nil {
		return nil, fmt.Errorf("encode config: %w", err)
	}
	return buf.Bytes(), nil
}

func formatDuration(d time.Duration) string {
	switch {
	case d == 0:
		return ""
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

// Write encodes cfg and writes it to path atomically (see WriteFile).
func Write(path string, cfg *Config) error {
	data, err := Marshal(cfg)
	if err != nil {
		return err
	}
	return WriteFile(path, data)
}

// WriteFile writes data to path atomically (see atomicfile.Write) with mode 0600. A missing
// directory is created with mode 0700.
func WriteFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create config directory: %w", err)
	}
	if err := atomicfile.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return nil
}
