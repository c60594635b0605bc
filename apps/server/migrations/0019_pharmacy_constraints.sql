-- Nothing in the pharmacy is deleted: items and stores are deactivated, stock is corrected by movements,
-- adjustments and indents change status. (A stock row at zero stays: it is the batch's place in the store.)
CREATE TRIGGER formulary_items_never_deleted BEFORE DELETE ON pharmacy.formulary_items
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER brands_never_deleted BEFORE DELETE ON pharmacy.brands
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER stores_never_deleted BEFORE DELETE ON pharmacy.stores
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER suppliers_never_deleted BEFORE DELETE ON pharmacy.suppliers
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER batches_never_deleted BEFORE DELETE ON pharmacy.batches
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER stock_never_deleted BEFORE DELETE ON pharmacy.stock
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER reorder_levels_never_deleted BEFORE DELETE ON pharmacy.reorder_levels
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER goods_receipts_never_deleted BEFORE DELETE ON pharmacy.goods_receipts
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER goods_receipt_lines_never_deleted BEFORE DELETE ON pharmacy.goods_receipt_lines
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER stock_adjustments_never_deleted BEFORE DELETE ON pharmacy.stock_adjustments
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER indents_never_deleted BEFORE DELETE ON pharmacy.indents
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER indent_lines_never_deleted BEFORE DELETE ON pharmacy.indent_lines
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER dispensations_never_deleted BEFORE DELETE ON pharmacy.dispensations
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER dispensation_lines_never_deleted BEFORE DELETE ON pharmacy.dispensation_lines
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
-- The ledger is append-only: a wrong movement is corrected by another movement, never edited or removed.
CREATE OR REPLACE FUNCTION pharmacy.ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stock movements are never changed or deleted; record a correcting movement'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON pharmacy.stock_movements
  FOR EACH ROW EXECUTE FUNCTION pharmacy.ledger_append_only();--> statement-breakpoint
CREATE TRIGGER stock_movements_no_truncate BEFORE TRUNCATE ON pharmacy.stock_movements
  FOR EACH STATEMENT EXECUTE FUNCTION pharmacy.ledger_append_only();
