CREATE SCHEMA "radiology";
--> statement-breakpoint
CREATE TABLE "radiology"."bookings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"room_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"booked_by_id" uuid,
	"booked_by_name" text,
	"booked_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_by_id" uuid,
	"ended_by_name" text,
	"end_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bookings_status_ck" CHECK ("radiology"."bookings"."status" in ('active', 'moved', 'cancelled')),
	CONSTRAINT "bookings_period_ck" CHECK ("radiology"."bookings"."ends_at" > "radiology"."bookings"."starts_at"),
	CONSTRAINT "bookings_ended_ck" CHECK (("radiology"."bookings"."status" = 'active') = ("radiology"."bookings"."ended_at" is null))
);
--> statement-breakpoint
CREATE TABLE "radiology"."critical_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"radiology_order_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"encounter_id" uuid,
	"accession" text NOT NULL,
	"procedure_code" text NOT NULL,
	"procedure_name" text NOT NULL,
	"finding" text NOT NULL,
	"category" text NOT NULL,
	"ordering_user_id" uuid,
	"ordering_user_name" text,
	"reported_by_id" uuid,
	"reported_by_name" text,
	"notified_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by_id" uuid,
	"acknowledged_by_name" text,
	"read_back" text,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"escalated_at" timestamp with time zone,
	"escalated_to" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "critical_alerts_category_ck" CHECK ("radiology"."critical_alerts"."category" in ('immediate', 'urgent', 'significant-unexpected')),
	CONSTRAINT "critical_alerts_level_ck" CHECK ("radiology"."critical_alerts"."escalation_level" between 0 and 3),
	CONSTRAINT "critical_alerts_escalated_ck" CHECK (("radiology"."critical_alerts"."escalation_level" = 0) = ("radiology"."critical_alerts"."escalated_at" is null)),
	CONSTRAINT "critical_alerts_ack_ck" CHECK (("radiology"."critical_alerts"."acknowledged_at" is null) = ("radiology"."critical_alerts"."read_back" is null) and ("radiology"."critical_alerts"."acknowledged_at" is null) = ("radiology"."critical_alerts"."acknowledged_by_name" is null))
);
--> statement-breakpoint
CREATE TABLE "radiology"."orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"encounter_id" uuid,
	"admission_id" uuid,
	"order_id" uuid,
	"setting" text NOT NULL,
	"accession" text NOT NULL,
	"procedure_code" text NOT NULL,
	"procedure_name" text NOT NULL,
	"modality" text NOT NULL,
	"body_part" text NOT NULL,
	"laterality" text,
	"contrast" text NOT NULL,
	"priority" text NOT NULL,
	"clinical_indication" text,
	"note" text,
	"status" text DEFAULT 'ordered' NOT NULL,
	"ordered_by_id" uuid,
	"ordered_by_name" text,
	"ordered_at" timestamp with time zone NOT NULL,
	"checklist" jsonb,
	"checklist_by_id" uuid,
	"checklist_by_name" text,
	"checklist_at" timestamp with time zone,
	"arrived_at" timestamp with time zone,
	"arrived_by_id" uuid,
	"arrived_by_name" text,
	"started_at" timestamp with time zone,
	"started_by_id" uuid,
	"started_by_name" text,
	"performed_room_id" uuid,
	"completed_at" timestamp with time zone,
	"completed_by_id" uuid,
	"completed_by_name" text,
	"completion_note" text,
	"cancelled_at" timestamp with time zone,
	"cancelled_by_id" uuid,
	"cancelled_by_name" text,
	"cancel_reason" text,
	"study_instance_uid" text,
	"number_of_images" integer,
	"dlp_mgy_cm" numeric(14, 3),
	"ctdivol_mgy" numeric(14, 3),
	"dap_gy_cm2" numeric(14, 3),
	"fluoroscopy_seconds" numeric(14, 3),
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_setting_ck" CHECK ("radiology"."orders"."setting" in ('opd', 'ipd', 'emergency', 'walk-in')),
	CONSTRAINT "orders_priority_ck" CHECK ("radiology"."orders"."priority" in ('routine', 'urgent', 'stat')),
	CONSTRAINT "orders_laterality_ck" CHECK ("radiology"."orders"."laterality" is null or "radiology"."orders"."laterality" in ('left', 'right', 'bilateral')),
	CONSTRAINT "orders_status_ck" CHECK ("radiology"."orders"."status" in ('ordered', 'scheduled', 'arrived', 'in-progress', 'completed', 'cancelled')),
	CONSTRAINT "orders_arrived_ck" CHECK ("radiology"."orders"."status" not in ('arrived', 'in-progress', 'completed') or "radiology"."orders"."arrived_at" is not null),
	CONSTRAINT "orders_started_ck" CHECK ("radiology"."orders"."status" not in ('in-progress', 'completed') or "radiology"."orders"."started_at" is not null),
	CONSTRAINT "orders_completed_ck" CHECK (("radiology"."orders"."status" = 'completed') = ("radiology"."orders"."completed_at" is not null and "radiology"."orders"."study_instance_uid" is not null)),
	CONSTRAINT "orders_cancelled_ck" CHECK (("radiology"."orders"."status" = 'cancelled') = ("radiology"."orders"."cancelled_at" is not null and "radiology"."orders"."cancel_reason" is not null)),
	CONSTRAINT "orders_study_uid_ck" CHECK ("radiology"."orders"."study_instance_uid" is null or (length("radiology"."orders"."study_instance_uid") <= 64 and "radiology"."orders"."study_instance_uid" ~ '^(0|[1-9][0-9]*)([.](0|[1-9][0-9]*))+$'))
);
--> statement-breakpoint
CREATE TABLE "radiology"."procedures" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"modality" text NOT NULL,
	"body_part" text NOT NULL,
	"laterality_required" boolean NOT NULL,
	"contrast" text NOT NULL,
	"contrast_route" text,
	"duration_minutes" integer NOT NULL,
	"preparation" text,
	"loinc_code" text,
	"radlex_code" text,
	"template_code" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"source" text NOT NULL,
	"licence" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "procedures_modality_ck" CHECK ("radiology"."procedures"."modality" in ('XR', 'CT', 'MR', 'US', 'MG', 'RF')),
	CONSTRAINT "procedures_contrast_ck" CHECK ("radiology"."procedures"."contrast" in ('none', 'optional', 'required')),
	CONSTRAINT "procedures_contrast_route_ck" CHECK (("radiology"."procedures"."contrast" = 'none') = ("radiology"."procedures"."contrast_route" is null) and ("radiology"."procedures"."contrast_route" is null or "radiology"."procedures"."contrast_route" in ('iv', 'oral', 'intracavitary'))),
	CONSTRAINT "procedures_duration_ck" CHECK ("radiology"."procedures"."duration_minutes" between 1 and 480)
);
--> statement-breakpoint
CREATE TABLE "radiology"."report_addenda" (
	"id" uuid PRIMARY KEY NOT NULL,
	"report_id" uuid NOT NULL,
	"text" text NOT NULL,
	"reason" text NOT NULL,
	"added_by_id" uuid,
	"added_by_name" text NOT NULL,
	"added_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "radiology"."report_templates" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"modality" text NOT NULL,
	"technique" text NOT NULL,
	"findings" text NOT NULL,
	"impression" text NOT NULL,
	"source" text NOT NULL,
	"licence" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "radiology"."reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"radiology_order_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"template_code" text NOT NULL,
	"technique" text DEFAULT '' NOT NULL,
	"comparison" text DEFAULT '' NOT NULL,
	"findings" text DEFAULT '' NOT NULL,
	"impression" text DEFAULT '' NOT NULL,
	"created_by_id" uuid,
	"created_by_name" text,
	"updated_by_id" uuid,
	"updated_by_name" text,
	"signed_by_id" uuid,
	"signed_by_name" text,
	"signed_at" timestamp with time zone,
	"critical_finding" text,
	"critical_category" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reports_status_ck" CHECK ("radiology"."reports"."status" in ('draft', 'final', 'amended')),
	CONSTRAINT "reports_signed_ck" CHECK (("radiology"."reports"."status" = 'draft') = ("radiology"."reports"."signed_at" is null) and ("radiology"."reports"."signed_at" is null) = ("radiology"."reports"."signed_by_name" is null)),
	CONSTRAINT "reports_critical_ck" CHECK (("radiology"."reports"."critical_finding" is null) = ("radiology"."reports"."critical_category" is null) and ("radiology"."reports"."critical_category" is null or "radiology"."reports"."critical_category" in ('immediate', 'urgent', 'significant-unexpected')))
);
--> statement-breakpoint
CREATE TABLE "radiology"."rooms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"modality" text NOT NULL,
	"opens_at" text,
	"closes_at" text,
	"ae_title" text,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rooms_modality_ck" CHECK ("radiology"."rooms"."modality" in ('XR', 'CT', 'MR', 'US', 'MG', 'RF')),
	CONSTRAINT "rooms_hours_ck" CHECK (("radiology"."rooms"."opens_at" is null) = ("radiology"."rooms"."closes_at" is null) and ("radiology"."rooms"."opens_at" is null or "radiology"."rooms"."opens_at" < "radiology"."rooms"."closes_at"))
);
--> statement-breakpoint
ALTER TABLE "radiology"."bookings" ADD CONSTRAINT "bookings_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiology"."bookings" ADD CONSTRAINT "bookings_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "radiology"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiology"."bookings" ADD CONSTRAINT "bookings_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "radiology"."rooms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiology"."critical_alerts" ADD CONSTRAINT "critical_alerts_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiology"."critical_alerts" ADD CONSTRAINT "critical_alerts_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "radiology"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiology"."critical_alerts" ADD CONSTRAINT "critical_alerts_radiology_order_id_orders_id_fk" FOREIGN KEY ("radiology_order_id") REFERENCES "radiology"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiology"."orders" ADD CONSTRAINT "orders_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiology"."orders" ADD CONSTRAINT "orders_procedure_code_procedures_code_fk" FOREIGN KEY ("procedure_code") REFERENCES "radiology"."procedures"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiology"."orders" ADD CONSTRAINT "orders_performed_room_id_rooms_id_fk" FOREIGN KEY ("performed_room_id") REFERENCES "radiology"."rooms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiology"."procedures" ADD CONSTRAINT "procedures_template_code_report_templates_code_fk" FOREIGN KEY ("template_code") REFERENCES "radiology"."report_templates"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiology"."report_addenda" ADD CONSTRAINT "report_addenda_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "radiology"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiology"."reports" ADD CONSTRAINT "reports_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiology"."reports" ADD CONSTRAINT "reports_radiology_order_id_orders_id_fk" FOREIGN KEY ("radiology_order_id") REFERENCES "radiology"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiology"."rooms" ADD CONSTRAINT "rooms_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_one_active_per_order_uq" ON "radiology"."bookings" USING btree ("order_id") WHERE "radiology"."bookings"."status" = 'active';--> statement-breakpoint
CREATE INDEX "bookings_room_idx" ON "radiology"."bookings" USING btree ("room_id","starts_at");--> statement-breakpoint
CREATE INDEX "bookings_order_idx" ON "radiology"."bookings" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "critical_alerts_report_uq" ON "radiology"."critical_alerts" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX "critical_alerts_open_idx" ON "radiology"."critical_alerts" USING btree ("facility_id","notified_at") WHERE "radiology"."critical_alerts"."acknowledged_at" is null;--> statement-breakpoint
CREATE INDEX "critical_alerts_ordering_idx" ON "radiology"."critical_alerts" USING btree ("ordering_user_id","notified_at");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_order_uq" ON "radiology"."orders" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_accession_uq" ON "radiology"."orders" USING btree ("facility_id","accession");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_study_uid_uq" ON "radiology"."orders" USING btree ("study_instance_uid");--> statement-breakpoint
CREATE INDEX "orders_patient_idx" ON "radiology"."orders" USING btree ("patient_id","ordered_at");--> statement-breakpoint
CREATE INDEX "orders_encounter_idx" ON "radiology"."orders" USING btree ("encounter_id");--> statement-breakpoint
CREATE INDEX "orders_queue_idx" ON "radiology"."orders" USING btree ("facility_id","status","ordered_at");--> statement-breakpoint
CREATE INDEX "procedures_modality_idx" ON "radiology"."procedures" USING btree ("modality");--> statement-breakpoint
CREATE INDEX "procedures_name_trgm_idx" ON "radiology"."procedures" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "report_addenda_report_idx" ON "radiology"."report_addenda" USING btree ("report_id","added_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_order_uq" ON "radiology"."reports" USING btree ("radiology_order_id");--> statement-breakpoint
CREATE INDEX "reports_patient_idx" ON "radiology"."reports" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "reports_status_idx" ON "radiology"."reports" USING btree ("facility_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "rooms_code_uq" ON "radiology"."rooms" USING btree ("facility_id","code");--> statement-breakpoint
-- No two active bookings of one modality room overlap: an exclusion constraint over [starts_at, ends_at), so
-- that however many front desks race for a slot, the second insert fails with 23P01 (btree_gist, migration
-- 0000).
ALTER TABLE radiology.bookings ADD CONSTRAINT bookings_no_double_booking
  EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (status = 'active');--> statement-breakpoint
-- Nothing clinical in radiology is deleted: orders are cancelled, bookings cancelled or moved, reports signed
-- and then only added to; procedures, templates and rooms are deactivated (their codes are never reused).
CREATE TRIGGER procedures_never_deleted BEFORE DELETE ON radiology.procedures
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER report_templates_never_deleted BEFORE DELETE ON radiology.report_templates
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER rooms_never_deleted BEFORE DELETE ON radiology.rooms
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER orders_never_deleted BEFORE DELETE ON radiology.orders
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER bookings_never_deleted BEFORE DELETE ON radiology.bookings
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER reports_never_deleted BEFORE DELETE ON radiology.reports
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER critical_alerts_never_deleted BEFORE DELETE ON radiology.critical_alerts
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
-- A signed report is a medico-legal record: its text, its signature and its critical finding never change.
-- The only change allowed after sign-off is final -> amended when an addendum is added (with the version and
-- updated_at that go with it).
CREATE OR REPLACE FUNCTION radiology.signed_report_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status IN ('final', 'amended') AND (
    NEW.status NOT IN ('final', 'amended')
    OR (OLD.status = 'amended' AND NEW.status <> 'amended')
    OR NEW.facility_id IS DISTINCT FROM OLD.facility_id
    OR NEW.radiology_order_id IS DISTINCT FROM OLD.radiology_order_id
    OR NEW.patient_id IS DISTINCT FROM OLD.patient_id
    OR NEW.template_code IS DISTINCT FROM OLD.template_code
    OR NEW.technique IS DISTINCT FROM OLD.technique
    OR NEW.comparison IS DISTINCT FROM OLD.comparison
    OR NEW.findings IS DISTINCT FROM OLD.findings
    OR NEW.impression IS DISTINCT FROM OLD.impression
    OR NEW.created_by_id IS DISTINCT FROM OLD.created_by_id
    OR NEW.created_by_name IS DISTINCT FROM OLD.created_by_name
    OR NEW.signed_by_id IS DISTINCT FROM OLD.signed_by_id
    OR NEW.signed_by_name IS DISTINCT FROM OLD.signed_by_name
    OR NEW.signed_at IS DISTINCT FROM OLD.signed_at
    OR NEW.critical_finding IS DISTINCT FROM OLD.critical_finding
    OR NEW.critical_category IS DISTINCT FROM OLD.critical_category
    OR NEW.created_at IS DISTINCT FROM OLD.created_at
  ) THEN
    RAISE EXCEPTION 'a signed radiology report is never changed: add an addendum'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER reports_frozen_when_signed BEFORE UPDATE ON radiology.reports
  FOR EACH ROW EXECUTE FUNCTION radiology.signed_report_frozen();--> statement-breakpoint
-- Addenda are history: never changed or removed.
CREATE OR REPLACE FUNCTION radiology.addenda_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'report addenda are never changed or deleted'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER report_addenda_append_only BEFORE UPDATE OR DELETE ON radiology.report_addenda
  FOR EACH ROW EXECUTE FUNCTION radiology.addenda_append_only();--> statement-breakpoint
CREATE TRIGGER report_addenda_no_truncate BEFORE TRUNCATE ON radiology.report_addenda
  FOR EACH STATEMENT EXECUTE FUNCTION radiology.addenda_append_only();
