package usage

// workloadContexts are the contexts the workload runs as, one database
// role or user each.
var workloadContexts = []string{"catalog", "finance", "warehouse", "recommendation"}

// expectedCells are matrix cells the workload must produce: context,
// table, reads and writes in calls (from workload.Steps).
var expectedCells = []struct {
	ctx, table    string
	reads, writes int64
}{
	{"finance", "customer", 0, 4},
	{"warehouse", "customer", 0, 3},
	{"warehouse", "customer_order", 0, 2},
	{"finance", "customer_order", 0, 3},
	{"finance", "picking", 0, 2},
	{"warehouse", "picking", 15, 3},
	{"catalog", "line_item", 0, 3},
	{"warehouse", "line_item", 15, 3},
	{"finance", "line_item", 13, 0},
	{"catalog", "country", 5, 0},
	{"finance", "country", 6, 0},
	{"recommendation", "album", 8, 0},
	{"warehouse", "refund", 4, 0},
	{"", "customer", 0, 0},
}
