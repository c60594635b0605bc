CREATE TABLE "pharmacy"."administrations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"prescription_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"admission_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"scheduled_at" timestamp with time zone,
	"status" text DEFAULT 'due' NOT NULL,
	"recorded_at" timestamp with time zone,
	"recorded_by_id" uuid,
	"recorded_by_name" text,
	"reason" text,
	"prn_indication" text,
	"dose_given" text,
	"wristband_scanned" boolean DEFAULT false NOT NULL,
	"medicine_scanned" text,
	"batch_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "administrations_status_ck" CHECK ("pharmacy"."administrations"."status" in ('due', 'given', 'held', 'refused', 'missed', 'cancelled', 'entered-in-error')),
	CONSTRAINT "administrations_reason_ck" CHECK ("pharmacy"."administrations"."status" not in ('held', 'refused', 'missed', 'cancelled', 'entered-in-error') or "pharmacy"."administrations"."reason" is not null),
	CONSTRAINT "administrations_given_ck" CHECK ("pharmacy"."administrations"."status" <> 'given' or ("pharmacy"."administrations"."wristband_scanned" and "pharmacy"."administrations"."medicine_scanned" is not null and "pharmacy"."administrations"."recorded_at" is not null)),
	CONSTRAINT "administrations_prn_ck" CHECK ("pharmacy"."administrations"."scheduled_at" is not null or "pharmacy"."administrations"."prn_indication" is not null)
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."prescription_alerts" (
	"prescription_id" uuid NOT NULL,
	"alert_key" text NOT NULL,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"rule_id" text NOT NULL,
	"line_nos" integer[] NOT NULL,
	"message" text NOT NULL,
	"detail" jsonb NOT NULL,
	"override_reason" text,
	"overridden_by_name" text,
	"acknowledged_by_name" text,
	"acknowledged_at" timestamp with time zone,
	CONSTRAINT "prescription_alerts_prescription_id_alert_key_pk" PRIMARY KEY("prescription_id","alert_key"),
	CONSTRAINT "prescription_alerts_override_ck" CHECK ("pharmacy"."prescription_alerts"."severity" not in ('contraindicated', 'major') or "pharmacy"."prescription_alerts"."override_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."prescription_items" (
	"prescription_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"formulary_item_id" uuid NOT NULL,
	"brand_id" uuid,
	"ingredients" text[] NOT NULL,
	"dose_amount" numeric(12, 3) NOT NULL,
	"dose_unit" text NOT NULL,
	"route" text NOT NULL,
	"frequency" text NOT NULL,
	"times" text[] NOT NULL,
	"prn_indication" text,
	"max_doses_per_day" integer,
	"duration_days" integer NOT NULL,
	"start_date" date NOT NULL,
	"quantity" integer NOT NULL,
	"dispensed" integer DEFAULT 0 NOT NULL,
	"instructions" text NOT NULL,
	"note" text,
	"status" text DEFAULT 'active' NOT NULL,
	"stopped_at" timestamp with time zone,
	"stop_reason" text,
	"stopped_by_name" text,
	CONSTRAINT "prescription_items_prescription_id_line_no_pk" PRIMARY KEY("prescription_id","line_no"),
	CONSTRAINT "prescription_items_dose_ck" CHECK ("pharmacy"."prescription_items"."dose_amount" > 0),
	CONSTRAINT "prescription_items_frequency_ck" CHECK ("pharmacy"."prescription_items"."frequency" in ('OD', 'BD', 'TDS', 'QID', 'HS', 'SOS', 'STAT', 'CUSTOM')),
	CONSTRAINT "prescription_items_duration_ck" CHECK ("pharmacy"."prescription_items"."duration_days" between 1 and 365),
	CONSTRAINT "prescription_items_quantity_ck" CHECK ("pharmacy"."prescription_items"."quantity" > 0 and "pharmacy"."prescription_items"."dispensed" >= 0 and "pharmacy"."prescription_items"."dispensed" <= "pharmacy"."prescription_items"."quantity"),
	CONSTRAINT "prescription_items_status_ck" CHECK ("pharmacy"."prescription_items"."status" in ('active', 'stopped', 'completed')),
	CONSTRAINT "prescription_items_prn_ck" CHECK ("pharmacy"."prescription_items"."frequency" <> 'SOS' or "pharmacy"."prescription_items"."prn_indication" is not null)
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."prescriptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"number" text NOT NULL,
	"patient_id" uuid NOT NULL,
	"encounter_id" uuid NOT NULL,
	"admission_id" uuid,
	"setting" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"prescriber_id" uuid,
	"prescriber_name" text NOT NULL,
	"prescriber_qualification" text,
	"prescriber_registration" text,
	"notes" text,
	"allergy_state" text NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prescriptions_setting_ck" CHECK ("pharmacy"."prescriptions"."setting" in ('outpatient', 'inpatient')),
	CONSTRAINT "prescriptions_status_ck" CHECK ("pharmacy"."prescriptions"."status" in ('active', 'completed', 'cancelled')),
	CONSTRAINT "prescriptions_inpatient_ck" CHECK (("pharmacy"."prescriptions"."setting" = 'inpatient') = ("pharmacy"."prescriptions"."admission_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "pharmacy"."dispensation_lines" ADD COLUMN "prescription_line_no" integer;--> statement-breakpoint
ALTER TABLE "pharmacy"."administrations" ADD CONSTRAINT "administrations_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."administrations" ADD CONSTRAINT "administrations_prescription_id_prescriptions_id_fk" FOREIGN KEY ("prescription_id") REFERENCES "pharmacy"."prescriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."administrations" ADD CONSTRAINT "administrations_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "pharmacy"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."prescription_alerts" ADD CONSTRAINT "prescription_alerts_prescription_id_prescriptions_id_fk" FOREIGN KEY ("prescription_id") REFERENCES "pharmacy"."prescriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."prescription_items" ADD CONSTRAINT "prescription_items_prescription_id_prescriptions_id_fk" FOREIGN KEY ("prescription_id") REFERENCES "pharmacy"."prescriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."prescription_items" ADD CONSTRAINT "prescription_items_formulary_item_id_formulary_items_id_fk" FOREIGN KEY ("formulary_item_id") REFERENCES "pharmacy"."formulary_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."prescriptions" ADD CONSTRAINT "prescriptions_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "administrations_scheduled_uq" ON "pharmacy"."administrations" USING btree ("prescription_id","line_no","scheduled_at") WHERE "pharmacy"."administrations"."scheduled_at" is not null and "pharmacy"."administrations"."status" <> 'entered-in-error';--> statement-breakpoint
CREATE INDEX "administrations_admission_idx" ON "pharmacy"."administrations" USING btree ("admission_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "administrations_due_idx" ON "pharmacy"."administrations" USING btree ("facility_id","scheduled_at") WHERE "pharmacy"."administrations"."status" = 'due';--> statement-breakpoint
CREATE INDEX "prescription_items_item_idx" ON "pharmacy"."prescription_items" USING btree ("formulary_item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "prescriptions_number_uq" ON "pharmacy"."prescriptions" USING btree ("facility_id","number");--> statement-breakpoint
CREATE INDEX "prescriptions_patient_idx" ON "pharmacy"."prescriptions" USING btree ("patient_id","created_at");--> statement-breakpoint
CREATE INDEX "prescriptions_encounter_idx" ON "pharmacy"."prescriptions" USING btree ("encounter_id");--> statement-breakpoint
CREATE INDEX "prescriptions_queue_idx" ON "pharmacy"."prescriptions" USING btree ("facility_id","setting","created_at") WHERE "pharmacy"."prescriptions"."status" = 'active';
--> statement-breakpoint
-- Clinical orders and the doses given are never deleted: items are stopped, prescriptions cancelled, a wrong
-- dose record struck out (entered-in-error) and recorded again.
CREATE TRIGGER prescriptions_never_deleted BEFORE DELETE ON pharmacy.prescriptions
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER prescription_items_never_deleted BEFORE DELETE ON pharmacy.prescription_items
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER prescription_alerts_never_deleted BEFORE DELETE ON pharmacy.prescription_alerts
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER administrations_never_deleted BEFORE DELETE ON pharmacy.administrations
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();
