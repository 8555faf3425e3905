package mock

import (
	"encoding/json"
	"fmt"
	"time"
)

// Ids of the hostile Talkdesk records (Options.Hostile), for tests.
const (
	// TalkdeskHostilePrefix starts the id of every hostile Talkdesk interaction; the one
	// carrying hostile string i is TalkdeskHostilePrefix + fmt.Sprintf("%02d", i).
	TalkdeskHostilePrefix = "hostile-td-"
	// TalkdeskHostileLongID holds two 200 KB messages (with and without line breaks).
	TalkdeskHostileLongID = TalkdeskHostilePrefix + "long"
	// TalkdeskHostileNullsID has nulls wherever the API promises strings, a null agent and a
	// null message.
	TalkdeskHostileNullsID = TalkdeskHostilePrefix + "nulls"
	// TalkdeskHostileMissingID lacks every optional field.
	TalkdeskHostileMissingID = TalkdeskHostilePrefix + "missing"
	// TalkdeskHostileDuplicateID is the id of two different interactions, the newest and the
	// oldest hostile record, so that a listing meets them on different pages.
	TalkdeskHostileDuplicateID = TalkdeskHostilePrefix + "dup"
)

// tdHostile returns the hostile interactions (unsorted): one per hostile string (in the
// customer id, agent names, ring groups, texts, intents and sentiments), 200 KB messages, nulls
// and missing fields, and a duplicated id. They fall in the last (partial) UTC day before end,
// so a newest-first listing meets them first.
func tdHostile(end time.Time, customer string) []tdRecord {
	hs := HostileStrings()
	dayStart := end.Truncate(24 * time.Hour)
	if !dayStart.Before(end) {
		dayStart = end.Add(-24 * time.Hour)
	}
	n := len(hs) + 5 // the hostile strings, long, nulls, missing, and two duplicates
	span := end.Sub(dayStart)
	slot := func(k int) time.Time { // k = 0 is the newest
		return end.Add(-span * time.Duration(k+1) / time.Duration(n+1)).Truncate(time.Microsecond)
	}
	var out []tdRecord
	add := func(t time.Time, id string, v any) {
		raw, err := json.Marshal(v)
		if err != nil {
			panic(err) // maps and slices of JSON values always encode
		}
		out = append(out, tdRecord{started: t, id: id, raw: raw})
	}
	msg := func(t time.Time, i int, participant, text string, extra ...any) map[string]any {
		m := map[string]any{"message_id": fmt.Sprintf("%s-m%d", participant, i), "message_index": i,
			"message_start_at": tdStamp(t.Add(time.Duration(i) * time.Second)), "text": text,
			"channel": "CHAT", "participant": participant, "source_system": "DCE"}
		for j := 0; j+1 < len(extra); j += 2 {
			m[extra[j].(string)] = extra[j+1]
		}
		return m
	}

	add(slot(0), TalkdeskHostileDuplicateID, map[string]any{
		"id": TalkdeskHostileDuplicateID, "customer_id": customer, "started_at": tdStamp(slot(0)),
		"ended_at": tdStamp(slot(0).Add(time.Minute)), "direction": "INBOUND", "ring_groups": []string{"support"},
		"agents": []any{}, "source_system": "VA",
		"messages": []any{msg(slot(0), 0, "CUSTOMER", "duplicate id, the newer copy")},
	})
	for i, s := range hs {
		t := slot(1 + i)
		cust := customer
		if i%4 == 1 {
			cust = s
		}
		id := fmt.Sprintf("%s%02d", TalkdeskHostilePrefix, i)
		add(t, id, map[string]any{
			"id": id, "customer_id": cust, "started_at": tdStamp(t), "ended_at": tdStamp(t.Add(3 * time.Second)),
			"direction": s, "ring_groups": []string{s, "support"},
			"agents":        []any{map[string]any{"id": s, "name": s, "email": s}},
			"source_system": "DCE",
			"messages": []any{
				msg(t, 0, "CUSTOMER", s, "sentiment", s, "intent", s, "intent_confidence_score", 0.5),
				msg(t, 1, "AGENT", HostileString(i+1), "channel", s, "agent_id", s),
				msg(t, 2, "VIRTUAL_AGENT", HostileString(i+2), "source_system", s),
				msg(t, 3, s, s),
			},
		})
	}
	t := slot(len(hs) + 1)
	add(t, TalkdeskHostileLongID, map[string]any{
		"id": TalkdeskHostileLongID, "customer_id": customer, "started_at": tdStamp(t), "ended_at": tdStamp(t.Add(time.Minute)),
		"direction": "INBOUND", "ring_groups": []string{"support"}, "agents": []any{}, "source_system": "DCE",
		"messages": []any{
			msg(t, 0, "CUSTOMER", HostileLong(HostileLongSize, true)),
			msg(t, 1, "AGENT", HostileLong(HostileLongSize, false)),
		},
	})
	t = slot(len(hs) + 2)
	add(t, TalkdeskHostileNullsID, map[string]any{
		"id": TalkdeskHostileNullsID, "customer_id": nil, "started_at": tdStamp(t), "ended_at": nil,
		"direction": nil, "ring_groups": []any{nil, "support"}, "agents": []any{nil, map[string]any{"id": nil, "name": nil, "email": nil}},
		"source_system": nil,
		"messages": []any{
			map[string]any{"message_id": nil, "message_index": nil, "message_start_at": nil, "text": nil, "channel": nil,
				"participant": nil, "source_system": nil, "sentiment": nil, "intent": nil, "intent_confidence_score": nil,
				"intent_is_fallback": nil, "start_time": nil, "end_time": nil, "agent_id": nil, "agent_name": nil,
				"recording_index": nil, "transcription_type": nil},
			nil,
			msg(t, 2, "CUSTOMER", "after a null message"),
		},
	})
	t = slot(len(hs) + 3)
	add(t, TalkdeskHostileMissingID, map[string]any{
		"id": TalkdeskHostileMissingID, "started_at": tdStamp(t),
		"messages": []any{map[string]any{}, map[string]any{"text": "only a text"}},
	})
	t = slot(len(hs) + 4)
	add(t, TalkdeskHostileDuplicateID, map[string]any{
		"id": TalkdeskHostileDuplicateID, "customer_id": customer, "started_at": tdStamp(t),
		"ended_at": tdStamp(t.Add(time.Minute)), "direction": "OUTBOUND", "ring_groups": []string{"billing"},
		"agents": []any{}, "source_system": "STT",
		"messages": []any{msg(t, 0, "AGENT", "duplicate id, the older copy", "channel", "VOICE")},
	})
	return out
}
