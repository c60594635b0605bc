CREATE TABLE "billing"."facility_settings" (
	"facility_id" uuid PRIMARY KEY NOT NULL,
	"lab_charge_on" text DEFAULT 'order' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by_id" uuid,
	"updated_by_name" text NOT NULL,
	CONSTRAINT "facility_settings_lab_charge_on_ck" CHECK ("billing"."facility_settings"."lab_charge_on" in ('order', 'collection'))
);
--> statement-breakpoint
CREATE TABLE "laboratory"."unmatched_orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"encounter_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"code" text,
	"system" text,
	"display" text NOT NULL,
	"priority" text NOT NULL,
	"reason_code" text NOT NULL,
	"reason" text NOT NULL,
	"requested_by_id" uuid,
	"requested_by_name" text,
	"requested_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by_id" uuid,
	"closed_by_name" text,
	"close_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unmatched_orders_priority_ck" CHECK ("laboratory"."unmatched_orders"."priority" in ('routine', 'urgent', 'stat')),
	CONSTRAINT "unmatched_orders_reason_ck" CHECK ("laboratory"."unmatched_orders"."reason_code" in ('no-code', 'not-in-catalog')),
	CONSTRAINT "unmatched_orders_status_ck" CHECK ("laboratory"."unmatched_orders"."status" in ('open', 'closed')),
	CONSTRAINT "unmatched_orders_closed_ck" CHECK (("laboratory"."unmatched_orders"."status" = 'closed') = ("laboratory"."unmatched_orders"."closed_at" is not null and "laboratory"."unmatched_orders"."close_note" is not null))
);
--> statement-breakpoint
CREATE TABLE "radiology"."unmatched_orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"encounter_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"code" text,
	"system" text,
	"display" text NOT NULL,
	"priority" text NOT NULL,
	"reason_code" text NOT NULL,
	"reason" text NOT NULL,
	"requested_by_id" uuid,
	"requested_by_name" text,
	"requested_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by_id" uuid,
	"closed_by_name" text,
	"close_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unmatched_orders_priority_ck" CHECK ("radiology"."unmatched_orders"."priority" in ('routine', 'urgent', 'stat')),
	CONSTRAINT "unmatched_orders_reason_ck" CHECK ("radiology"."unmatched_orders"."reason_code" in ('no-code', 'not-in-catalog')),
	CONSTRAINT "unmatched_orders_status_ck" CHECK ("radiology"."unmatched_orders"."status" in ('open', 'closed')),
	CONSTRAINT "unmatched_orders_closed_ck" CHECK (("radiology"."unmatched_orders"."status" = 'closed') = ("radiology"."unmatched_orders"."closed_at" is not null and "radiology"."unmatched_orders"."close_note" is not null))
);
--> statement-breakpoint
ALTER TABLE "encounters"."orders" ADD COLUMN "fulfilment_status" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "encounters"."orders" ADD COLUMN "fulfilment_note" text;--> statement-breakpoint
ALTER TABLE "encounters"."orders" ADD COLUMN "fulfilment_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "encounters"."orders" ADD COLUMN "fulfilled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "billing"."facility_settings" ADD CONSTRAINT "facility_settings_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "laboratory"."unmatched_orders" ADD CONSTRAINT "unmatched_orders_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiology"."unmatched_orders" ADD CONSTRAINT "unmatched_orders_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "unmatched_orders_order_uq" ON "laboratory"."unmatched_orders" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "unmatched_orders_facility_idx" ON "laboratory"."unmatched_orders" USING btree ("facility_id","status","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "unmatched_orders_order_uq" ON "radiology"."unmatched_orders" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "unmatched_orders_facility_idx" ON "radiology"."unmatched_orders" USING btree ("facility_id","status","received_at");--> statement-breakpoint
ALTER TABLE "encounters"."orders" ADD CONSTRAINT "orders_fulfilment_status_ck" CHECK ("encounters"."orders"."fulfilment_status" in ('pending', 'not-matched', 'accepted', 'collected', 'in-progress', 'performed', 'resulted'));--> statement-breakpoint
ALTER TABLE "encounters"."orders" ADD CONSTRAINT "orders_fulfilled_ck" CHECK (("encounters"."orders"."fulfilment_status" = 'resulted') = ("encounters"."orders"."fulfilled_at" is not null));--> statement-breakpoint
ALTER TABLE "encounters"."orders" ADD CONSTRAINT "orders_not_matched_ck" CHECK ("encounters"."orders"."fulfilment_status" <> 'not-matched' or "encounters"."orders"."fulfilment_note" is not null);--> statement-breakpoint
ALTER TABLE "encounters"."orders" ADD CONSTRAINT "orders_fulfilment_time_ck" CHECK (("encounters"."orders"."fulfilment_status" = 'pending') = ("encounters"."orders"."fulfilment_updated_at" is null));--> statement-breakpoint
-- Unmatched orders are part of the clinical trail (the doctor was told the order was not taken): never deleted.
CREATE TRIGGER unmatched_orders_never_deleted BEFORE DELETE ON laboratory.unmatched_orders
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER unmatched_orders_never_deleted BEFORE DELETE ON radiology.unmatched_orders
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
-- Orders placed before this migration: their fulfilment as the departments' rows tell it (the same steps and
-- notes the subscriber encounters.order-fulfilment writes from now on). Unmatched orders of the past were only
-- logged: they stay pending.
UPDATE encounters.orders o
   SET fulfilment_status = 'accepted',
       fulfilment_note = 'Laboratory request; tubes ' || coalesce(
         (SELECT string_agg(s.accession, ', ' ORDER BY s.accession) FROM laboratory.samples s
           WHERE s.request_id = r.id AND s.recollection_of IS NULL), ''),
       fulfilment_updated_at = r.created_at
  FROM laboratory.requests r
 WHERE r.order_id = o.id;--> statement-breakpoint
