package thread_test

import (
	"fmt"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/thread"
)

func ExampleTree_Flatten() {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	items := []client.Interaction{
		{ID: "u1", Text: "My laptop won't boot", Time: at(0)},
		{ID: "b1", ParentID: "u1", Text: "Try holding the power button", Time: at(1)},
		{ID: "k1", ParentID: "b1", Text: "[Didn't help]", Time: at(2)},
		{ID: "b2", ParentID: "u1", Text: "Or open a ticket", Time: at(1)},
		{ID: "x", ParentID: "lost", Text: "a reply to something not loaded", Time: at(3)},
	}
	tree := thread.Build(items)
	for _, r := range tree.Flatten(nil) {
		mark := ""
		if r.Orphan() {
			mark = "  (parent not found)"
		}
		fmt.Printf("%s%s%s\n", r.Prefix(), tree.Item(int(r.Index)).Text, mark)
	}
	// Output:
	// My laptop won't boot
	// ├─ Try holding the power button
	// │  └─ [Didn't help]
	// └─ Or open a ticket
	// a reply to something not loaded  (parent not found)
}
