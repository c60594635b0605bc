CREATE SCHEMA "dietary";
--> statement-breakpoint
CREATE SCHEMA "facilities";
--> statement-breakpoint
CREATE SCHEMA "ipd";
--> statement-breakpoint
CREATE TABLE "dietary"."diet_orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"admission_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"diet" text NOT NULL,
	"npo_from" timestamp with time zone,
	"npo_until" timestamp with time zone,
	"tube_feed_formula" text,
	"tube_feed_volume_ml" integer,
	"tube_feed_times_per_day" integer,
	"instructions" text,
	"allergies" text[] NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	"ordered_by_id" uuid,
	"ordered_by_name" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "diet_orders_diet_ck" CHECK ("dietary"."diet_orders"."diet" in ('normal', 'soft', 'liquid', 'diabetic', 'renal', 'low-salt', 'npo', 'tube-feed')),
	CONSTRAINT "diet_orders_status_ck" CHECK ("dietary"."diet_orders"."status" in ('active', 'replaced', 'stopped')),
	CONSTRAINT "diet_orders_npo_ck" CHECK ("dietary"."diet_orders"."diet" <> 'npo' or ("dietary"."diet_orders"."npo_from" is not null and ("dietary"."diet_orders"."npo_until" is null or "dietary"."diet_orders"."npo_from" < "dietary"."diet_orders"."npo_until"))),
	CONSTRAINT "diet_orders_tube_ck" CHECK ("dietary"."diet_orders"."diet" <> 'tube-feed' or ("dietary"."diet_orders"."tube_feed_formula" is not null and "dietary"."diet_orders"."tube_feed_volume_ml" > 0 and "dietary"."diet_orders"."tube_feed_times_per_day" > 0))
);
--> statement-breakpoint
CREATE TABLE "encounters"."encounter_locations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"encounter_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"display" text NOT NULL,
	"physical_type" text DEFAULT 'bd' NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "encounter_locations_range_ck" CHECK ("encounters"."encounter_locations"."ended_at" is null or "encounters"."encounter_locations"."started_at" <= "encounters"."encounter_locations"."ended_at")
);
--> statement-breakpoint
CREATE TABLE "facilities"."housekeeping_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"priority" text DEFAULT 'routine' NOT NULL,
	"location" text NOT NULL,
	"ward_id" uuid,
	"bed_id" uuid,
	"source_event_id" uuid,
	"note" text,
	"status" text DEFAULT 'open' NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"assigned_to_id" uuid,
	"assigned_to_name" text,
	"assigned_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"finished_by_id" uuid,
	"finished_by_name" text,
	"turnaround_minutes" integer,
	"overdue_alerted_at" timestamp with time zone,
	"cancelled_reason" text,
	"created_by_id" uuid,
	"created_by_name" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "housekeeping_tasks_kind_ck" CHECK ("facilities"."housekeeping_tasks"."kind" in ('bed-cleaning', 'terminal-cleaning', 'spill', 'routine')),
	CONSTRAINT "housekeeping_tasks_priority_ck" CHECK ("facilities"."housekeeping_tasks"."priority" in ('routine', 'urgent')),
	CONSTRAINT "housekeeping_tasks_status_ck" CHECK ("facilities"."housekeeping_tasks"."status" in ('open', 'assigned', 'in-progress', 'done', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "ipd"."admission_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"source" text NOT NULL,
	"source_encounter_id" uuid,
	"priority" text DEFAULT 'routine' NOT NULL,
	"ward_kind" text,
	"bed_category_id" uuid,
	"department_id" uuid,
	"practitioner_id" uuid,
	"practitioner_name" text,
	"reason" text NOT NULL,
	"planned_for" date,
	"status" text DEFAULT 'waiting' NOT NULL,
	"status_reason" text,
	"admission_id" uuid,
	"requested_by_id" uuid,
	"requested_by_name" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "admission_requests_source_ck" CHECK ("ipd"."admission_requests"."source" in ('opd', 'emergency', 'planned', 'direct')),
	CONSTRAINT "admission_requests_priority_ck" CHECK ("ipd"."admission_requests"."priority" in ('routine', 'urgent', 'emergency')),
	CONSTRAINT "admission_requests_status_ck" CHECK ("ipd"."admission_requests"."status" in ('waiting', 'reserved', 'admitted', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "ipd"."admissions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"admission_number" text NOT NULL,
	"patient_id" uuid NOT NULL,
	"encounter_id" uuid NOT NULL,
	"request_id" uuid,
	"source" text NOT NULL,
	"source_encounter_id" uuid,
	"admitting_practitioner_id" uuid,
	"admitting_practitioner_name" text NOT NULL,
	"attending_practitioner_id" uuid,
	"attending_practitioner_name" text NOT NULL,
	"department_id" uuid,
	"reason" text NOT NULL,
	"provisional_diagnosis" text,
	"provisional_diagnosis_code" text,
	"expected_length_of_stay_days" smallint,
	"expected_discharge_date" date,
	"attendant" jsonb,
	"consent" jsonb,
	"payer_category" text NOT NULL,
	"payer_details" jsonb,
	"status" text DEFAULT 'admitted' NOT NULL,
	"admitted_at" timestamp with time zone NOT NULL,
	"admitted_by_id" uuid,
	"admitted_by_name" text NOT NULL,
	"discharge_initiated_at" timestamp with time zone,
	"discharge_type" text,
	"discharged_at" timestamp with time zone,
	"discharged_by_id" uuid,
	"discharged_by_name" text,
	"death_at" timestamp with time zone,
	"death_cause" text,
	"transferred_to" text,
	"cancelled_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "admissions_source_ck" CHECK ("ipd"."admissions"."source" in ('opd', 'emergency', 'planned', 'direct')),
	CONSTRAINT "admissions_payer_ck" CHECK ("ipd"."admissions"."payer_category" in ('cash', 'insurance', 'corporate', 'government-scheme')),
	CONSTRAINT "admissions_status_ck" CHECK ("ipd"."admissions"."status" in ('admitted', 'discharge-initiated', 'discharged', 'cancelled')),
	CONSTRAINT "admissions_discharge_type_ck" CHECK ("ipd"."admissions"."discharge_type" is null or "ipd"."admissions"."discharge_type" in ('normal', 'against-medical-advice', 'absconded', 'transferred', 'death')),
	CONSTRAINT "admissions_discharged_ck" CHECK ("ipd"."admissions"."status" <> 'discharged' or ("ipd"."admissions"."discharged_at" is not null and "ipd"."admissions"."discharge_type" is not null)),
	CONSTRAINT "admissions_death_ck" CHECK ("ipd"."admissions"."discharge_type" is distinct from 'death' or ("ipd"."admissions"."death_at" is not null and "ipd"."admissions"."death_cause" is not null))
);
--> statement-breakpoint
CREATE TABLE "ipd"."bed_categories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"tariff_class" text NOT NULL,
	"intensive_care" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ipd"."bed_occupancies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"admission_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"bed_id" uuid NOT NULL,
	"ward_id" uuid NOT NULL,
	"tariff_class" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"start_reason" text NOT NULL,
	"end_reason" text,
	"note" text,
	"moved_by_id" uuid,
	"moved_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bed_occupancies_range_ck" CHECK ("ipd"."bed_occupancies"."ended_at" is null or "ipd"."bed_occupancies"."started_at" < "ipd"."bed_occupancies"."ended_at"),
	CONSTRAINT "bed_occupancies_start_ck" CHECK ("ipd"."bed_occupancies"."start_reason" in ('admission', 'transfer')),
	CONSTRAINT "bed_occupancies_end_ck" CHECK ("ipd"."bed_occupancies"."end_reason" is null or "ipd"."bed_occupancies"."end_reason" in ('transfer', 'discharge', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "ipd"."bed_reservations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"bed_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"request_id" uuid,
	"from_at" timestamp with time zone NOT NULL,
	"until_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"reason" text,
	"admission_id" uuid,
	"reserved_by_id" uuid,
	"reserved_by_name" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bed_reservations_status_ck" CHECK ("ipd"."bed_reservations"."status" in ('active', 'used', 'released', 'expired')),
	CONSTRAINT "bed_reservations_range_ck" CHECK ("ipd"."bed_reservations"."from_at" < "ipd"."bed_reservations"."until_at")
);
--> statement-breakpoint
CREATE TABLE "ipd"."bed_status_changes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"bed_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text,
	"admission_id" uuid,
	"changed_by_id" uuid,
	"changed_by_name" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ipd"."beds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"ward_id" uuid NOT NULL,
	"room_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"code" text NOT NULL,
	"isolation" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'available' NOT NULL,
	"status_since" timestamp with time zone DEFAULT now() NOT NULL,
	"status_reason" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "beds_status_ck" CHECK ("ipd"."beds"."status" in ('available', 'reserved', 'occupied', 'cleaning', 'maintenance', 'blocked'))
);
--> statement-breakpoint
CREATE TABLE "ipd"."care_plan_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"admission_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"problem" text NOT NULL,
	"goal" text NOT NULL,
	"interventions" text[] NOT NULL,
	"evaluation" text,
	"status" text DEFAULT 'active' NOT NULL,
	"recorded_by_id" uuid,
	"recorded_by_name" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "care_plan_items_status_ck" CHECK ("ipd"."care_plan_items"."status" in ('active', 'resolved', 'entered-in-error'))
);
--> statement-breakpoint
CREATE TABLE "ipd"."clearance_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"item" text NOT NULL,
	"label" text NOT NULL,
	"permission" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ipd"."discharge_clearances" (
	"id" uuid PRIMARY KEY NOT NULL,
	"admission_id" uuid NOT NULL,
	"item" text NOT NULL,
	"label" text NOT NULL,
	"held_by" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"detail" text,
	"cleared_at" timestamp with time zone,
	"cleared_by_id" uuid,
	"cleared_by_name" text,
	"clear_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "discharge_clearances_status_ck" CHECK ("ipd"."discharge_clearances"."status" in ('pending', 'cleared', 'waived'))
);
--> statement-breakpoint
CREATE TABLE "ipd"."early_warning_scores" (
	"id" uuid PRIMARY KEY NOT NULL,
	"admission_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"observation_group_id" uuid NOT NULL,
	"score" smallint NOT NULL,
	"risk" text NOT NULL,
	"parameters" jsonb NOT NULL,
	"missing" text[] NOT NULL,
	"effective_at" timestamp with time zone NOT NULL,
	"escalation" text DEFAULT 'none' NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by_id" uuid,
	"acknowledged_by_name" text,
	"response" text,
	"recorded_by_id" uuid,
	"recorded_by_name" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "early_warning_scores_risk_ck" CHECK ("ipd"."early_warning_scores"."risk" in ('low', 'low-medium', 'medium', 'high')),
	CONSTRAINT "early_warning_scores_escalation_ck" CHECK ("ipd"."early_warning_scores"."escalation" in ('none', 'alerted', 'acknowledged'))
);
--> statement-breakpoint
CREATE TABLE "ipd"."intake_output" (
	"id" uuid PRIMARY KEY NOT NULL,
	"admission_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"route" text NOT NULL,
	"volume_ml" integer NOT NULL,
	"note" text,
	"effective_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'final' NOT NULL,
	"error_reason" text,
	"recorded_by_id" uuid,
	"recorded_by_name" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "intake_output_direction_ck" CHECK ("ipd"."intake_output"."direction" in ('intake', 'output')),
	CONSTRAINT "intake_output_volume_ck" CHECK ("ipd"."intake_output"."volume_ml" >= 0 and "ipd"."intake_output"."volume_ml" <= 20000),
	CONSTRAINT "intake_output_status_ck" CHECK ("ipd"."intake_output"."status" in ('final', 'entered-in-error'))
);
--> statement-breakpoint
CREATE TABLE "ipd"."nursing_notes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"admission_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"shift" text,
	"body" jsonb NOT NULL,
	"effective_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'final' NOT NULL,
	"error_reason" text,
	"recorded_by_id" uuid,
	"recorded_by_name" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "nursing_notes_kind_ck" CHECK ("ipd"."nursing_notes"."kind" in ('note', 'handover')),
	CONSTRAINT "nursing_notes_shift_ck" CHECK ("ipd"."nursing_notes"."shift" is null or "ipd"."nursing_notes"."shift" in ('morning', 'evening', 'night')),
	CONSTRAINT "nursing_notes_status_ck" CHECK ("ipd"."nursing_notes"."status" in ('final', 'entered-in-error'))
);
--> statement-breakpoint
CREATE TABLE "ipd"."nursing_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"admission_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"ward_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"done_at" timestamp with time zone,
	"done_by_id" uuid,
	"done_by_name" text,
	"outcome" text,
	"source_key" text,
	"recorded_by_id" uuid,
	"recorded_by_name" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "nursing_tasks_status_ck" CHECK ("ipd"."nursing_tasks"."status" in ('pending', 'done', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "ipd"."rooms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ward_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ipd"."wards" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"building" text,
	"floor" text,
	"kind" text NOT NULL,
	"department_id" uuid,
	"gender_restriction" text DEFAULT 'any' NOT NULL,
	"min_age_years" smallint,
	"max_age_years" smallint,
	"display_code" text,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wards_kind_ck" CHECK ("ipd"."wards"."kind" in ('general', 'semi-private', 'private', 'icu', 'nicu', 'hdu', 'isolation', 'day-care')),
	CONSTRAINT "wards_gender_ck" CHECK ("ipd"."wards"."gender_restriction" in ('any', 'male', 'female')),
	CONSTRAINT "wards_age_ck" CHECK ("ipd"."wards"."min_age_years" is null or "ipd"."wards"."max_age_years" is null or "ipd"."wards"."min_age_years" <= "ipd"."wards"."max_age_years")
);
--> statement-breakpoint
ALTER TABLE "dietary"."diet_orders" ADD CONSTRAINT "diet_orders_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters"."encounter_locations" ADD CONSTRAINT "encounter_locations_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "encounters"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facilities"."housekeeping_tasks" ADD CONSTRAINT "housekeeping_tasks_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."admission_requests" ADD CONSTRAINT "admission_requests_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."admission_requests" ADD CONSTRAINT "admission_requests_bed_category_id_bed_categories_id_fk" FOREIGN KEY ("bed_category_id") REFERENCES "ipd"."bed_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."admissions" ADD CONSTRAINT "admissions_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."admissions" ADD CONSTRAINT "admissions_request_id_admission_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "ipd"."admission_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."bed_categories" ADD CONSTRAINT "bed_categories_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."bed_occupancies" ADD CONSTRAINT "bed_occupancies_admission_id_admissions_id_fk" FOREIGN KEY ("admission_id") REFERENCES "ipd"."admissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."bed_occupancies" ADD CONSTRAINT "bed_occupancies_bed_id_beds_id_fk" FOREIGN KEY ("bed_id") REFERENCES "ipd"."beds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."bed_occupancies" ADD CONSTRAINT "bed_occupancies_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "ipd"."wards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."bed_reservations" ADD CONSTRAINT "bed_reservations_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."bed_reservations" ADD CONSTRAINT "bed_reservations_bed_id_beds_id_fk" FOREIGN KEY ("bed_id") REFERENCES "ipd"."beds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."bed_reservations" ADD CONSTRAINT "bed_reservations_request_id_admission_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "ipd"."admission_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."bed_status_changes" ADD CONSTRAINT "bed_status_changes_bed_id_beds_id_fk" FOREIGN KEY ("bed_id") REFERENCES "ipd"."beds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."beds" ADD CONSTRAINT "beds_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."beds" ADD CONSTRAINT "beds_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "ipd"."wards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."beds" ADD CONSTRAINT "beds_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "ipd"."rooms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."beds" ADD CONSTRAINT "beds_category_id_bed_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "ipd"."bed_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."care_plan_items" ADD CONSTRAINT "care_plan_items_admission_id_admissions_id_fk" FOREIGN KEY ("admission_id") REFERENCES "ipd"."admissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."clearance_items" ADD CONSTRAINT "clearance_items_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."discharge_clearances" ADD CONSTRAINT "discharge_clearances_admission_id_admissions_id_fk" FOREIGN KEY ("admission_id") REFERENCES "ipd"."admissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."early_warning_scores" ADD CONSTRAINT "early_warning_scores_admission_id_admissions_id_fk" FOREIGN KEY ("admission_id") REFERENCES "ipd"."admissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."intake_output" ADD CONSTRAINT "intake_output_admission_id_admissions_id_fk" FOREIGN KEY ("admission_id") REFERENCES "ipd"."admissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."nursing_notes" ADD CONSTRAINT "nursing_notes_admission_id_admissions_id_fk" FOREIGN KEY ("admission_id") REFERENCES "ipd"."admissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."nursing_tasks" ADD CONSTRAINT "nursing_tasks_admission_id_admissions_id_fk" FOREIGN KEY ("admission_id") REFERENCES "ipd"."admissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."nursing_tasks" ADD CONSTRAINT "nursing_tasks_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "ipd"."wards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."rooms" ADD CONSTRAINT "rooms_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "ipd"."wards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipd"."wards" ADD CONSTRAINT "wards_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "diet_orders_admission_idx" ON "dietary"."diet_orders" USING btree ("admission_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "diet_orders_one_active_uq" ON "dietary"."diet_orders" USING btree ("admission_id") WHERE "dietary"."diet_orders"."status" = 'active';--> statement-breakpoint
CREATE INDEX "diet_orders_facility_active_idx" ON "dietary"."diet_orders" USING btree ("facility_id") WHERE "dietary"."diet_orders"."status" = 'active';--> statement-breakpoint
CREATE INDEX "encounter_locations_encounter_idx" ON "encounters"."encounter_locations" USING btree ("encounter_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "housekeeping_tasks_source_uq" ON "facilities"."housekeeping_tasks" USING btree ("source_event_id");--> statement-breakpoint
CREATE INDEX "housekeeping_tasks_queue_idx" ON "facilities"."housekeeping_tasks" USING btree ("facility_id","status","due_at");--> statement-breakpoint
CREATE INDEX "housekeeping_tasks_assignee_idx" ON "facilities"."housekeeping_tasks" USING btree ("assigned_to_id","status");--> statement-breakpoint
CREATE INDEX "housekeeping_tasks_bed_idx" ON "facilities"."housekeeping_tasks" USING btree ("bed_id","status");--> statement-breakpoint
CREATE INDEX "admission_requests_queue_idx" ON "ipd"."admission_requests" USING btree ("facility_id","status","created_at");--> statement-breakpoint
CREATE INDEX "admission_requests_patient_idx" ON "ipd"."admission_requests" USING btree ("patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "admissions_number_uq" ON "ipd"."admissions" USING btree ("facility_id","admission_number");--> statement-breakpoint
CREATE UNIQUE INDEX "admissions_encounter_uq" ON "ipd"."admissions" USING btree ("encounter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "admissions_open_patient_uq" ON "ipd"."admissions" USING btree ("patient_id") WHERE "ipd"."admissions"."status" in ('admitted', 'discharge-initiated');--> statement-breakpoint
CREATE INDEX "admissions_facility_status_idx" ON "ipd"."admissions" USING btree ("facility_id","status");--> statement-breakpoint
CREATE INDEX "admissions_expected_discharge_idx" ON "ipd"."admissions" USING btree ("facility_id","expected_discharge_date");--> statement-breakpoint
CREATE UNIQUE INDEX "bed_categories_code_uq" ON "ipd"."bed_categories" USING btree ("facility_id","code");--> statement-breakpoint
CREATE INDEX "bed_occupancies_admission_idx" ON "ipd"."bed_occupancies" USING btree ("admission_id","started_at");--> statement-breakpoint
CREATE INDEX "bed_occupancies_open_idx" ON "ipd"."bed_occupancies" USING btree ("bed_id") WHERE "ipd"."bed_occupancies"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "bed_reservations_bed_idx" ON "ipd"."bed_reservations" USING btree ("bed_id","status");--> statement-breakpoint
CREATE INDEX "bed_status_changes_bed_idx" ON "ipd"."bed_status_changes" USING btree ("bed_id","changed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "beds_code_uq" ON "ipd"."beds" USING btree ("ward_id","code");--> statement-breakpoint
CREATE INDEX "beds_facility_status_idx" ON "ipd"."beds" USING btree ("facility_id","status");--> statement-breakpoint
CREATE INDEX "care_plan_items_admission_idx" ON "ipd"."care_plan_items" USING btree ("admission_id");--> statement-breakpoint
CREATE UNIQUE INDEX "clearance_items_uq" ON "ipd"."clearance_items" USING btree ("facility_id","item");--> statement-breakpoint
CREATE UNIQUE INDEX "discharge_clearances_item_uq" ON "ipd"."discharge_clearances" USING btree ("admission_id","item");--> statement-breakpoint
CREATE UNIQUE INDEX "early_warning_scores_group_uq" ON "ipd"."early_warning_scores" USING btree ("observation_group_id");--> statement-breakpoint
CREATE INDEX "early_warning_scores_admission_idx" ON "ipd"."early_warning_scores" USING btree ("admission_id","effective_at");--> statement-breakpoint
CREATE INDEX "early_warning_scores_open_idx" ON "ipd"."early_warning_scores" USING btree ("admission_id") WHERE "ipd"."early_warning_scores"."escalation" = 'alerted';--> statement-breakpoint
CREATE INDEX "intake_output_admission_idx" ON "ipd"."intake_output" USING btree ("admission_id","effective_at");--> statement-breakpoint
CREATE INDEX "nursing_notes_admission_idx" ON "ipd"."nursing_notes" USING btree ("admission_id","effective_at");--> statement-breakpoint
CREATE INDEX "nursing_tasks_ward_idx" ON "ipd"."nursing_tasks" USING btree ("ward_id","status","due_at");--> statement-breakpoint
CREATE INDEX "nursing_tasks_admission_idx" ON "ipd"."nursing_tasks" USING btree ("admission_id");--> statement-breakpoint
CREATE UNIQUE INDEX "nursing_tasks_source_uq" ON "ipd"."nursing_tasks" USING btree ("source_key");--> statement-breakpoint
CREATE UNIQUE INDEX "rooms_code_uq" ON "ipd"."rooms" USING btree ("ward_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "wards_code_uq" ON "ipd"."wards" USING btree ("facility_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "wards_display_code_uq" ON "ipd"."wards" USING btree ("display_code");