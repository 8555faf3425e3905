package odata

func sampleInteraction() map[string]any {
	return map[string]any{
		"id":                    "0B4ZobXF4Lxx",
		"conversation_id":       "cun-BKxnVkaD",
		"user_id":               "15392314957513647503",
		"actor":                 "user",
		"platform":              "slack",
		"type":                  "INTERACTION_TYPE_FREE_TEXT",
		"label":                 nil,
		"parent_interaction_id": nil,
		"created_time":          "2025-08-01T16:45:27.511Z",
		"last_updated_time":     "2025-08-02T06:01:00Z",
		"detail": map[string]any{
			"content": "My VPN is not connecting",
			"domain":  "IT",
			"entity":  "vpn",
		},
	}
}