UPDATE encounters.orders o
   SET fulfilment_status = 'collected',
       fulfilment_note = 'Sample ' || c.accession || ' collected',
       fulfilment_updated_at = c.collected_at
  FROM (SELECT DISTINCT ON (r.order_id) r.order_id, s.accession, s.collected_at
          FROM laboratory.requests r JOIN laboratory.samples s ON s.request_id = r.id
         WHERE r.order_id IS NOT NULL AND s.collected_at IS NOT NULL
         ORDER BY r.order_id, s.collected_at DESC) c
 WHERE c.order_id = o.id;--> statement-breakpoint
UPDATE encounters.orders o
   SET fulfilment_status = 'resulted',
       fulfilment_note = 'Results released',
       fulfilment_updated_at = r.completed_at,
       fulfilled_at = r.completed_at,
       status = CASE WHEN o.status = 'active' THEN 'completed' ELSE o.status END
  FROM laboratory.requests r
 WHERE r.order_id = o.id AND r.status = 'completed';--> statement-breakpoint
UPDATE encounters.orders o
   SET fulfilment_status = CASE ro.status WHEN 'in-progress' THEN 'in-progress'
                                          WHEN 'completed' THEN 'performed'
                                          ELSE 'accepted' END,
       fulfilment_note = CASE ro.status WHEN 'in-progress' THEN 'Study ' || ro.accession || ' started'
                                        WHEN 'completed' THEN 'Study ' || ro.accession || ' done; report awaited'
                                        ELSE 'Radiology accession ' || ro.accession END,
       fulfilment_updated_at = CASE ro.status WHEN 'in-progress' THEN ro.started_at
                                              WHEN 'completed' THEN ro.completed_at
                                              ELSE ro.created_at END
  FROM radiology.orders ro
 WHERE ro.order_id = o.id;--> statement-breakpoint
UPDATE encounters.orders o
   SET fulfilment_status = 'resulted',
       fulfilment_note = 'Report signed',
       fulfilment_updated_at = rep.signed_at,
       fulfilled_at = rep.signed_at,
       status = CASE WHEN o.status = 'active' THEN 'completed' ELSE o.status END
  FROM radiology.orders ro JOIN radiology.reports rep ON rep.radiology_order_id = ro.id
 WHERE ro.order_id = o.id AND rep.status IN ('final', 'amended');
