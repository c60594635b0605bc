CREATE SCHEMA "opd";
--> statement-breakpoint
CREATE TABLE "opd"."appointments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"practitioner_id" uuid NOT NULL,
	"slot_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"room_id" uuid NOT NULL,
	"date" date NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'booked' NOT NULL,
	"source" text NOT NULL,
	"reason" text,
	"fee_kind" text NOT NULL,
	"fee" bigint NOT NULL,
	"currency" text NOT NULL,
	"follow_up_of_encounter_id" uuid,
	"cancel_reason" text,
	"cancelled_by_session" boolean DEFAULT false NOT NULL,
	"cancelled_at" timestamp with time zone,
	"token_id" uuid,
	"booked_by_id" uuid,
	"arrived_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appointments_status_ck" CHECK ("opd"."appointments"."status" in ('booked', 'arrived', 'completed', 'cancelled', 'no-show')),
	CONSTRAINT "appointments_source_ck" CHECK ("opd"."appointments"."source" in ('front-desk', 'call-centre', 'follow-up')),
	CONSTRAINT "appointments_fee_kind_ck" CHECK ("opd"."appointments"."fee_kind" in ('first-visit', 'follow-up'))
);
--> statement-breakpoint
CREATE TABLE "opd"."settings" (
	"facility_id" uuid PRIMARY KEY NOT NULL,
	"priority_kinds" text[] NOT NULL,
	"elderly_age" smallint NOT NULL,
	"booking_window_days" smallint NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opd"."practitioners" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"display_name" text NOT NULL,
	"department_id" uuid NOT NULL,
	"specialty" text NOT NULL,
	"registration_council" text,
	"registration_number" text,
	"qualifications" text[] NOT NULL,
	"languages" text[] NOT NULL,
	"first_visit_fee" bigint NOT NULL,
	"follow_up_fee" bigint NOT NULL,
	"follow_up_within_days" smallint NOT NULL,
	"token_prefix" text,
	"active" boolean DEFAULT true NOT NULL,
	"slots_through" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "practitioners_fees_ck" CHECK ("opd"."practitioners"."first_visit_fee" >= 0 and "opd"."practitioners"."follow_up_fee" >= 0)
);
--> statement-breakpoint
CREATE TABLE "opd"."rooms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"department_id" uuid NOT NULL,
	"name" text NOT NULL,
	"board_code" text NOT NULL,
	"show_initials" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opd"."schedule_exceptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"practitioner_id" uuid,
	"kind" text NOT NULL,
	"date_from" date NOT NULL,
	"date_to" date NOT NULL,
	"reason" text NOT NULL,
	"room_id" uuid,
	"start_time" time,
	"end_time" time,
	"slot_minutes" smallint,
	"patients_per_slot" smallint,
	"walk_in_quota" smallint,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedule_exceptions_kind_ck" CHECK ("opd"."schedule_exceptions"."kind" in ('leave', 'holiday', 'extra-session')),
	CONSTRAINT "schedule_exceptions_status_ck" CHECK ("opd"."schedule_exceptions"."status" in ('active', 'withdrawn')),
	CONSTRAINT "schedule_exceptions_dates_ck" CHECK ("opd"."schedule_exceptions"."date_to" >= "opd"."schedule_exceptions"."date_from"),
	CONSTRAINT "schedule_exceptions_extra_ck" CHECK (("opd"."schedule_exceptions"."kind" = 'extra-session') = ("opd"."schedule_exceptions"."room_id" is not null and "opd"."schedule_exceptions"."start_time" is not null and "opd"."schedule_exceptions"."end_time" is not null and "opd"."schedule_exceptions"."slot_minutes" is not null and "opd"."schedule_exceptions"."patients_per_slot" is not null))
);
--> statement-breakpoint
CREATE TABLE "opd"."schedule_templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"practitioner_id" uuid NOT NULL,
	"room_id" uuid NOT NULL,
	"weekday" smallint NOT NULL,
	"start_time" time NOT NULL,
	"end_time" time NOT NULL,
	"slot_minutes" smallint NOT NULL,
	"patients_per_slot" smallint NOT NULL,
	"walk_in_quota" smallint DEFAULT 0 NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedule_templates_weekday_ck" CHECK ("opd"."schedule_templates"."weekday" between 1 and 7),
	CONSTRAINT "schedule_templates_times_ck" CHECK ("opd"."schedule_templates"."end_time" > "opd"."schedule_templates"."start_time"),
	CONSTRAINT "schedule_templates_slot_ck" CHECK ("opd"."schedule_templates"."slot_minutes" between 5 and 240 and "opd"."schedule_templates"."patients_per_slot" >= 1),
	CONSTRAINT "schedule_templates_validity_ck" CHECK ("opd"."schedule_templates"."valid_to" is null or "opd"."schedule_templates"."valid_to" >= "opd"."schedule_templates"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "opd"."sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"practitioner_id" uuid NOT NULL,
	"room_id" uuid NOT NULL,
	"schedule_id" uuid,
	"exception_id" uuid,
	"date" date NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"slot_minutes" smallint NOT NULL,
	"patients_per_slot" smallint NOT NULL,
	"walk_in_quota" smallint NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"cancel_reason" text,
	"cancelled_by_exception_id" uuid,
	"cancelled_at" timestamp with time zone,
	"cancelled_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sessions_status_ck" CHECK ("opd"."sessions"."status" in ('open', 'cancelled', 'superseded')),
	CONSTRAINT "sessions_source_ck" CHECK (("opd"."sessions"."schedule_id" is null) <> ("opd"."sessions"."exception_id" is null)),
	CONSTRAINT "sessions_times_ck" CHECK ("opd"."sessions"."ends_at" > "opd"."sessions"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "opd"."slots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"practitioner_id" uuid NOT NULL,
	"room_id" uuid NOT NULL,
	"date" date NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" smallint NOT NULL,
	"booked" smallint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	CONSTRAINT "slots_capacity_ck" CHECK ("opd"."slots"."booked" >= 0 and "opd"."slots"."booked" <= "opd"."slots"."capacity"),
	CONSTRAINT "slots_status_ck" CHECK ("opd"."slots"."status" in ('open', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "opd"."tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"practitioner_id" uuid NOT NULL,
	"room_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"date" date NOT NULL,
	"number" integer NOT NULL,
	"label" text NOT NULL,
	"patient_id" uuid NOT NULL,
	"appointment_id" uuid,
	"kind" text NOT NULL,
	"priorities" text[] NOT NULL,
	"priority_rank" smallint NOT NULL,
	"status" text DEFAULT 'waiting' NOT NULL,
	"arrived_at" timestamp with time zone NOT NULL,
	"queued_at" timestamp with time zone NOT NULL,
	"appointment_at" timestamp with time zone,
	"first_called_at" timestamp with time zone,
	"called_at" timestamp with time zone,
	"call_count" smallint DEFAULT 0 NOT NULL,
	"consultation_started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"skipped_at" timestamp with time zone,
	"transferred_to_token_id" uuid,
	"transferred_from_token_id" uuid,
	"transfer_reason" text,
	"encounter_id" uuid,
	"fee_kind" text NOT NULL,
	"issued_by_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tokens_status_ck" CHECK ("opd"."tokens"."status" in ('waiting', 'called', 'in-consultation', 'completed', 'skipped', 'transferred')),
	CONSTRAINT "tokens_kind_ck" CHECK ("opd"."tokens"."kind" in ('appointment', 'walk-in', 'transfer')),
	CONSTRAINT "tokens_priority_rank_ck" CHECK ("opd"."tokens"."priority_rank" between 0 and 2),
	CONSTRAINT "tokens_number_ck" CHECK ("opd"."tokens"."number" >= 1)
);
--> statement-breakpoint
ALTER TABLE "opd"."appointments" ADD CONSTRAINT "appointments_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."appointments" ADD CONSTRAINT "appointments_practitioner_id_practitioners_id_fk" FOREIGN KEY ("practitioner_id") REFERENCES "opd"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."appointments" ADD CONSTRAINT "appointments_slot_id_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "opd"."slots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."appointments" ADD CONSTRAINT "appointments_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "opd"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."appointments" ADD CONSTRAINT "appointments_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "opd"."rooms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."settings" ADD CONSTRAINT "settings_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."practitioners" ADD CONSTRAINT "practitioners_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."rooms" ADD CONSTRAINT "rooms_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."schedule_exceptions" ADD CONSTRAINT "schedule_exceptions_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."schedule_exceptions" ADD CONSTRAINT "schedule_exceptions_practitioner_id_practitioners_id_fk" FOREIGN KEY ("practitioner_id") REFERENCES "opd"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."schedule_exceptions" ADD CONSTRAINT "schedule_exceptions_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "opd"."rooms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."schedule_templates" ADD CONSTRAINT "schedule_templates_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."schedule_templates" ADD CONSTRAINT "schedule_templates_practitioner_id_practitioners_id_fk" FOREIGN KEY ("practitioner_id") REFERENCES "opd"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."schedule_templates" ADD CONSTRAINT "schedule_templates_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "opd"."rooms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."sessions" ADD CONSTRAINT "sessions_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."sessions" ADD CONSTRAINT "sessions_practitioner_id_practitioners_id_fk" FOREIGN KEY ("practitioner_id") REFERENCES "opd"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."sessions" ADD CONSTRAINT "sessions_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "opd"."rooms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."sessions" ADD CONSTRAINT "sessions_schedule_id_schedule_templates_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "opd"."schedule_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."sessions" ADD CONSTRAINT "sessions_exception_id_schedule_exceptions_id_fk" FOREIGN KEY ("exception_id") REFERENCES "opd"."schedule_exceptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."slots" ADD CONSTRAINT "slots_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."slots" ADD CONSTRAINT "slots_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "opd"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."slots" ADD CONSTRAINT "slots_practitioner_id_practitioners_id_fk" FOREIGN KEY ("practitioner_id") REFERENCES "opd"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."slots" ADD CONSTRAINT "slots_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "opd"."rooms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."tokens" ADD CONSTRAINT "tokens_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."tokens" ADD CONSTRAINT "tokens_practitioner_id_practitioners_id_fk" FOREIGN KEY ("practitioner_id") REFERENCES "opd"."practitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."tokens" ADD CONSTRAINT "tokens_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "opd"."rooms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."tokens" ADD CONSTRAINT "tokens_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "opd"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opd"."tokens" ADD CONSTRAINT "tokens_appointment_id_appointments_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "opd"."appointments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appointments_practitioner_date_idx" ON "opd"."appointments" USING btree ("practitioner_id","date","starts_at");--> statement-breakpoint
CREATE INDEX "appointments_facility_date_idx" ON "opd"."appointments" USING btree ("facility_id","date","starts_at");--> statement-breakpoint
CREATE INDEX "appointments_patient_idx" ON "opd"."appointments" USING btree ("patient_id","starts_at");--> statement-breakpoint
CREATE INDEX "appointments_slot_idx" ON "opd"."appointments" USING btree ("slot_id");--> statement-breakpoint
CREATE INDEX "appointments_session_idx" ON "opd"."appointments" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_patient_practitioner_day_uq" ON "opd"."appointments" USING btree ("patient_id","practitioner_id","date") WHERE "opd"."appointments"."status" in ('booked', 'arrived');--> statement-breakpoint
CREATE UNIQUE INDEX "practitioners_facility_user_uq" ON "opd"."practitioners" USING btree ("facility_id","user_id");--> statement-breakpoint
CREATE INDEX "practitioners_facility_department_idx" ON "opd"."practitioners" USING btree ("facility_id","department_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rooms_board_code_uq" ON "opd"."rooms" USING btree ("board_code");--> statement-breakpoint
CREATE UNIQUE INDEX "rooms_facility_name_uq" ON "opd"."rooms" USING btree ("facility_id","name");--> statement-breakpoint
CREATE INDEX "schedule_exceptions_facility_dates_idx" ON "opd"."schedule_exceptions" USING btree ("facility_id","date_from","date_to");--> statement-breakpoint
CREATE INDEX "schedule_exceptions_practitioner_idx" ON "opd"."schedule_exceptions" USING btree ("practitioner_id","date_from");--> statement-breakpoint
CREATE INDEX "schedule_templates_practitioner_idx" ON "opd"."schedule_templates" USING btree ("practitioner_id");--> statement-breakpoint
CREATE INDEX "sessions_practitioner_date_idx" ON "opd"."sessions" USING btree ("practitioner_id","date");--> statement-breakpoint
CREATE INDEX "sessions_room_date_idx" ON "opd"."sessions" USING btree ("room_id","date");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_schedule_date_uq" ON "opd"."sessions" USING btree ("schedule_id","date") WHERE "opd"."sessions"."status" <> 'superseded' and "opd"."sessions"."schedule_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_exception_date_uq" ON "opd"."sessions" USING btree ("exception_id","date") WHERE "opd"."sessions"."status" <> 'superseded' and "opd"."sessions"."exception_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "slots_session_start_uq" ON "opd"."slots" USING btree ("session_id","starts_at");--> statement-breakpoint
CREATE INDEX "slots_practitioner_start_idx" ON "opd"."slots" USING btree ("practitioner_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tokens_practitioner_day_number_uq" ON "opd"."tokens" USING btree ("practitioner_id","date","number");--> statement-breakpoint
CREATE UNIQUE INDEX "tokens_appointment_uq" ON "opd"."tokens" USING btree ("appointment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tokens_patient_practitioner_day_uq" ON "opd"."tokens" USING btree ("patient_id","practitioner_id","date") WHERE "opd"."tokens"."status" in ('waiting', 'called', 'in-consultation', 'skipped');--> statement-breakpoint
CREATE INDEX "tokens_queue_idx" ON "opd"."tokens" USING btree ("practitioner_id","date","status","priority_rank","queued_at");--> statement-breakpoint
CREATE INDEX "tokens_room_day_idx" ON "opd"."tokens" USING btree ("room_id","date","status");--> statement-breakpoint
CREATE INDEX "tokens_facility_day_idx" ON "opd"."tokens" USING btree ("facility_id","date");--> statement-breakpoint
CREATE INDEX "tokens_session_kind_idx" ON "opd"."tokens" USING btree ("session_id","kind");--> statement-breakpoint
CREATE INDEX "tokens_patient_practitioner_seen_idx" ON "opd"."tokens" USING btree ("patient_id","practitioner_id","consultation_started_at");