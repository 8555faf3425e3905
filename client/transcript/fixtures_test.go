package transcript

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/confab-dev/confab/client"
)

var t0 = time.Date(2026, 11, 8, 9, 30, 0, 0, time.UTC)

func at(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

func raw(format string, args ...any) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(format, args...))
}

// moveworksThread is a branched Moveworks thread shaped like the mock corpus: 12-character
// ids, a 20-digit user id, bot replies under the turn they answer, a button, a link, a form,
// an upload, an orphan, and text that tries to break out of a Markdown fence.
func moveworksThread() (client.Conversation, []client.Interaction) {
	c := client.Conversation{
		Source: "mw", ID: "Q7fTz2LmX0aB", UserID: "15392314957513647503",
		Started: t0, Updated: at(300), Summary: "I can't log in to the VPN",
		Attrs: client.Attrs{{Key: "domain", Value: "IT"}, {Key: "route", Value: "DM"}, {Key: "type", Value: "USER_INITIATED"}, {Key: "ticket", Value: "INC0012345"}},
		Raw:   raw(`{"id":"Q7fTz2LmX0aB","user_id":"15392314957513647503"}`),
	}
	it := func(id, parent string, actor client.Actor, kind, text string, sec int, attrs client.Attrs) client.Interaction {
		return client.Interaction{ID: id, ConversationID: c.ID, ParentID: parent, Actor: actor, Kind: kind,
			Text: text, Time: at(sec), Attrs: attrs, Raw: raw(`{"id":%q,"parent_interaction_id":%q}`, id, parent)}
	}
	slack := client.Attrs{{Key: "platform", Value: "slack"}}
	items := []client.Interaction{
		it("u1aaaaaaaaaa", "", client.ActorUser, client.KindText, "I can't log in to the VPN\nit says `error 809`", 0, slack),
		it("b1aaaaaaaaaa", "u1aaaaaaaaaa", client.ActorBot, client.KindBot, "Try these steps:\n# not a heading\n- not a list\n```\nnot the end of the block\n```", 2, slack),
		it("b2aaaaaaaaaa", "u1aaaaaaaaaa", client.ActorBot, client.KindBot, "Or reset your password.", 3, slack),
		it("k1aaaaaaaaaa", "b2aaaaaaaaaa", client.ActorUser, client.KindButton, "Reset password", 20, client.Attrs{{Key: "platform", Value: "slack"}, {Key: "label", Value: "Reset password"}}),
		it("l1aaaaaaaaaa", "b1aaaaaaaaaa", client.ActorUser, client.KindLink, "KB0012", 40, client.Attrs{{Key: "resource", Value: "KB0012"}, {Key: "resource_type", Value: "KNOWLEDGE"}}),
		it("u2aaaaaaaaaa", "", client.ActorUser, client.KindText, "Still broken. Reach me at jane.doe@example.com or +1 415 555 0100.", 120, slack),
		it("f1aaaaaaaaaa", "", client.ActorUser, client.KindForm, "VPN access request", 180, client.Attrs{{Key: "resource", Value: "FORM-77"}}),
		it("p1aaaaaaaaaa", "", client.ActorUser, client.KindUpload, "uploaded png", 200, client.Attrs{{Key: "file_types", Value: "png"}}),
		it("o1aaaaaaaaaa", "gone00000000", client.ActorBot, client.KindBot, "A reply whose turn is missing.", 250, nil),
	}
	return c, items
}

// talkdeskCall is a Talkdesk voice call shaped like the Talkdesk client's output: a flat
// list of messages (no parents) between a customer, a virtual agent and an agent.
func talkdeskCall() (client.Conversation, []client.Interaction) {
	c := client.Conversation{
		Source: "td", ID: "a3f9c2e17b5d4e0f9a8b7c6d5e4f3a2b", UserID: "+14155550123",
		Started: t0, Updated: at(400),
		Attrs: client.Attrs{{Key: "channel", Value: "voice"}, {Key: "direction", Value: "inbound"}, {Key: "ring_group", Value: "support"}, {Key: "duration", Value: "6m40s"}},
		Raw:   raw(`{"interaction_id":"a3f9c2e17b5d4e0f9a8b7c6d5e4f3a2b","channel":"VOICE"}`),
	}
	msg := func(n int, actor client.Actor, text string, sec int) client.Interaction {
		id := fmt.Sprintf("m%02d", n)
		return client.Interaction{ID: id, ConversationID: c.ID, Actor: actor, Kind: client.KindVoice, Text: text, Time: at(sec),
			Seq: n, Raw: raw(`{"id":%q,"participant":%q}`, id, string(actor))}
	}
	sam := msg(4, client.ActorAgent, "Hi, this is Sam. I can see both charges.", 60)
	sam.Speaker = "Sam Lee" // a Talkdesk agent_name
	return c, []client.Interaction{
		msg(1, client.ActorVirtualAgent, "Thanks for calling. How can I help?", 0),
		msg(2, client.ActorCustomer, "My card 4111 1111 1111 1111 was charged twice.", 8),
		msg(3, client.ActorVirtualAgent, "Let me get you to an agent.", 15),
		sam,
		msg(5, client.ActorCustomer, "Great, thanks.", 75),
	}
}

// openDialogSession is an OpenDialog session shaped like the OpenDialog client's output:
// only the user's messages (the API returns no bot replies), with a note saying so.
func openDialogSession() (client.Conversation, []client.Interaction) {
	c := client.Conversation{
		Source: "od", ID: "user-42@2026-11-08T09:30:00Z", UserID: "user-42",
		Started: t0, Updated: at(600),
		Attrs: client.Attrs{{Key: "scenario", Value: "onboarding"}, {Key: "note", Value: "bot replies are not part of this export"}},
	}
	msg := func(n int, kind, text string, sec int) client.Interaction {
		id := fmt.Sprintf("od-%d", n)
		return client.Interaction{ID: id, ConversationID: c.ID, Actor: client.ActorUser, Kind: kind, Text: text, Time: at(sec),
			Raw: raw(`{"id":%d,"type":%q}`, n, kind)}
	}
	return c, []client.Interaction{
		msg(1, client.KindText, "hello", 0),
		msg(2, client.KindButton, "Start onboarding", 30),
		msg(3, client.KindText, "my laptop IP is 10.20.30.40, token sk-abcdefABCDEF0123456789xyz", 300),
	}
}

// hostileThread holds escape sequences, control characters, bidi controls, invalid UTF-8 and
// Markdown injection attempts in every vendor field.
func hostileThread() (client.Conversation, []client.Interaction) {
	c := client.Conversation{
		Source: "mw", ID: "evil\x1b]0;pwned\x07id", UserID: "u\x1b[31mred",
		Started: t0, Summary: "\x1b[2Jcleared",
		Attrs: client.Attrs{{Key: "domain\x1b[1m", Value: "**bold** [link](http://x) <script>"}},
		Raw:   raw(`{"id":"evil\u001b]0;pwned\u0007id"}`),
	}
	return c, []client.Interaction{
		{ID: "h1", ConversationID: c.ID, Actor: client.ActorUser, Kind: client.KindText, Time: at(0),
			Text: "\x1b]52;c;cHduZWQ=\x07copy me\r\nnext\x7f line \u202eevil\u202c \u009b31m c1", Raw: raw(`{"id":"h1"}`)},
		{ID: "h2", ConversationID: c.ID, ParentID: "h1", Actor: "martian\x1b[5m", Kind: "k\x1bind", Time: at(1),
			Text: "````\n# heading?\n````\n<img src=x onerror=alert(1)>\xff\xfe"},
	}
}
