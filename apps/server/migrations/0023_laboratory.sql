CREATE SCHEMA "laboratory";
--> statement-breakpoint
CREATE TABLE "laboratory"."delta_rules" (
	"test_code" text PRIMARY KEY NOT NULL,
	"mode" text NOT NULL,
	"threshold" numeric(20, 6) NOT NULL,
	"window_days" integer NOT NULL,
	"source" text NOT NULL,
	"licence" text NOT NULL,
	CONSTRAINT "delta_rules_mode_ck" CHECK ("laboratory"."delta_rules"."mode" in ('absolute', 'percent'))
);
--> statement-breakpoint
CREATE TABLE "laboratory"."panels" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"members" text[] NOT NULL,
	"loinc_code" text,
	"active" boolean DEFAULT true NOT NULL,
	"source" text NOT NULL,
	"licence" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "laboratory"."reference_ranges" (
	"id" uuid PRIMARY KEY NOT NULL,
	"test_code" text NOT NULL,
	"sex" text NOT NULL,
	"age_from_days" integer,
	"age_to_days" integer,
	"low" numeric(20, 6),
	"high" numeric(20, 6),
	"critical_low" numeric(20, 6),
	"critical_high" numeric(20, 6),
	"source" text NOT NULL,
	"licence" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reference_ranges_sex_ck" CHECK ("laboratory"."reference_ranges"."sex" in ('male', 'female', 'any'))
);
--> statement-breakpoint
CREATE TABLE "laboratory"."requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"encounter_id" uuid,
	"admission_id" uuid,
	"order_id" uuid,
	"code" text NOT NULL,
	"display" text NOT NULL,
	"kind" text NOT NULL,
	"priority" text NOT NULL,
	"setting" text NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"note" text,
	"requested_by_id" uuid,
	"requested_by_name" text,
	"requested_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "requests_kind_ck" CHECK ("laboratory"."requests"."kind" in ('test', 'panel')),
	CONSTRAINT "requests_priority_ck" CHECK ("laboratory"."requests"."priority" in ('routine', 'urgent', 'stat')),
	CONSTRAINT "requests_setting_ck" CHECK ("laboratory"."requests"."setting" in ('opd', 'ipd', 'emergency', 'walk-in')),
	CONSTRAINT "requests_status_ck" CHECK ("laboratory"."requests"."status" in ('requested', 'in-progress', 'completed', 'cancelled')),
	CONSTRAINT "requests_cancel_ck" CHECK ("laboratory"."requests"."status" <> 'cancelled' or "laboratory"."requests"."cancel_reason" is not null),
	CONSTRAINT "requests_completed_ck" CHECK ("laboratory"."requests"."status" <> 'completed' or "laboratory"."requests"."completed_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "laboratory"."result_revisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"result_id" uuid NOT NULL,
	"revision_no" integer NOT NULL,
	"previous_value" numeric(20, 6),
	"previous_text" text,
	"previous_culture" jsonb,
	"previous_flag" text,
	"previous_validated_by_name" text,
	"previous_validated_at" timestamp with time zone,
	"reason" text NOT NULL,
	"amended_by_id" uuid,
	"amended_by_name" text NOT NULL,
	"amended_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "laboratory"."results" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"sample_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"test_code" text NOT NULL,
	"test_name" text NOT NULL,
	"loinc_code" text,
	"section" text NOT NULL,
	"result_type" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"numeric_value" numeric(20, 6),
	"text_value" text,
	"culture" jsonb,
	"unit" text,
	"flag" text,
	"critical" boolean DEFAULT false NOT NULL,
	"reference_range" jsonb,
	"delta_flagged" boolean,
	"delta_previous_value" numeric(20, 6),
	"delta_previous_at" timestamp with time zone,
	"comment" text,
	"source" text DEFAULT 'manual' NOT NULL,
	"entered_by_id" uuid,
	"entered_by_name" text,
	"entered_at" timestamp with time zone,
	"validated_by_id" uuid,
	"validated_by_name" text,
	"validated_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "results_status_ck" CHECK ("laboratory"."results"."status" in ('pending', 'entered', 'validated', 'amended', 'cancelled')),
	CONSTRAINT "results_source_ck" CHECK ("laboratory"."results"."source" in ('manual', 'analyzer')),
	CONSTRAINT "results_flag_ck" CHECK ("laboratory"."results"."flag" is null or "laboratory"."results"."flag" in ('LL', 'L', 'N', 'H', 'HH')),
	CONSTRAINT "results_value_ck" CHECK ("laboratory"."results"."status" in ('pending', 'cancelled') or "laboratory"."results"."numeric_value" is not null or "laboratory"."results"."text_value" is not null or "laboratory"."results"."culture" is not null),
	CONSTRAINT "results_validated_ck" CHECK ("laboratory"."results"."status" not in ('validated', 'amended') or ("laboratory"."results"."validated_at" is not null and "laboratory"."results"."validated_by_id" is not null)),
	CONSTRAINT "results_second_person_ck" CHECK ("laboratory"."results"."validated_by_id" is null or "laboratory"."results"."entered_by_id" is null or "laboratory"."results"."validated_by_id" <> "laboratory"."results"."entered_by_id")
);
--> statement-breakpoint
CREATE TABLE "laboratory"."samples" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"accession" text NOT NULL,
	"specimen" text NOT NULL,
	"container" text NOT NULL,
	"test_codes" text[] NOT NULL,
	"status" text DEFAULT 'awaiting-collection' NOT NULL,
	"collected_at" timestamp with time zone,
	"collected_by_id" uuid,
	"collected_by_name" text,
	"received_at" timestamp with time zone,
	"received_by_id" uuid,
	"received_by_name" text,
	"rejected_at" timestamp with time zone,
	"rejected_by_id" uuid,
	"rejected_by_name" text,
	"rejection_reason" text,
	"rejection_note" text,
	"recollection_of" uuid,
	"recollection_sample_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "samples_status_ck" CHECK ("laboratory"."samples"."status" in ('awaiting-collection', 'collected', 'received', 'rejected', 'cancelled')),
	CONSTRAINT "samples_collected_ck" CHECK ("laboratory"."samples"."status" not in ('collected', 'received') or "laboratory"."samples"."collected_at" is not null),
	CONSTRAINT "samples_received_ck" CHECK ("laboratory"."samples"."status" <> 'received' or "laboratory"."samples"."received_at" is not null),
	CONSTRAINT "samples_rejection_ck" CHECK (("laboratory"."samples"."status" = 'rejected') = ("laboratory"."samples"."rejection_reason" is not null) and ("laboratory"."samples"."rejection_reason" is null or "laboratory"."samples"."rejection_reason" in ('haemolysed', 'clotted', 'insufficient', 'mislabelled')))
);
--> statement-breakpoint
CREATE TABLE "laboratory"."tests" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"loinc_code" text,
	"section" text NOT NULL,
	"specimen" text NOT NULL,
	"container" text NOT NULL,
	"result_type" text NOT NULL,
	"unit" text,
	"decimals" integer,
	"tat_minutes_routine" integer NOT NULL,
	"tat_minutes_stat" integer,
	"active" boolean DEFAULT true NOT NULL,
	"source" text NOT NULL,
	"licence" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tests_result_type_ck" CHECK ("laboratory"."tests"."result_type" in ('numeric', 'text', 'coded', 'culture')),
	CONSTRAINT "tests_decimals_ck" CHECK (("laboratory"."tests"."result_type" = 'numeric') = ("laboratory"."tests"."decimals" is not null))
);
--> statement-breakpoint
ALTER TABLE "laboratory"."delta_rules" ADD CONSTRAINT "delta_rules_test_code_tests_code_fk" FOREIGN KEY ("test_code") REFERENCES "laboratory"."tests"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "laboratory"."reference_ranges" ADD CONSTRAINT "reference_ranges_test_code_tests_code_fk" FOREIGN KEY ("test_code") REFERENCES "laboratory"."tests"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "laboratory"."requests" ADD CONSTRAINT "requests_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "laboratory"."result_revisions" ADD CONSTRAINT "result_revisions_result_id_results_id_fk" FOREIGN KEY ("result_id") REFERENCES "laboratory"."results"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "laboratory"."results" ADD CONSTRAINT "results_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "laboratory"."results" ADD CONSTRAINT "results_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "laboratory"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "laboratory"."results" ADD CONSTRAINT "results_sample_id_samples_id_fk" FOREIGN KEY ("sample_id") REFERENCES "laboratory"."samples"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "laboratory"."results" ADD CONSTRAINT "results_test_code_tests_code_fk" FOREIGN KEY ("test_code") REFERENCES "laboratory"."tests"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "laboratory"."samples" ADD CONSTRAINT "samples_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "laboratory"."samples" ADD CONSTRAINT "samples_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "laboratory"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reference_ranges_test_idx" ON "laboratory"."reference_ranges" USING btree ("test_code");--> statement-breakpoint
CREATE UNIQUE INDEX "requests_order_uq" ON "laboratory"."requests" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "requests_patient_idx" ON "laboratory"."requests" USING btree ("patient_id","requested_at");--> statement-breakpoint
CREATE INDEX "requests_encounter_idx" ON "laboratory"."requests" USING btree ("encounter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "result_revisions_uq" ON "laboratory"."result_revisions" USING btree ("result_id","revision_no");--> statement-breakpoint
CREATE UNIQUE INDEX "results_request_test_uq" ON "laboratory"."results" USING btree ("request_id","test_code");--> statement-breakpoint
CREATE INDEX "results_sample_idx" ON "laboratory"."results" USING btree ("sample_id");--> statement-breakpoint
CREATE INDEX "results_patient_test_idx" ON "laboratory"."results" USING btree ("patient_id","test_code");--> statement-breakpoint
CREATE UNIQUE INDEX "samples_accession_uq" ON "laboratory"."samples" USING btree ("facility_id","accession");--> statement-breakpoint
CREATE UNIQUE INDEX "samples_recollection_uq" ON "laboratory"."samples" USING btree ("recollection_of") WHERE "laboratory"."samples"."recollection_of" is not null;--> statement-breakpoint
CREATE INDEX "samples_request_idx" ON "laboratory"."samples" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "samples_queue_idx" ON "laboratory"."samples" USING btree ("facility_id","status");--> statement-breakpoint
CREATE INDEX "tests_loinc_idx" ON "laboratory"."tests" USING btree ("loinc_code");--> statement-breakpoint
CREATE INDEX "tests_name_trgm_idx" ON "laboratory"."tests" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
-- Nothing clinical in the laboratory is deleted: requests are cancelled, samples rejected (with the
-- recollection they asked for) or cancelled, results amended with their previous value kept. Catalog tests
-- and panels are deactivated, never removed (their codes are never reused); reference ranges and delta rules
-- may be replaced by a hospital's own (each result keeps the range it was flagged against).
CREATE TRIGGER tests_never_deleted BEFORE DELETE ON laboratory.tests
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER panels_never_deleted BEFORE DELETE ON laboratory.panels
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER requests_never_deleted BEFORE DELETE ON laboratory.requests
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER samples_never_deleted BEFORE DELETE ON laboratory.samples
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER results_never_deleted BEFORE DELETE ON laboratory.results
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
-- What a released result said before an amendment is history: never changed or removed.
CREATE OR REPLACE FUNCTION laboratory.revisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'result revisions are never changed or deleted'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER result_revisions_append_only BEFORE UPDATE OR DELETE ON laboratory.result_revisions
  FOR EACH ROW EXECUTE FUNCTION laboratory.revisions_append_only();--> statement-breakpoint
CREATE TRIGGER result_revisions_no_truncate BEFORE TRUNCATE ON laboratory.result_revisions
  FOR EACH STATEMENT EXECUTE FUNCTION laboratory.revisions_append_only();
