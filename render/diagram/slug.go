package diagram

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/seamsdev/seams/schema"
)

// Slug returns a short name for a table that is safe as a file name, a URL
// path segment and an HTML or SVG id: a lower-case ASCII form of the name
// followed by a hash of the exact schema and name, so distinct tables never
// share a slug. Table nodes carry it as their SVG id.
func Slug(n schema.TableName) string {
	// The NUL between the parts is not a letter or digit, so it reads as
	// the same "-" a "." would, and it makes the hash unambiguous.
	return SlugOf("t", n.Schema+"\x00"+n.Name)
}

// SlugOf returns prefix, a hyphen, a lower-case ASCII form of s (letters,
// digits and underscores, other runs of characters as one hyphen, at most
// 40 bytes) and a hyphen followed by a hash of s exactly, so distinct
// strings never share a slug. With a prefix of ASCII letters the result is
// safe as a file name, a URL path segment and an HTML or SVG id.
func SlugOf(prefix, s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if b.Len() >= 40 {
			break
		}
		switch {
		case (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '_':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	sum := sha256.Sum256([]byte(s))
	return prefix + "-" + strings.Trim(b.String(), "-") + "-" + hex.EncodeToString(sum[:5])
}

// ViewSlug returns the SVG id of a view node: like Slug, with the prefix
// "v-" instead of "t-", so that table and view nodes are told apart.
func ViewSlug(n schema.TableName) string { return "v" + Slug(n)[1:] }
