package mysql

import (
	"testing"
	"time"
)

// TestStatementTimeoutStatement: a timeout shorter than the engine's unit
// rounds up to one unit; 0 would mean no limit.
func TestStatementTimeoutStatement(t *testing.T) {
	tests := []struct {
		d       time.Duration
		mariadb string
		mysql   string
	}{
		{time.Nanosecond, "SET SESSION max_statement_time = 0.000001", "SET SESSION max_execution_time = 1"},
		{999 * time.Nanosecond, "SET SESSION max_statement_time = 0.000001", "SET SESSION max_execution_time = 1"},
		{1500 * time.Nanosecond, "SET SESSION max_statement_time = 0.000002", "SET SESSION max_execution_time = 1"},
		{1500 * time.Microsecond, "SET SESSION max_statement_time = 0.001500", "SET SESSION max_execution_time = 2"},
		{time.Minute, "SET SESSION max_statement_time = 60.000000", "SET SESSION max_execution_time = 60000"},
	}
	for _, tt := range tests {
		if got := statementTimeout("mariadb", tt.d); got != tt.mariadb {
			t.Errorf("MariaDB %s: %q, want %q", tt.d, got, tt.mariadb)
		}
		if got := statementTimeout("mysql", tt.d); got != tt.mysql {
			t.Errorf("MySQL %s: %q, want %q", tt.d, got, tt.mysql)
		}
	}
}
