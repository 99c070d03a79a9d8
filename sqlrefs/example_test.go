package sqlrefs_test

import (
	"fmt"

	"github.com/seamsdev/seams/sqlrefs"
)

func ExamplePostgres() {
	refs, err := sqlrefs.Postgres(`INSERT INTO finance.ledger (item_id, amount)
		SELECT li.id, li.price FROM catalog.line_item li WHERE li.id = $1`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("reads:", refs.Reads, "writes:", refs.Writes)
	// Output: reads: [catalog.line_item] writes: [finance.ledger]
}

func ExamplePLpgSQL() {
	refs, err := sqlrefs.PLpgSQL(`
BEGIN
  UPDATE warehouse.stock SET qty = qty - NEW.qty WHERE item_id = NEW.item_id;
  EXECUTE format('DELETE FROM %I WHERE id = $1', TG_ARGV[0]) USING OLD.id;
  RETURN NEW;
END`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("writes:", refs.Writes)
	fmt.Println("dynamic:", refs.Dynamic)
	// Output:
	// writes: [warehouse.stock]
	// dynamic: [EXECUTE format('DELETE FROM %I WHERE id = $1', TG_ARGV[0])]
}

func ExampleMySQL() {
	// A view definition as MariaDB's information_schema.VIEWS gives it.
	refs, err := sqlrefs.MySQL("select `c`.`name` AS `name` from (`shop`.`customer` `c` join `shop`.`Order Items` `o` on(`o`.`customer_id` = `c`.`id`))")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("reads:", refs.Reads)
	// Output: reads: [shop.Order Items shop.customer]
}

func ExampleMySQLTriggerBody() {
	refs, err := sqlrefs.MySQLTriggerBody(`BEGIN
  DECLARE n INT DEFAULT 0;
  SELECT qty INTO n FROM stock WHERE item_id = NEW.id;
  IF n < 1 THEN
    SET NEW.status = 'backorder';
    INSERT INTO backorders (item_id) VALUES (NEW.id);
  END IF;
END`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("reads:", refs.Reads, "writes:", refs.Writes)
	// Output: reads: [stock] writes: [backorders]
}
