package attribution

import (
	"encoding/json"
	"io"

	"github.com/seamsdev/seams/schema"
)

// jsonUsage is the JSON form of an attributed usage (seams usage --format
// json): the facts, each statement and declaration with the contexts it is
// attributed to, and the matrix and cross-context transactions.
type jsonUsage struct {
	Sources      []schema.UsageSource `json:"sources"`
	Unattributed map[string]int       `json:"unattributed"`
	Notes        []string             `json:"notes,omitempty"`
	Statements   []jsonStatement      `json:"statements"`
	Matrix       []Cell               `json:"matrix"`
	Transactions []Transaction        `json:"transactions,omitempty"`
	Mappings     []jsonMapping        `json:"mappings,omitempty"`
	TableIO      []schema.TableIO     `json:"table_io,omitempty"`
}

type jsonStatement struct {
	schema.Statement
	// Contexts are the contexts it is attributed to; Touches those that
	// own the tables it reads or writes.
	Contexts []string `json:"contexts,omitempty"`
	Touches  []string `json:"touches,omitempty"`
}

type jsonMapping struct {
	schema.Mapping
	Context string `json:"context"`
}

// Encode writes u as indented JSON.
func Encode(w io.Writer, u *Usage) error {
	j := jsonUsage{Sources: u.Facts.Sources, Unattributed: u.Unattributed, Notes: u.Notes,
		Statements: make([]jsonStatement, len(u.Facts.Statements)), Matrix: u.Matrix,
		Transactions: u.Transactions, TableIO: u.Facts.TableIO}
	if j.Matrix == nil {
		j.Matrix = []Cell{}
	}
	for i, st := range u.Facts.Statements {
		j.Statements[i] = jsonStatement{Statement: st, Contexts: u.Contexts(st.ID), Touches: u.Touches(st.ID)}
	}
	for i, m := range u.Facts.Mappings {
		j.Mappings = append(j.Mappings, jsonMapping{Mapping: m, Context: u.MappingContext(i)})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(j)
}
