CREATE TABLE "pharmacy"."prescription_favourites" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"items" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."stock_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"formulary_item_id" uuid NOT NULL,
	"batch_id" uuid,
	"band" text DEFAULT '' NOT NULL,
	"quantity" integer NOT NULL,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "stock_alerts_kind_ck" CHECK ("pharmacy"."stock_alerts"."kind" in ('expiry', 'reorder')),
	CONSTRAINT "stock_alerts_band_ck" CHECK ("pharmacy"."stock_alerts"."band" in ('', 'expired', '30', '60', '90'))
);
--> statement-breakpoint
ALTER TABLE "pharmacy"."prescription_favourites" ADD CONSTRAINT "prescription_favourites_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."stock_alerts" ADD CONSTRAINT "stock_alerts_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."stock_alerts" ADD CONSTRAINT "stock_alerts_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "pharmacy"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."stock_alerts" ADD CONSTRAINT "stock_alerts_formulary_item_id_formulary_items_id_fk" FOREIGN KEY ("formulary_item_id") REFERENCES "pharmacy"."formulary_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."stock_alerts" ADD CONSTRAINT "stock_alerts_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "pharmacy"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "prescription_favourites_name_uq" ON "pharmacy"."prescription_favourites" USING btree ("owner_id",lower("name")) WHERE "pharmacy"."prescription_favourites"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "stock_alerts_open_uq" ON "pharmacy"."stock_alerts" USING btree ("store_id","kind","formulary_item_id",coalesce("batch_id", "formulary_item_id"),"band") WHERE "pharmacy"."stock_alerts"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "stock_alerts_facility_open_idx" ON "pharmacy"."stock_alerts" USING btree ("facility_id","raised_at") WHERE "pharmacy"."stock_alerts"."resolved_at" is null;