CREATE SCHEMA "encounters";
--> statement-breakpoint
CREATE TABLE "encounters"."notes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"encounter_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"sections" jsonb NOT NULL,
	"author_id" uuid,
	"author_name" text NOT NULL,
	"signed_at" timestamp with time zone,
	"signed_by_id" uuid,
	"signed_by_name" text,
	"amendment_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notes_status_ck" CHECK ("encounters"."notes"."status" in ('draft', 'signed', 'amended', 'entered-in-error')),
	CONSTRAINT "notes_signed_ck" CHECK ("encounters"."notes"."status" = 'draft' or "encounters"."notes"."signed_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "encounters"."diagnoses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"encounter_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"code" text NOT NULL,
	"system" text NOT NULL,
	"display" text NOT NULL,
	"kind" text NOT NULL,
	"rank" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"note" text,
	"recorded_by_id" uuid,
	"recorded_by_name" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "encounters"."encounters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"patient_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"class" text NOT NULL,
	"status" text NOT NULL,
	"department_id" uuid,
	"practitioner_id" uuid,
	"practitioner_name" text,
	"reason" text,
	"source_type" text,
	"source_id" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"follow_up_date" date,
	"advice" text,
	"referral" text,
	"created_by_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "encounters_class_ck" CHECK ("encounters"."encounters"."class" in ('ambulatory', 'inpatient', 'emergency')),
	CONSTRAINT "encounters_status_ck" CHECK ("encounters"."encounters"."status" in ('planned', 'arrived', 'in-progress', 'finished', 'cancelled', 'entered-in-error'))
);
--> statement-breakpoint
CREATE TABLE "encounters"."icd10_codes" (
	"code" text PRIMARY KEY NOT NULL,
	"system" text NOT NULL,
	"title" text NOT NULL,
	"category" text NOT NULL,
	"chapter" smallint,
	"billable" boolean NOT NULL,
	"search_text" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "encounters"."note_revisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"note_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"sections" jsonb NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"signed_by_name" text NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "encounters"."observations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"encounter_id" uuid,
	"patient_id" uuid NOT NULL,
	"category" text NOT NULL,
	"code" text NOT NULL,
	"system" text DEFAULT 'http://loinc.org' NOT NULL,
	"display" text NOT NULL,
	"value" double precision,
	"value_text" text,
	"unit" text,
	"interpretation" text,
	"status" text DEFAULT 'final' NOT NULL,
	"group_id" uuid,
	"effective_at" timestamp with time zone NOT NULL,
	"recorded_by_id" uuid,
	"recorded_by_name" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "encounters"."orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"encounter_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"category" text NOT NULL,
	"code" text,
	"system" text,
	"display" text NOT NULL,
	"priority" text DEFAULT 'routine' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"note" text,
	"cancel_reason" text,
	"requested_by_id" uuid,
	"requested_by_name" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "encounters"."notes" ADD CONSTRAINT "notes_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "encounters"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters"."diagnoses" ADD CONSTRAINT "diagnoses_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "encounters"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters"."encounters" ADD CONSTRAINT "encounters_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters"."note_revisions" ADD CONSTRAINT "note_revisions_note_id_notes_id_fk" FOREIGN KEY ("note_id") REFERENCES "encounters"."notes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters"."observations" ADD CONSTRAINT "observations_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "encounters"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters"."orders" ADD CONSTRAINT "orders_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "encounters"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notes_encounter_idx" ON "encounters"."notes" USING btree ("encounter_id");--> statement-breakpoint
CREATE INDEX "notes_author_status_idx" ON "encounters"."notes" USING btree ("author_id","status");--> statement-breakpoint
CREATE INDEX "diagnoses_encounter_idx" ON "encounters"."diagnoses" USING btree ("encounter_id");--> statement-breakpoint
CREATE INDEX "diagnoses_patient_idx" ON "encounters"."diagnoses" USING btree ("patient_id","status");--> statement-breakpoint
CREATE INDEX "encounters_patient_idx" ON "encounters"."encounters" USING btree ("patient_id","started_at");--> statement-breakpoint
CREATE INDEX "encounters_practitioner_idx" ON "encounters"."encounters" USING btree ("practitioner_id","started_at");--> statement-breakpoint
CREATE INDEX "encounters_facility_started_idx" ON "encounters"."encounters" USING btree ("facility_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "encounters_source_uq" ON "encounters"."encounters" USING btree ("source_type","source_id");--> statement-breakpoint
CREATE INDEX "icd10_search_trgm" ON "encounters"."icd10_codes" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "note_revisions_uq" ON "encounters"."note_revisions" USING btree ("note_id","revision");--> statement-breakpoint
CREATE INDEX "observations_patient_code_idx" ON "encounters"."observations" USING btree ("patient_id","code","effective_at");--> statement-breakpoint
CREATE INDEX "observations_encounter_idx" ON "encounters"."observations" USING btree ("encounter_id");--> statement-breakpoint
CREATE INDEX "orders_encounter_idx" ON "encounters"."orders" USING btree ("encounter_id");--> statement-breakpoint
CREATE INDEX "orders_facility_category_status_idx" ON "encounters"."orders" USING btree ("facility_id","category","status");