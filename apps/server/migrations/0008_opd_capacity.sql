-- OPD capacity: slots.booked counts the appointments holding a slot (every status but 'cancelled'), kept by
-- this trigger in the booking's own transaction. CHECK (booked <= capacity) on opd.slots then refuses the
-- booking that would overfill a slot, however many bookings race: the UPDATE takes the slot's row lock, the
-- next booking waits for it and re-checks against the committed count. A slot that is not open takes none.
CREATE OR REPLACE FUNCTION opd.appointments_hold_capacity() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  held_before boolean := TG_OP = 'UPDATE' AND OLD.status <> 'cancelled';
  held_after boolean := NEW.status <> 'cancelled';
  moved boolean := TG_OP = 'UPDATE' AND NEW.slot_id IS DISTINCT FROM OLD.slot_id;
BEGIN
  IF held_before AND (NOT held_after OR moved) THEN
    UPDATE opd.slots SET booked = booked - 1 WHERE id = OLD.slot_id;
  END IF;
  IF held_after AND (NOT held_before OR moved) THEN
    UPDATE opd.slots SET booked = booked + 1 WHERE id = NEW.slot_id AND status = 'open';
    IF NOT FOUND THEN
      RAISE EXCEPTION 'slot % is not open for booking', NEW.slot_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'slots_open_ck', TABLE = 'slots', SCHEMA = 'opd';
    END IF;
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER appointments_hold_capacity AFTER INSERT OR UPDATE OF status, slot_id ON opd.appointments
  FOR EACH ROW EXECUTE FUNCTION opd.appointments_hold_capacity();--> statement-breakpoint
-- Appointments are part of the patient's record: they change status, they are never deleted.
CREATE OR REPLACE FUNCTION opd.refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are never deleted; change their status', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER appointments_never_deleted BEFORE DELETE ON opd.appointments
  FOR EACH ROW EXECUTE FUNCTION opd.refuse_delete();--> statement-breakpoint
CREATE TRIGGER tokens_never_deleted BEFORE DELETE ON opd.tokens
  FOR EACH ROW EXECUTE FUNCTION opd.refuse_delete();
