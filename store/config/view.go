package config

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// AppendView adds v as a [[view]] table at the end of the config file at path, leaving every
// byte already in the file (comments, layout, other tables) as it was. The result is checked
// before anything is written: a view without a name or source, a duplicate name, a source the
// file does not configure or an unknown order is refused with the validator's message, and
// the file is not touched. The file is replaced atomically (see WriteFile); a missing file is
// refused, since a view needs a configured source.
func AppendView(ctx context.Context, path string, v View) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("save view: %w", err)
	}
	if path == "" {
		return errors.New("save view: no config file (views are saved in the config file)")
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("save view: config file %s does not exist: %w", path, err)
	}
	if err != nil {
		return fmt.Errorf("save view: %w", err)
	}
	if strings.TrimSpace(v.Name) == "" {
		return errors.New("save view: the view needs a name")
	}
	next := appendViewText(data, v)
	if _, err := Parse(path, next); err != nil {
		return fmt.Errorf("save view %q: %w", v.Name, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("save view: %w", err)
	}
	return WriteFile(path, next)
}

// appendViewText returns data followed by a [[view]] table for v, separated by a blank line.
func appendViewText(data []byte, v View) []byte {
	var b strings.Builder
	b.Write(data)
	if len(data) > 0 && !strings.HasSuffix(string(data), "\n") {
		b.WriteByte('\n')
	}
	if len(data) > 0 {
		b.WriteByte('\n')
	}
	b.WriteString("[[view]]\n")
	b.WriteString("name = " + QuoteString(v.Name) + "\n")
	b.WriteString("source = " + QuoteString(v.Source) + "\n")
	if v.Filter != "" {
		b.WriteString("filter = " + QuoteString(v.Filter) + "\n")
	}
	if v.Order != "" && v.Order != "newest" {
		b.WriteString("order = " + QuoteString(v.Order) + "\n")
	}
	return []byte(b.String())
}

// QuoteString quotes s as a TOML basic string, as the config file writes values.
func QuoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
