CREATE TABLE "ipd"."spo2_scale_decisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"admission_id" uuid NOT NULL,
	"scale" smallint NOT NULL,
	"reason" text NOT NULL,
	"decided_by_id" uuid,
	"decided_by_name" text NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "spo2_scale_decisions_scale_ck" CHECK ("ipd"."spo2_scale_decisions"."scale" in (1, 2))
);
--> statement-breakpoint
ALTER TABLE "ipd"."spo2_scale_decisions" ADD CONSTRAINT "spo2_scale_decisions_admission_id_admissions_id_fk" FOREIGN KEY ("admission_id") REFERENCES "ipd"."admissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "spo2_scale_decisions_admission_idx" ON "ipd"."spo2_scale_decisions" USING btree ("admission_id","decided_at");--> statement-breakpoint
CREATE TRIGGER spo2_scale_decisions_refuse_delete BEFORE DELETE ON ipd.spo2_scale_decisions
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();
