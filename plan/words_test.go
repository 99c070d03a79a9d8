package plan

import "testing"

func TestArticle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"album", "an album"}, {"Order", "an Order"}, {"item", "an item"}, {"event", "an event"},
		{"user", "a user"}, {"unit", "a unit"}, {"umbrella", "an umbrella"}, {"one_off", "a one_off"},
		{"euro_rate", "a euro_rate"}, {"store", "a store"}, {"public.album", "a public.album"},
		{"app.album", "an app.album"}, {"", "a "},
	}
	for _, tt := range tests {
		if got := article(tt.in); got != tt.want {
			t.Errorf("article(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPossessive(t *testing.T) {
	tests := []struct{ in, want string }{
		{"catalog", "catalog's"}, {"customers", "customers'"}, {"rentals, films", "rentals, films'"}, {"CRM", "CRM's"},
	}
	for _, tt := range tests {
		if got := possessive(tt.in); got != tt.want {
			t.Errorf("possessive(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
