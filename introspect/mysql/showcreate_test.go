package mysql

import (
	"reflect"
	"testing"

	"github.com/seamsdev/seams/schema"
)

func TestForeignKeyRules(t *testing.T) {
	ddl := "CREATE TABLE `c``2` (\n" +
		"  `id` int(11) NOT NULL,\n" +
		"  `p` int(11) DEFAULT NULL COMMENT 'ON DELETE CASCADE, CONSTRAINT `x` FOREIGN KEY',\n" +
		"  `q` varchar(9) DEFAULT 'it''s \\' ON UPDATE SET NULL',\n" +
		"  `r` int(11) DEFAULT NULL,\n" +
		"  PRIMARY KEY (`id`),\n" +
		"  KEY `fk_plain` (`p`),\n" +
		"  CONSTRAINT `fk_plain` FOREIGN KEY (`p`) REFERENCES `p` (`id`),\n" +
		"  CONSTRAINT `we``ird\nname` FOREIGN KEY (`q`, `r`) REFERENCES `other db`.`p(x)` (`a`, `b`) ON DELETE NO ACTION ON UPDATE SET NULL,\n" +
		"  CONSTRAINT `upd` FOREIGN KEY (`r`) REFERENCES `p` (`id`) ON UPDATE CASCADE,\n" +
		"  CONSTRAINT `del` FOREIGN KEY (`r`) REFERENCES `p` (`id`) ON DELETE SET DEFAULT,\n" +
		"  CONSTRAINT `chk` CHECK (`r` > 0)\n" +
		") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='CONSTRAINT `z` FOREIGN KEY (`a`) REFERENCES `b` (`c`) ON DELETE CASCADE'"
	got := foreignKeyRules(ddl, schema.Restrict)
	want := map[string]fkRule{
		"fk_plain":     {schema.Restrict, schema.Restrict},
		"we`ird\nname": {schema.NoAction, schema.SetNull},
		"upd":          {schema.Restrict, schema.Cascade},
		"del":          {schema.SetDefault, schema.Restrict},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("foreignKeyRules\n got  %q\n want %q", got, want)
	}
}
