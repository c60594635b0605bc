-- Prices of one (service, tariff class, payer) never overlap in time: whatever the order of edits, one price
-- applies on any date. The hospital's own rate has no payer (coalesced to the nil uuid for the comparison).
ALTER TABLE billing.service_prices ADD CONSTRAINT service_prices_no_overlap
  EXCLUDE USING gist (
    service_id WITH =,
    tariff_class WITH =,
    (coalesce(payer_id, '00000000-0000-0000-0000-000000000000'::uuid)) WITH =,
    daterange(valid_from, valid_to, '[)') WITH &&
  );--> statement-breakpoint
-- Tax rows of one (code, setting, threshold) never overlap in time either.
ALTER TABLE billing.tax_rates ADD CONSTRAINT tax_rates_no_overlap
  EXCLUDE USING gist (
    tax_code WITH =,
    setting WITH =,
    (coalesce(min_unit_price, -1)) WITH =,
    daterange(valid_from, valid_to, '[)') WITH &&
  );--> statement-breakpoint
-- Money is never lost: nothing in billing is deleted. Charges are cancelled, invoices credited, payments
-- refunded, allocations reversed.
CREATE TRIGGER charges_never_deleted BEFORE DELETE ON billing.charges
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER invoices_never_deleted BEFORE DELETE ON billing.invoices
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER invoice_lines_never_deleted BEFORE DELETE ON billing.invoice_lines
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER discounts_never_deleted BEFORE DELETE ON billing.discounts
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER payments_never_deleted BEFORE DELETE ON billing.payments
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER allocations_never_deleted BEFORE DELETE ON billing.allocations
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER refunds_never_deleted BEFORE DELETE ON billing.refunds
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER cashier_sessions_never_deleted BEFORE DELETE ON billing.cashier_sessions
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER preauths_never_deleted BEFORE DELETE ON billing.preauths
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER claims_never_deleted BEFORE DELETE ON billing.claims
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER insurance_events_never_deleted BEFORE DELETE ON billing.insurance_events
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
-- A final invoice is never edited: only its status (to cancelled, by a credit note), its paid amount and
-- version may change. Its lines never change once it is final.
CREATE OR REPLACE FUNCTION billing.final_invoice_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'draft' AND (
       NEW.number IS DISTINCT FROM OLD.number OR NEW.gross <> OLD.gross OR NEW.discount <> OLD.discount
       OR NEW.tax <> OLD.tax OR NEW.round_off <> OLD.round_off OR NEW.total <> OLD.total
       OR NEW.patient_share <> OLD.patient_share OR NEW.payer_share <> OLD.payer_share
       OR NEW.account_id <> OLD.account_id OR NEW.patient_id <> OLD.patient_id OR NEW.kind <> OLD.kind
       OR NEW.issued_at IS DISTINCT FROM OLD.issued_at
       OR (OLD.status = 'cancelled' AND NEW.status <> 'cancelled')
       OR (OLD.status = 'final' AND NEW.status = 'draft')) THEN
    RAISE EXCEPTION 'invoice % is final and cannot be edited; cancel it with a credit note', OLD.number
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER invoices_final_frozen BEFORE UPDATE ON billing.invoices
  FOR EACH ROW EXECUTE FUNCTION billing.final_invoice_frozen();--> statement-breakpoint
CREATE OR REPLACE FUNCTION billing.final_invoice_lines_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM billing.invoices i WHERE i.id = coalesce(NEW.invoice_id, OLD.invoice_id)
             AND i.status <> 'draft') THEN
    RAISE EXCEPTION 'the lines of a final invoice cannot change' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN coalesce(NEW, OLD);
END;
$$;--> statement-breakpoint
CREATE TRIGGER invoice_lines_final_frozen BEFORE INSERT OR UPDATE ON billing.invoice_lines
  FOR EACH ROW EXECUTE FUNCTION billing.final_invoice_lines_frozen();
