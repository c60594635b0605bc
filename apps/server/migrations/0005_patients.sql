CREATE SCHEMA "patients";
--> statement-breakpoint
CREATE TABLE "patients"."alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"severity" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"recorded_by_id" uuid,
	"recorded_by_name" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patients"."allergies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"patient_id" uuid NOT NULL,
	"category" text NOT NULL,
	"substance" text NOT NULL,
	"code" text,
	"reaction" text,
	"severity" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"note" text,
	"recorded_by_id" uuid,
	"recorded_by_name" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "allergies_status_ck" CHECK ("patients"."allergies"."status" in ('active', 'inactive', 'resolved', 'entered-in-error'))
);
--> statement-breakpoint
CREATE TABLE "patients"."duplicate_reviews" (
	"id" uuid PRIMARY KEY NOT NULL,
	"patient_a" uuid NOT NULL,
	"patient_b" uuid NOT NULL,
	"score" real NOT NULL,
	"reasons" text[] NOT NULL,
	"source" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by_name" text,
	CONSTRAINT "duplicate_reviews_order_ck" CHECK ("patients"."duplicate_reviews"."patient_a" < "patients"."duplicate_reviews"."patient_b")
);
--> statement-breakpoint
CREATE TABLE "patients"."merges" (
	"id" uuid PRIMARY KEY NOT NULL,
	"survivor_id" uuid NOT NULL,
	"merged_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"moved" jsonb NOT NULL,
	"survivor_snapshot" jsonb NOT NULL,
	"merged_snapshot" jsonb NOT NULL,
	"merged_by_id" uuid,
	"merged_by_name" text NOT NULL,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patients"."mrn_formats" (
	"facility_id" uuid PRIMARY KEY NOT NULL,
	"format" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patients"."consents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"granted" boolean NOT NULL,
	"recorded_by_id" uuid,
	"recorded_by_name" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patients"."contacts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"relationship" text NOT NULL,
	"phone" text,
	"address" text,
	"position" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patients"."identifiers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"patient_id" uuid NOT NULL,
	"type" text NOT NULL,
	"value_encrypted" text NOT NULL,
	"value_hash" text NOT NULL,
	"display" text NOT NULL,
	"issuer" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patients"."phones" (
	"id" uuid PRIMARY KEY NOT NULL,
	"patient_id" uuid NOT NULL,
	"number" text NOT NULL,
	"last_digits" text NOT NULL,
	"kind" text DEFAULT 'mobile' NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patients"."photos" (
	"patient_id" uuid PRIMARY KEY NOT NULL,
	"content_type" text NOT NULL,
	"data" "bytea" NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patients"."versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"patient_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"action" text NOT NULL,
	"fields" text[] NOT NULL,
	"snapshot" jsonb NOT NULL,
	"reason" text,
	"changed_by_id" uuid,
	"changed_by_name" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patients"."patients" (
	"id" uuid PRIMARY KEY NOT NULL,
	"mrn" text NOT NULL,
	"facility_id" uuid NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"merged_into_id" uuid,
	"given" text,
	"middle" text,
	"family" text,
	"display_name" text NOT NULL,
	"search_name" text NOT NULL,
	"phonetic_keys" text[] NOT NULL,
	"sex" text NOT NULL,
	"birth_date" date,
	"birth_date_estimated" boolean DEFAULT false NOT NULL,
	"birth_year" smallint,
	"email" text,
	"address_line" text,
	"locality" text,
	"district" text,
	"state" text,
	"postal_code" text,
	"country" text,
	"preferred_language" text,
	"marital_status" text,
	"occupation" text,
	"blood_group" text,
	"unidentified" boolean DEFAULT false NOT NULL,
	"has_photo" boolean DEFAULT false NOT NULL,
	"no_known_allergies_at" timestamp with time zone,
	"no_known_allergies_by" text,
	"duplicate_reason" text,
	"last_visit_at" timestamp with time zone,
	"created_by_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "patients_status_ck" CHECK ("patients"."patients"."status" in ('active', 'merged', 'inactive')),
	CONSTRAINT "patients_sex_ck" CHECK ("patients"."patients"."sex" in ('male', 'female', 'other', 'unknown')),
	CONSTRAINT "patients_merged_ck" CHECK (("patients"."patients"."status" = 'merged') = ("patients"."patients"."merged_into_id" is not null) and "patients"."patients"."merged_into_id" is distinct from "patients"."patients"."id")
);
--> statement-breakpoint
ALTER TABLE "patients"."alerts" ADD CONSTRAINT "alerts_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "patients"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients"."allergies" ADD CONSTRAINT "allergies_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "patients"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients"."duplicate_reviews" ADD CONSTRAINT "duplicate_reviews_patient_a_patients_id_fk" FOREIGN KEY ("patient_a") REFERENCES "patients"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients"."duplicate_reviews" ADD CONSTRAINT "duplicate_reviews_patient_b_patients_id_fk" FOREIGN KEY ("patient_b") REFERENCES "patients"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients"."merges" ADD CONSTRAINT "merges_survivor_id_patients_id_fk" FOREIGN KEY ("survivor_id") REFERENCES "patients"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients"."merges" ADD CONSTRAINT "merges_merged_id_patients_id_fk" FOREIGN KEY ("merged_id") REFERENCES "patients"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients"."mrn_formats" ADD CONSTRAINT "mrn_formats_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients"."consents" ADD CONSTRAINT "consents_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "patients"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients"."contacts" ADD CONSTRAINT "contacts_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "patients"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients"."identifiers" ADD CONSTRAINT "identifiers_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "patients"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients"."phones" ADD CONSTRAINT "phones_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "patients"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients"."photos" ADD CONSTRAINT "photos_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "patients"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients"."versions" ADD CONSTRAINT "versions_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "patients"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients"."patients" ADD CONSTRAINT "patients_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alerts_patient_idx" ON "patients"."alerts" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "allergies_patient_idx" ON "patients"."allergies" USING btree ("patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "duplicate_reviews_pair_uq" ON "patients"."duplicate_reviews" USING btree ("patient_a","patient_b");--> statement-breakpoint
CREATE INDEX "duplicate_reviews_status_idx" ON "patients"."duplicate_reviews" USING btree ("status","id");--> statement-breakpoint
CREATE UNIQUE INDEX "merges_merged_uq" ON "patients"."merges" USING btree ("merged_id");--> statement-breakpoint
CREATE INDEX "consents_patient_idx" ON "patients"."consents" USING btree ("patient_id","kind","recorded_at");--> statement-breakpoint
CREATE INDEX "contacts_patient_idx" ON "patients"."contacts" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "identifiers_hash_idx" ON "patients"."identifiers" USING btree ("value_hash");--> statement-breakpoint
CREATE INDEX "identifiers_patient_idx" ON "patients"."identifiers" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "phones_last_digits_idx" ON "patients"."phones" USING btree ("last_digits");--> statement-breakpoint
CREATE INDEX "phones_patient_idx" ON "patients"."phones" USING btree ("patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "versions_patient_version_uq" ON "patients"."versions" USING btree ("patient_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "patients_mrn_uq" ON "patients"."patients" USING btree ("mrn");--> statement-breakpoint
CREATE INDEX "patients_search_name_trgm" ON "patients"."patients" USING gin ("search_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "patients_phonetic_keys_gin" ON "patients"."patients" USING gin ("phonetic_keys");--> statement-breakpoint
CREATE INDEX "patients_merged_into_idx" ON "patients"."patients" USING btree ("merged_into_id");