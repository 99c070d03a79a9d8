package plan

import (
	"fmt"
	"slices"
	"strings"
)

// The established names of the refactorings the findings map to.
const (
	patMoveFK          = "Move Foreign-Key Relationship to Code"
	patDropFK          = "Drop Foreign Key Constraint"
	patSaga            = "Saga"
	patSplitTable      = "Split Table"
	patMoveColumn      = "Move Column"
	patChangeOwnership = "Change Data Ownership"
	patReadOnlyTable   = "Introduce Read-Only Table"
	patDatabaseView    = "Database View"
	patReplaceTrigger  = "Replace Trigger With Code"
	patStaticAsCode    = "Static Reference Data as Code"
	patStaticLibrary   = "Static Reference Data Library"
	patStaticDuplicate = "Duplicate Static Reference Data"
	patStaticSchema    = "Dedicated Reference Data Schema"
	patStaticService   = "Static Reference Data Service"
	patReportingDB     = "Reporting Database"
	patAPIComposition  = "API Composition"
	patMergeContexts   = "Merge Contexts"
)

// plural writes "1 context" or "3 contexts".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func sameSet(a, b []string) bool {
	return len(a) == len(b) && containsAll(a, b) && containsAll(b, a)
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return nonNil(slices.Compact(s))
}

// article puts "a" or "an" before a word, by how it usually sounds: "an
// album", "an order", "a user", "a unit", "a one-off". For a qualified name
// ("public.album") the first part decides.
func article(word string) string {
	w := strings.ToLower(word)
	an := false
	switch {
	case w == "":
	case strings.HasPrefix(w, "one"), strings.HasPrefix(w, "eu"), strings.HasPrefix(w, "ewe"):
	case strings.IndexByte("aeio", w[0]) >= 0:
		an = true
	case w[0] == 'u':
		an = true
		for _, p := range []string{"uni", "use", "usa", "usu", "uti", "uri", "url", "uu", "uk"} {
			if strings.HasPrefix(w, p) {
				an = false
			}
		}
	}
	if an {
		return "an " + word
	}
	return "a " + word
}

// possessive writes "catalog's", or "customers'" for a name ending in s.
func possessive(name string) string {
	if strings.HasSuffix(name, "s") || strings.HasSuffix(name, "S") {
		return name + "'"
	}
	return name + "'s"
}
