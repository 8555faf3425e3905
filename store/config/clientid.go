package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
)

// SetClientID inserts client_id = "…" (s.ClientID) into the [[source]] block of s in the config
// file at path, just after its header line (s.Line), leaving every other line (comments
// included) as it was. The result is parsed before it replaces the file, which is written
// atomically (see WriteFile); when the header moved or the result would not be valid, the file
// is not touched.
func SetClientID(ctx context.Context, path string, s Source) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("set client_id: %w", err)
	}
	if path == "" || s.Line <= 0 {
		return errors.New("the source's place in the config file is unknown")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read the config: %w", err)
	}
	nl := []byte("\n")
	if bytes.Contains(data, []byte("\r\n")) {
		nl = []byte("\r\n")
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	if s.Line > len(lines) || !bytes.HasPrefix(bytes.TrimSpace(lines[s.Line-1]), []byte("[[source]]")) {
		return fmt.Errorf("line %d is not the [[source]] header of %q any more", s.Line, s.Name)
	}
	var out bytes.Buffer
	for i, line := range lines {
		out.Write(line)
		if i == s.Line-1 {
			if !bytes.HasSuffix(line, []byte("\n")) {
				out.Write(nl)
			}
			out.WriteString("client_id = " + QuoteString(s.ClientID))
			out.Write(nl)
		}
	}
	cfg, err := Parse(path, out.Bytes())
	if err != nil {
		return fmt.Errorf("the edited config would not be valid: %w", err)
	}
	if got, ok := cfg.Source(s.Name); !ok || got.ClientID != s.ClientID {
		return errors.New("the edited config does not give the source that client_id")
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("set client_id: %w", err)
	}
	return WriteFile(path, out.Bytes())
}
