-- One patient per bed at any moment, and one bed per admission at any moment: exclusion constraints over
-- the occupancy period [started_at, ended_at) (an open occupancy runs to infinity). However many admissions
-- race for a bed, the second insert of an overlapping period fails with 23P01 (btree_gist, migration 0000).
ALTER TABLE ipd.bed_occupancies ADD CONSTRAINT bed_occupancies_no_double_booking
  EXCLUDE USING gist (bed_id WITH =, tstzrange(started_at, ended_at, '[)') WITH &&);--> statement-breakpoint
ALTER TABLE ipd.bed_occupancies ADD CONSTRAINT bed_occupancies_one_bed_per_admission
  EXCLUDE USING gist (admission_id WITH =, tstzrange(started_at, ended_at, '[)') WITH &&);--> statement-breakpoint
-- Active reservations of one bed never overlap.
ALTER TABLE ipd.bed_reservations ADD CONSTRAINT bed_reservations_no_overlap
  EXCLUDE USING gist (bed_id WITH =, tstzrange(from_at, until_at, '[)') WITH &&) WHERE (status = 'active');--> statement-breakpoint
-- A housekeeping task and a diet order are operational records, the rest is the patient's record: none is
-- ever deleted (they change status). One shared trigger function for every module from here on.
CREATE OR REPLACE FUNCTION platform.refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are never deleted; change their status', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER admissions_never_deleted BEFORE DELETE ON ipd.admissions
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER bed_occupancies_never_deleted BEFORE DELETE ON ipd.bed_occupancies
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER bed_status_changes_never_deleted BEFORE DELETE ON ipd.bed_status_changes
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER early_warning_scores_never_deleted BEFORE DELETE ON ipd.early_warning_scores
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER intake_output_never_deleted BEFORE DELETE ON ipd.intake_output
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER nursing_notes_never_deleted BEFORE DELETE ON ipd.nursing_notes
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER care_plan_items_never_deleted BEFORE DELETE ON ipd.care_plan_items
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER discharge_clearances_never_deleted BEFORE DELETE ON ipd.discharge_clearances
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER encounter_locations_never_deleted BEFORE DELETE ON encounters.encounter_locations
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER diet_orders_never_deleted BEFORE DELETE ON dietary.diet_orders
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER housekeeping_tasks_never_deleted BEFORE DELETE ON facilities.housekeeping_tasks
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();
