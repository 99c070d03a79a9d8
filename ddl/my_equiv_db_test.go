//go:build integration

package ddl

import (
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/schema"
)

// myRich exercises what a MySQL/MariaDB file can hold: integer widths and
// aliases, defaults of every type (quoted and not, expressions,
// CURRENT_TIMESTAMP), generated columns, named and unnamed keys, checks and
// foreign keys (inline, table-level, added later, with the indexes the
// server makes for them), JSON, partitioning, views, triggers with compound
// bodies, comments and hostile names.
const myRich = "CREATE TABLE country (code char(2) PRIMARY KEY, name varchar(100) NOT NULL UNIQUE) COMMENT 'ISO codes';\n" +
	"CREATE TABLE customer (\n" +
	"  id int unsigned NOT NULL AUTO_INCREMENT,\n" +
	"  email varchar(254) NOT NULL COMMENT 'login',\n" +
	"  country_code char(2) REFERENCES country (code),\n" +
	"  referred_by int unsigned,\n" +
	"  credit decimal(12,2) DEFAULT 0 CHECK (credit >= 0),\n" +
	"  rate decimal(6,3) DEFAULT '1.5',\n" +
	"  score double DEFAULT 1.50,\n" +
	"  ratio float DEFAULT 2,\n" +
	"  big bigint DEFAULT -1,\n" +
	"  small tinyint(3) unsigned zerofill,\n" +
	"  active boolean DEFAULT true,\n" +
	"  status enum('ok','it''s','gone') NOT NULL DEFAULT 'ok',\n" +
	"  flags set('a','b') DEFAULT 'a,b',\n" +
	"  note varchar(50) DEFAULT 'say \"hi\" \\\\ it''s',\n" +
	"  bits bit(3) DEFAULT b'101',\n" +
	"  one bit DEFAULT 1,\n" +
	"  born date DEFAULT '2000-01-01',\n" +
	"  seen datetime(3) DEFAULT '2020-01-01',\n" +
	"  created timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n" +
	"  touched timestamp(2) NULL DEFAULT now(2),\n" +
	"  token varchar(36) DEFAULT (uuid()),\n" +
	"  yr year,\n" +
	"  /*!50600 seen_by_mariadb int, */ /*!50705 mysql57_only int, */ /*M!100100 mariadb_only int, */ /*M!999999 future int, */\n" +
	"  doc json,\n" +
	"  full_name varchar(300) AS (concat(email, '/', country_code)) VIRTUAL,\n" +
	"  double_credit decimal(13,2) GENERATED ALWAYS AS (credit * 2) STORED,\n" +
	"  PRIMARY KEY (id),\n" +
	"  UNIQUE KEY customer_email (email),\n" +
	"  KEY (country_code, created),\n" +
	"  KEY (created),\n" +
	"  FULLTEXT KEY note_text (note),\n" +
	"  CONSTRAINT customer_referrer FOREIGN KEY (referred_by) REFERENCES customer (id) ON DELETE SET NULL,\n" +
	"  CHECK (email <> '' AND credit < 1000000),\n" +
	"  CONSTRAINT status_rule CHECK (status IN ('ok', 'gone') OR credit BETWEEN 1 AND 10)\n" +
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='people who buy';\n" +
	"CREATE TABLE orders (\n" +
	"  id bigint NOT NULL,\n" +
	"  placed date NOT NULL,\n" +
	"  customer_id int unsigned NOT NULL,\n" +
	"  amount decimal(10,2) NOT NULL,\n" +
	"  PRIMARY KEY (id, placed),\n" +
	"  KEY by_customer (customer_id)\n" +
	") PARTITION BY RANGE (YEAR(placed)) (PARTITION p2024 VALUES LESS THAN (2025), PARTITION pmax VALUES LESS THAN MAXVALUE);\n" +
	"CREATE TABLE `catalog item` (`sku code` varchar(20) PRIMARY KEY, `order` int, `select` text, INDEX (`order`));\n" +
	"CREATE TABLE order_line (\n" +
	"  order_id bigint NOT NULL,\n" +
	"  line int NOT NULL,\n" +
	"  customer_id int unsigned,\n" +
	"  sku varchar(20),\n" +
	"  PRIMARY KEY (order_id, line),\n" +
	"  FOREIGN KEY (customer_id) REFERENCES customer (id) ON UPDATE CASCADE,\n" +
	"  FOREIGN KEY (sku) REFERENCES `catalog item` (`sku code`)\n" +
	");\n" +
	"ALTER TABLE order_line ADD CONSTRAINT line_customer FOREIGN KEY (customer_id) REFERENCES customer (id) ON DELETE CASCADE;\n" +
	"CREATE INDEX line_sku ON order_line (sku(10));\n" +
	"ALTER TABLE `catalog item` ADD COLUMN price decimal(8,2) NOT NULL DEFAULT 0.5, ADD CONSTRAINT positive CHECK (price > 0);\n" +
	"CREATE VIEW customer_orders AS SELECT c.id, c.email, o.amount FROM customer c JOIN orders o ON o.customer_id = c.id WHERE o.amount > 0;\n" +
	"CREATE VIEW `odd view` AS SELECT * FROM `catalog item`;\n" +
	"CREATE ALGORITHM = MERGE DEFINER = 'root'@'localhost' SQL SECURITY INVOKER VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100 WITH LOCAL CHECK OPTION;\n" +
	"CREATE OR REPLACE DEFINER = `root`@`localhost` VIEW checked_orders AS SELECT id, amount FROM orders WHERE amount > 0 WITH CHECK OPTION;\n" +
	"CREATE DEFINER = `root`@localhost TRIGGER order_sign BEFORE INSERT ON orders FOR EACH ROW SET NEW.amount = abs(NEW.amount);\n" +
	"CREATE TRIGGER customer_touch BEFORE UPDATE ON customer FOR EACH ROW\n" +
	"BEGIN\n" +
	"  IF NEW.credit < 0 THEN\n" +
	"    SET NEW.credit = (SELECT max(amount) FROM orders WHERE customer_id = NEW.id);\n" +
	"  END IF;\n" +
	"  CASE WHEN NEW.status = 'gone' THEN DELETE FROM order_line WHERE customer_id = NEW.id; ELSE BEGIN END; END CASE;\n" +
	"END;\n" +
	"CREATE TRIGGER line_audit AFTER INSERT ON order_line FOR EACH ROW INSERT INTO `catalog item` (`sku code`) VALUES (NEW.sku);\n" +
	"CREATE TABLE doomed (id int);\n" +
	"DROP TABLE doomed;\n"

