package plan

import "github.com/seamsdev/seams/schema"

// locate gives each object of the findings the place in a DDL file where
// the snapshot says it is defined (a snapshot read with --schema-file);
// objects of a live database have none.
func (b *builder) locate(fs []Finding) {
	for i := range fs {
		for j := range fs[i].Objects {
			o := &fs[i].Objects[j]
			o.Location = b.location(*o)
		}
	}
}

// location finds where an object is defined, or nil.
func (b *builder) location(o Object) *schema.Location {
	switch o.Type {
	case "table":
		if t := b.lk.Table(schema.TableName{Schema: o.Schema, Name: o.Name}); t != nil {
			return t.Location
		}
	case "view":
		if v := b.lk.View(schema.TableName{Schema: o.Schema, Name: o.Name}); v != nil {
			return v.Location
		}
	case "foreign_key":
		if t := b.lk.Table(schema.TableName{Schema: o.Schema, Name: o.Table}); t != nil {
			for k := range t.ForeignKeys {
				if t.ForeignKeys[k].Name == o.Name {
					return t.ForeignKeys[k].Location
				}
			}
		}
	case "trigger":
		on := schema.TableName{Schema: o.Schema, Name: o.Table}
		for _, k := range b.triggersOn[on] {
			if tr := &b.s.Triggers[k]; tr.Name == o.Name {
				return tr.Location
			}
		}
	}
	return nil
}
