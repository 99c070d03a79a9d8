package plan_test

// Hostile identifiers: quotes of both dialects, spaces, semicolons, comment
// markers, non-ASCII, reserved words.
const (
	hostileParent = `we"ird; --tab`
	hostileChild  = "ünï`code select"
	hostileShared = `sha're/d`
	hostileFK     = `fk; DROP TABLE x; --`
	hostileCtxA   = `cat"alog; --`
	hostileCtxB   = "fin`ance ü"
)
