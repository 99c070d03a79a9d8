package mysql

import (
	"testing"
)

func TestSessionGrantee(t *testing.T) {
	for user, want := range map[string]string{
		"app@localhost":    "'app'@'localhost'",
		"app@%":            "'app'@'%'",
		"o'brien@10.0.0.1": "'o''brien'@'10.0.0.1'",
		"a@b@host":         "'a@b'@'host'",
		"":                 "''@''",
	} {
		if got := (Session{User: user}).Grantee(); got != want {
			t.Errorf("Grantee(%q) = %s, want %s", user, got, want)
		}
	}
}
