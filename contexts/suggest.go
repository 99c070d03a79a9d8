package contexts

import (
	"strings"
	"unicode/utf8"
)

// maxDistance is how far a word may be from a candidate to be suggested:
// one edit for short words, more for longer ones.
func maxDistance(word string) int {
	return 1 + utf8.RuneCountInString(word)/4
}

// suggest returns the candidate nearest to word (case-insensitive edit
// distance, transpositions counting as one edit), if one is near enough.
// Ties go to the earlier candidate.
func suggest(word string, candidates []string) (string, bool) {
	w := []rune(strings.ToLower(word))
	limit := maxDistance(word)
	best, bestD := "", limit+1
	var buf distBuf
	for _, c := range candidates {
		if c == word {
			continue
		}
		d := buf.distance(w, []rune(strings.ToLower(c)), bestD-1)
		if d < bestD {
			best, bestD = c, d
		}
	}
	return best, bestD <= limit
}

// distBuf holds the rows reused by distance.
type distBuf struct {
	prev2, prev, cur []int
}

// distance returns the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and adjacent transpositions), or a
// value above limit as soon as the distance is known to exceed it.
func (db *distBuf) distance(a, b []rune, limit int) int {
	if limit < 0 {
		return 1
	}
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	n := len(b) + 1
	if cap(db.cur) < n {
		db.prev2, db.prev, db.cur = make([]int, n), make([]int, n), make([]int, n)
	}
	prev2, prev, cur := db.prev2[:n], db.prev[:n], db.cur[:n]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
