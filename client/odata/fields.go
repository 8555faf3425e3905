package odata

import (
	"strings"

	"github.com/confab-dev/confab/client"
)

// Collection is a Moveworks Data API collection whose records can be filtered.
type Collection string

// The collections confab filters.
const (
	Conversations Collection = "conversations"
	Interactions  Collection = "interactions"
)

// Field types used in Field.Type.
const (
	typeString   = "string"
	typeDatetime = "datetime"
	typeEnum     = "enum"
)

var (
	domainValues = []string{"IT", "HR", "OTHER", "TRAVEL_AND_EXPENSE", "LEGAL", "PAYROLL", "FACILITY", "FINANCE"}
	routeValues  = []string{"DM", "Notification", "Ticket_Interception"}

	conversationTypeValues = []string{
		"CONVERSATION_TYPE_APPROVAL_REQUEST_NOTIFICATION",
		"CONVERSATION_TYPE_EVENTS_NOTIFICATION",
		"CONVERSATION_TYPE_AMBIENT_AGENT_NOTIFICATION",
		"CONVERSATION_TYPE_TICKET_UPDATE_NOTIFICATION",
		"CONVERSATION_TYPE_TICKET_WATCHER_NOTIFICATION",
		"CONVERSATION_TYPE_TICKET_WAITING_NOTIFICATION",
		"CONVERSATION_TYPE_TICKET_NUDGE_NOTIFICATION",
		"CONVERSATION_TYPE_TICKET_INTERCEPTION",
		"CONVERSATION_TYPE_COMMS_NOTIFICATION",
		"CONVERSATION_TYPE_CHANNEL_INTERCEPTION",
	}
	interactionTypeValues = []string{
		"INTERACTION_TYPE_FREE_TEXT",
		"INTERACTION_TYPE_BOT_MESSAGE",
		"INTERACTION_TYPE_BUTTON_CLICK",
		"INTERACTION_TYPE_LINK_CLICK",
		"INTERACTION_TYPE_UIFORM_SUBMISSION",
		"INTERACTION_TYPE_CONTENT_UPLOAD",
	}
	resourceTypeValues = []string{
		"RESOURCE_TYPE_INTERNAL_LINK",
		"RESOURCE_TYPE_FORM",
		"RESOURCE_TYPE_RECORD",
		"RESOURCE_TYPE_UNSPECIFIED",
	}
)

var conversationFields = []client.Field{
	{Name: "id", Type: typeString, Doc: "conversation id"},
	{Name: "user_id", Type: typeString, Doc: "the user's id (a decimal string)"},
	{Name: "primary_domain", Type: typeEnum, Values: domainValues, Doc: "domain picked from the conversation's free text; may be null"},
	{Name: "route", Type: typeEnum, Values: routeValues, Doc: "how the conversation started"},
	{Name: "type", Type: typeEnum, Values: conversationTypeValues, Doc: "conversation type (notifications, interceptions)"},
	{Name: "created_time", Type: typeDatetime, Doc: "start of the conversation"},
	{Name: "last_updated_time", Type: typeDatetime, Doc: "when the row was last written in the export"},
	{Name: "detail/domain", Type: typeEnum, Values: domainValues, Doc: "domain of an approval notification"},
	{Name: "detail/ticket_id", Type: typeString, Doc: "ticket of a ticket notification or interception"},
	{Name: "detail/usecase_name", Type: typeString, Doc: "use case of an events or ambient-agent notification"},
	{Name: "detail/campaign_name", Type: typeString, Doc: "campaign of a comms notification"},
	{Name: "detail/channel_name", Type: typeString, Doc: "channel of a channel interception"},
	{Name: "detail/content", Type: typeString, Doc: "message text or ticket description of an interception"},
}

