package xdg

import (
	"errors"
	"testing"
)

func TestStateDir(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_STATE_HOME": "/s", "HOME": "/h"}, "/s/confab"},
		{map[string]string{"XDG_STATE_HOME": "relative", "HOME": "/h"}, "/h/.local/state/confab"},
		{map[string]string{"HOME": "/h"}, "/h/.local/state/confab"},
	}
	for _, tt := range tests {
		got, err := StateDir(func(k string) string { return tt.env[k] })
		if err != nil || got != tt.want {
			t.Errorf("StateDir(%v) = %q, %v; want %q", tt.env, got, err, tt.want)
		}
	}
}

func TestExportDir(t *testing.T) {
	env := map[string]string{"XDG_STATE_HOME": "/s", "HOME": "/h"}
	get := func(k string) string { return env[k] }
	if d, _ := ExportDir(get); d != "/s/confab/exports" {
		t.Errorf("ExportDir = %q", d)
	}
	delete(env, "XDG_STATE_HOME")
	if d, _ := ExportDir(get); d != "/h/.local/state/confab/exports" {
		t.Errorf("ExportDir = %q", d)
	}
}

func TestConfigDir(t *testing.T) {
	tests := []struct {
		env     map[string]string
		want    string
		wantErr error
	}{
		{map[string]string{"XDG_CONFIG_HOME": "/c", "HOME": "/h"}, "/c/confab", nil},
		{map[string]string{"XDG_CONFIG_HOME": "relative", "HOME": "/h"}, "/h/.config/confab", nil},
		{map[string]string{"HOME": "/h"}, "/h/.config/confab", nil},
		{map[string]string{"XDG_CONFIG_HOME": "relative"}, "", ErrNoHome},
		{map[string]string{}, "", ErrNoHome},
	}
	for _, tt := range tests {
		got, err := ConfigDir(func(k string) string { return tt.env[k] })
		if got != tt.want || !errors.Is(err, tt.wantErr) {
			t.Errorf("ConfigDir(%v) = %q, %v; want %q, %v", tt.env, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestCacheDir(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_CACHE_HOME": "/c", "HOME": "/h"}, "/c/confab"},
		{map[string]string{"XDG_CACHE_HOME": "relative", "HOME": "/h"}, "/h/.cache/confab"},
		{map[string]string{"HOME": "/h"}, "/h/.cache/confab"},
	}
	for _, tt := range tests {
		got, err := CacheDir(func(k string) string { return tt.env[k] })
		if err != nil || got != tt.want {
			t.Errorf("CacheDir(%v) = %q, %v; want %q", tt.env, got, err, tt.want)
		}
	}
}