func TestMariaDBRichEquivalence(t *testing.T) {
	dsn, live := liveMySQL(t, myRich)
	db := live.Source.Database
	dump := myDump(t, dsn)

	t.Run("mysqldump", func(t *testing.T) {
		res := readDDL(t, "dump.sql", dump, "", "")
		assertSame(t, "mysqldump", live, res.Snapshot, "", nil)
		checkLocations(t, "dump.sql", dump, res.Snapshot)
	})
	t.Run("hand-written", func(t *testing.T) {
		res := readDDL(t, "schema.sql", myRich, schema.MariaDB, db)
		assertSame(t, "hand-written", live, res.Snapshot, "", map[string]bool{})
		checkLocations(t, "schema.sql", myRich, res.Snapshot)
	})
}

func TestMariaDBMusicCorpEquivalence(t *testing.T) {
	dsn, live := liveMySQL(t, musiccorp.MySQLSQL)
	db := live.Source.Database
	dump := myDump(t, dsn)
	t.Run("mysqldump", func(t *testing.T) {
		res := readDDL(t, "dump.sql", dump, "", "")
		assertSame(t, "mysqldump", live, res.Snapshot, "", nil)
	})
	t.Run("mysql.sql", func(t *testing.T) {
		res := readDDL(t, "mysql.sql", musiccorp.MySQLSQL, schema.MariaDB, db)
		assertSame(t, "mysql.sql", live, res.Snapshot, "", map[string]bool{})
		checkLocations(t, "mysql.sql", musiccorp.MySQLSQL, res.Snapshot)
	})
}

var _ = strings.TrimSpace
var _ = gomysql.ParseDSN

// myMigrations is a MySQL schema grown by migrations.
const myMigrations = "CREATE TABLE account (id int AUTO_INCREMENT PRIMARY KEY, email varchar(100), legacy int, nick text);\n" +
	"CREATE TABLE invoice (id int PRIMARY KEY, account int, total decimal(10,2));\n" +
	"ALTER TABLE invoice ADD CONSTRAINT invoice_account FOREIGN KEY (account) REFERENCES account (id);\n" +
	"ALTER TABLE account ADD COLUMN created datetime NOT NULL DEFAULT CURRENT_TIMESTAMP;\n" +
	"ALTER TABLE account CHANGE COLUMN email mail varchar(200) NOT NULL;\n" +
	"ALTER TABLE account MODIFY nick varchar(20) DEFAULT 'anon' COMMENT 'shown';\n" +
	"ALTER TABLE account DROP COLUMN legacy;\n" +
	"ALTER TABLE account ALTER COLUMN nick SET DEFAULT 'x';\n" +
	"ALTER TABLE account ADD CONSTRAINT mail_present CHECK (mail <> '');\n" +
	"ALTER TABLE invoice ADD CONSTRAINT total_positive CHECK (total > 0);\n" +
	"ALTER TABLE invoice DROP CONSTRAINT total_positive;\n" +
	"ALTER TABLE invoice RENAME TO bill;\n" +
	"ALTER TABLE bill ADD COLUMN paid boolean DEFAULT false, ADD INDEX (paid);\n" +
	"CREATE UNIQUE INDEX account_mail ON account (mail);\n" +
	"ALTER TABLE account RENAME INDEX account_mail TO account_mail_key;\n" +
	"RENAME TABLE bill TO invoice;\n" +
	"ALTER TABLE invoice COMMENT = 'money owed';\n" +
	"CREATE TABLE `we``ird \"name\"` (`col``umn` int PRIMARY KEY, `a'b` varchar(5) DEFAULT 'it''s', FOREIGN KEY (`col``umn`) REFERENCES account (id));\n" +
	"CREATE TABLE scratch (id int);\n" +
	"DROP TABLE scratch;\n"

func TestMariaDBMigrationsEquivalence(t *testing.T) {
	dsn, live := liveMySQL(t, myMigrations)
	assertSame(t, "mysqldump", live, readDDL(t, "dump.sql", myDump(t, dsn), "", "").Snapshot, "", nil)
	assertSame(t, "migrations", live, readDDL(t, "migrations.sql", myMigrations, schema.MariaDB, live.Source.Database).Snapshot, "", nil)
}