var interactionFields = []client.Field{
	{Name: "id", Type: typeString, Doc: "interaction id"},
	{Name: "conversation_id", Type: typeString, Doc: "the conversation the interaction belongs to"},
	{Name: "user_id", Type: typeString, Doc: "the user's id (a decimal string)"},
	{Name: "actor", Type: typeEnum, Values: []string{"user", "bot"}, Doc: "who produced the interaction"},
	{Name: "platform", Type: typeEnum, Values: []string{"slack", "msteams", "web", "movewebchat"}, Doc: "where the interaction happened"},
	{Name: "type", Type: typeEnum, Values: interactionTypeValues, Doc: "interaction type"},
	{Name: "label", Type: typeEnum, Values: []string{"file_ticket", "handoff", "mw_form"}, Doc: "label of a UI-form submission; usually null"},
	{Name: "parent_interaction_id", Type: typeString, Doc: "the user interaction a bot message answers; null for user turns"},
	{Name: "created_time", Type: typeDatetime, Doc: "when the interaction happened"},
	{Name: "last_updated_time", Type: typeDatetime, Doc: "when the row was last written in the export"},
	{Name: "detail/domain", Type: typeEnum, Values: domainValues, Doc: "predicted domain of free text"},
	{Name: "detail/entity", Type: typeString, Doc: "predicted topic of free text (vpn, pto, greeting…)"},
	{Name: "detail/content", Type: typeString, Doc: "message text, or the button name of a click"},
	{Name: "detail/resource_id", Type: typeString, Doc: "resource of a link click or form submission"},
	{Name: "detail/type", Type: typeEnum, Values: resourceTypeValues, Doc: "resource type of a link click"},
}

// Fields lists the filterable fields of a collection, in display order. Nested fields of the
// record's detail object are written as paths (detail/domain). It returns nil for an unknown
// collection. The result is a copy the caller may modify.
func Fields(c Collection) []client.Field {
	var src []client.Field
	switch c {
	case Conversations:
		src = conversationFields
	case Interactions:
		src = interactionFields
	default:
		return nil
	}
	out := make([]client.Field, len(src))
	for i, f := range src {
		f.Values = append([]string(nil), f.Values...)
		out[i] = f
	}
	return out
}

// fieldInfo is a field prepared for parsing and evaluation.
type fieldInfo struct {
	name string
	typ  string
	path []string // name split on "/"
}

// schema is a collection's fields, indexed by name.
type schema struct {
	coll   Collection
	fields map[string]*fieldInfo
	names  []string // in display order
}

var schemas = map[Collection]*schema{
	Conversations: newSchema(Conversations, conversationFields),
	Interactions:  newSchema(Interactions, interactionFields),
}

func newSchema(c Collection, fields []client.Field) *schema {
	s := &schema{coll: c, fields: make(map[string]*fieldInfo, len(fields))}
	for _, f := range fields {
		s.fields[f.Name] = &fieldInfo{name: f.Name, typ: f.Type, path: strings.Split(f.Name, "/")}
		s.names = append(s.names, f.Name)
	}
	return s
}

// unknownFieldMsg explains why name is not a field and suggests the nearest one.
func (s *schema) unknownFieldMsg(name string) string {
	// An object such as detail: list its filterable members.
	var members []string
	for _, n := range s.names {
		if strings.HasPrefix(n, name+"/") {
			members = append(members, n)
		}
	}
	if len(members) > 0 {
		return "\"" + name + "\" is an object; filter on one of its fields: " + strings.Join(members, ", ")
	}
	msg := "unknown field \"" + name + "\""
	if best := nearest(name, s.names); best != "" {
		return msg + " (did you mean \"" + best + "\"?)"
	}
	for c, other := range schemas {
		if _, ok := other.fields[name]; ok && c != s.coll {
			return msg + ": it is a field of " + string(c) + ", not " + string(s.coll)
		}
	}
	return msg + " (fields: " + strings.Join(s.names, ", ") + ")"
}

// nearest returns the candidate closest to word, or "" when none is close enough to be a
// plausible typo. Case differences and "." for "/" count as near misses.
func nearest(word string, candidates []string) string {
	lw := strings.ToLower(strings.ReplaceAll(word, ".", "/"))
	best, bestDist := "", -1
	for _, c := range candidates {
		d := levenshtein(lw, strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := len(lw) / 3
	if limit < 1 {
		limit = 1
	}
	if limit > 3 {
		limit = 3
	}
	if bestDist < 0 || bestDist > limit {
		return ""
	}
	return best
}

// levenshtein is the edit distance between a and b (bytes; transpositions count as 2).
func levenshtein(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		// Too long to be a typo of a field name; avoid quadratic work on hostile input.
		return 1 << 20
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
