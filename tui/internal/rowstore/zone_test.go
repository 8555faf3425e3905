package rowstore

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

// tzif is TZif (version 1) data: zones (abbreviation, offset) with a transition at each of
// at, zone i+1 in effect from at[i].
func tzif(tb testing.TB, name string, at []int64, zones ...struct {
	abbr   string
	offset int32
}) *time.Location {
	tb.Helper()
	var chars []byte
	b := []byte("TZif\x00" + string(make([]byte, 15)))
	for _, n := range []int{0, 0, 0, len(at), len(zones)} {
		b = binary.BigEndian.AppendUint32(b, uint32(n))
	}
	for _, z := range zones {
		chars = append(chars, z.abbr...)
		chars = append(chars, 0)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(chars)))
	for _, t := range at {
		b = binary.BigEndian.AppendUint32(b, uint32(int32(t)))
	}
	for i := range at {
		b = append(b, byte(i+1))
	}
	idx := 0
	for _, z := range zones {
		b = binary.BigEndian.AppendUint32(b, uint32(z.offset))
		b = append(b, 0, byte(idx))
		idx += len(z.abbr) + 1
	}
	b = append(b, chars...)
	loc, err := time.LoadLocationFromTZData(name, b)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// TestZonesOfTheSameName: two locations of one name whose zones differ (a time zone
// database and another one, or one loaded from other data): a time keeps its own zone's
// name and offset, not those the other location has at that instant.
func TestZonesOfTheSameName(t *testing.T) {
	type zone = struct {
		abbr   string
		offset int32
	}
	change := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	a := tzif(t, "X", []int64{change.Unix()}, zone{"AAA", 0}, zone{"BBB", 3600})
	b := tzif(t, "X", nil, zone{"AAA", 0})
	rows := []client.Conversation{
		{ID: "a", Started: change.Add(-time.Hour).In(a)},
		{ID: "b", Started: change.Add(time.Hour).In(b)},
	}
	s := FromSlice(rows, false)
	var buf client.Conversation
	for i, want := range rows {
		for _, got := range []time.Time{s.Conv(i).Started, s.View().At(i, &buf).Started} {
			gn, gotOff := got.Zone()
			wn, wo := want.Started.Zone()
			if !got.Equal(want.Started) || gn != wn || gotOff != wo {
				t.Errorf("row %d: started %v, want %v", i, got, want.Started)
			}
		}
	}
}
