package transcript

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
)

// json writes {"conversation": …, ["subtree": id,] ["redacted": true,] "interactions": […]},
// one interaction after the other as they are encoded, in thread order.
func (d *doc) json() {
	c := d.c
	if d.opt.Redact {
		c.UserID = Redact(c.UserID)
		c.Summary = Redact(c.Summary)
		c.Attrs = redactAttrs(c.Attrs)
		c.Raw = nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	put := func(v any) bool {
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			d.err = fmt.Errorf("encode json: %w", err)
			return false
		}
		d.w.Write(sanitize.JSON(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))))
		return true
	}
	d.w.WriteString("{\n  \"conversation\": ")
	if !put(&c) {
		return
	}
	if d.opt.Root != "" {
		d.w.WriteString(",\n  \"subtree\": ")
		if !put(d.opt.Root) {
			return
		}
	}
	if d.opt.Redact {
		d.w.WriteString(",\n  \"redacted\": true")
	}
	d.w.WriteString(",\n  \"interactions\": [")
	enc.SetIndent("    ", "  ")
	for i, r := range d.rows {
		if i > 0 {
			d.w.WriteString(",")
		}
		d.w.WriteString("\n    ")
		it := d.tree.Item(int(r.Index))
		if d.opt.Redact {
			cp := *it
			cp.Text = Redact(cp.Text)
			cp.Speaker = Redact(cp.Speaker)
			cp.Attrs = redactAttrs(cp.Attrs)
			cp.Raw = nil
			it = &cp
		}
		if !put(it) {
			return
		}
	}
	if len(d.rows) > 0 {
		d.w.WriteString("\n  ")
	}
	d.w.WriteString("]\n}\n")
}

func redactAttrs(a client.Attrs) client.Attrs {
	if len(a) == 0 {
		return a
	}
	out := make(client.Attrs, len(a))
	for i, kv := range a {
		out[i] = client.Attr{Key: kv.Key, Value: Redact(kv.Value)}
	}
	return out
}
