//go:build integration

package sqlrefs

// mariaTables are the tables the views of mariaViews read.
const mariaTables = "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(50), country CHAR(2));" +
	"CREATE TABLE `Order Items` (id INT PRIMARY KEY, customer_id INT, amount DECIMAL(10,2));" +
	"CREATE TABLE `ünïcode` (id INT, `we\"ird` INT);" +
	"CREATE TABLE `back``tick` (id INT);" +
	"CREATE SEQUENCE seq1"

// mariaTriggerTables are the further tables the triggers use; OTHERDB is
// the second database.
const mariaTriggerTables = "CREATE TABLE audit_log (id INT AUTO_INCREMENT PRIMARY KEY, tbl VARCHAR(64), note TEXT, at DATETIME);" +
	"CREATE TABLE stock (item_id INT PRIMARY KEY, qty INT);" +
	"CREATE TABLE OTHERDB.ledger (id INT AUTO_INCREMENT PRIMARY KEY, customer_id INT, amount DECIMAL(10,2));" +
	"CREATE TABLE OTHERDB.country (code CHAR(2), name VARCHAR(50))"
