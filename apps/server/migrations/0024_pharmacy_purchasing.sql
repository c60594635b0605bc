CREATE TABLE "pharmacy"."purchase_order_lines" (
	"purchase_order_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"formulary_item_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"rate" bigint NOT NULL,
	"received" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "purchase_order_lines_purchase_order_id_line_no_pk" PRIMARY KEY("purchase_order_id","line_no"),
	CONSTRAINT "purchase_order_lines_ck" CHECK ("pharmacy"."purchase_order_lines"."quantity" > 0 and "pharmacy"."purchase_order_lines"."rate" >= 0 and "pharmacy"."purchase_order_lines"."received" >= 0)
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."purchase_orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"number" text NOT NULL,
	"supplier_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"expected_date" date,
	"notes" text,
	"total" bigint NOT NULL,
	"created_by_name" text NOT NULL,
	"ordered_at" timestamp with time zone,
	"ordered_by_name" text,
	"cancel_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "purchase_orders_status_ck" CHECK ("pharmacy"."purchase_orders"."status" in ('draft', 'ordered', 'partially-received', 'received', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."supplier_return_lines" (
	"return_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"batch_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"cost" bigint NOT NULL,
	CONSTRAINT "supplier_return_lines_return_id_line_no_pk" PRIMARY KEY("return_id","line_no"),
	CONSTRAINT "supplier_return_lines_ck" CHECK ("pharmacy"."supplier_return_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."supplier_returns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"number" text NOT NULL,
	"store_id" uuid NOT NULL,
	"supplier_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"total_cost" bigint NOT NULL,
	"returned_by_name" text NOT NULL,
	"returned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pharmacy"."goods_receipts" ADD COLUMN "purchase_order_id" uuid;--> statement-breakpoint
ALTER TABLE "pharmacy"."purchase_order_lines" ADD CONSTRAINT "purchase_order_lines_purchase_order_id_purchase_orders_id_fk" FOREIGN KEY ("purchase_order_id") REFERENCES "pharmacy"."purchase_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."purchase_order_lines" ADD CONSTRAINT "purchase_order_lines_formulary_item_id_formulary_items_id_fk" FOREIGN KEY ("formulary_item_id") REFERENCES "pharmacy"."formulary_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."purchase_orders" ADD CONSTRAINT "purchase_orders_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."purchase_orders" ADD CONSTRAINT "purchase_orders_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "pharmacy"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."purchase_orders" ADD CONSTRAINT "purchase_orders_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "pharmacy"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."supplier_return_lines" ADD CONSTRAINT "supplier_return_lines_return_id_supplier_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "pharmacy"."supplier_returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."supplier_return_lines" ADD CONSTRAINT "supplier_return_lines_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "pharmacy"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."supplier_returns" ADD CONSTRAINT "supplier_returns_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."supplier_returns" ADD CONSTRAINT "supplier_returns_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "pharmacy"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."supplier_returns" ADD CONSTRAINT "supplier_returns_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "pharmacy"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "purchase_order_lines_item_uq" ON "pharmacy"."purchase_order_lines" USING btree ("purchase_order_id","formulary_item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "purchase_orders_number_uq" ON "pharmacy"."purchase_orders" USING btree ("facility_id","number");--> statement-breakpoint
CREATE INDEX "purchase_orders_open_idx" ON "pharmacy"."purchase_orders" USING btree ("facility_id","supplier_id") WHERE "pharmacy"."purchase_orders"."status" in ('ordered', 'partially-received');--> statement-breakpoint
CREATE UNIQUE INDEX "supplier_returns_number_uq" ON "pharmacy"."supplier_returns" USING btree ("facility_id","number");--> statement-breakpoint
-- Orders and return notes are documents: they are cancelled, never deleted.
CREATE TRIGGER purchase_orders_never_deleted BEFORE DELETE ON pharmacy.purchase_orders
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER purchase_order_lines_never_deleted BEFORE DELETE ON pharmacy.purchase_order_lines
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER supplier_returns_never_deleted BEFORE DELETE ON pharmacy.supplier_returns
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();--> statement-breakpoint
CREATE TRIGGER supplier_return_lines_never_deleted BEFORE DELETE ON pharmacy.supplier_return_lines
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();
