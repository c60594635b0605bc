CREATE TABLE "laboratory"."analyzer_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"sending_application" text NOT NULL,
	"control_id" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"filed" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "laboratory"."critical_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"result_id" uuid NOT NULL,
	"revision_no" integer NOT NULL,
	"request_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"encounter_id" uuid,
	"test_code" text NOT NULL,
	"test_name" text NOT NULL,
	"value" numeric(20, 6) NOT NULL,
	"unit" text,
	"flag" text NOT NULL,
	"ordering_user_id" uuid,
	"ordering_user_name" text,
	"validated_by_id" uuid,
	"validated_by_name" text,
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
	CONSTRAINT "critical_alerts_flag_ck" CHECK ("laboratory"."critical_alerts"."flag" in ('LL', 'HH')),
	CONSTRAINT "critical_alerts_level_ck" CHECK ("laboratory"."critical_alerts"."escalation_level" between 0 and 3),
	CONSTRAINT "critical_alerts_escalated_ck" CHECK (("laboratory"."critical_alerts"."escalation_level" = 0) = ("laboratory"."critical_alerts"."escalated_at" is null)),
	CONSTRAINT "critical_alerts_ack_ck" CHECK (("laboratory"."critical_alerts"."acknowledged_at" is null) = ("laboratory"."critical_alerts"."read_back" is null) and ("laboratory"."critical_alerts"."acknowledged_at" is null) = ("laboratory"."critical_alerts"."acknowledged_by_name" is null))
);
--> statement-breakpoint
ALTER TABLE "laboratory"."analyzer_messages" ADD CONSTRAINT "analyzer_messages_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "laboratory"."critical_alerts" ADD CONSTRAINT "critical_alerts_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "laboratory"."critical_alerts" ADD CONSTRAINT "critical_alerts_result_id_results_id_fk" FOREIGN KEY ("result_id") REFERENCES "laboratory"."results"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "laboratory"."critical_alerts" ADD CONSTRAINT "critical_alerts_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "laboratory"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "analyzer_messages_uq" ON "laboratory"."analyzer_messages" USING btree ("sending_application","control_id");--> statement-breakpoint
CREATE UNIQUE INDEX "critical_alerts_result_uq" ON "laboratory"."critical_alerts" USING btree ("result_id","revision_no");--> statement-breakpoint
CREATE INDEX "critical_alerts_open_idx" ON "laboratory"."critical_alerts" USING btree ("facility_id","notified_at") WHERE "laboratory"."critical_alerts"."acknowledged_at" is null;--> statement-breakpoint
CREATE INDEX "critical_alerts_ordering_idx" ON "laboratory"."critical_alerts" USING btree ("ordering_user_id","notified_at");--> statement-breakpoint
-- A critical value's notification, its acknowledgement and escalations are the audit trail of the call:
-- never deleted (acknowledging and escalating update the row). Filed analyzer messages are the intake record.
CREATE TRIGGER critical_alerts_never_deleted BEFORE DELETE ON laboratory.critical_alerts
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER analyzer_messages_never_deleted BEFORE DELETE ON laboratory.analyzer_messages
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();
