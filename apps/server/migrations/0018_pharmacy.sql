CREATE SCHEMA "pharmacy";
--> statement-breakpoint
CREATE TABLE "pharmacy"."batches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"formulary_item_id" uuid NOT NULL,
	"brand_id" uuid,
	"batch_no" text NOT NULL,
	"expiry_date" date NOT NULL,
	"mrp" bigint NOT NULL,
	"cost" bigint NOT NULL,
	"supplier_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "batches_money_ck" CHECK ("pharmacy"."batches"."mrp" >= 0 and "pharmacy"."batches"."cost" >= 0 and "pharmacy"."batches"."cost" <= "pharmacy"."batches"."mrp")
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."brands" (
	"id" uuid PRIMARY KEY NOT NULL,
	"formulary_item_id" uuid NOT NULL,
	"name" text NOT NULL,
	"manufacturer" text NOT NULL,
	"pack_size" integer DEFAULT 1 NOT NULL,
	"barcode" text,
	"active" boolean DEFAULT true NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "brands_pack_ck" CHECK ("pharmacy"."brands"."pack_size" > 0)
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."dispensation_lines" (
	"dispensation_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"formulary_item_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"returned" integer DEFAULT 0 NOT NULL,
	"unit_price" bigint NOT NULL,
	"substitution_note" text,
	CONSTRAINT "dispensation_lines_dispensation_id_line_no_pk" PRIMARY KEY("dispensation_id","line_no"),
	CONSTRAINT "dispensation_lines_ck" CHECK ("pharmacy"."dispensation_lines"."quantity" > 0 and "pharmacy"."dispensation_lines"."returned" >= 0 and "pharmacy"."dispensation_lines"."returned" <= "pharmacy"."dispensation_lines"."quantity")
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."dispensations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"number" text NOT NULL,
	"store_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"encounter_id" uuid,
	"admission_id" uuid,
	"prescription_id" uuid,
	"prescriber_name" text,
	"counselling_note" text,
	"total" bigint NOT NULL,
	"dispensed_by_id" uuid,
	"dispensed_by_name" text NOT NULL,
	"dispensed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dispensations_charged_to_ck" CHECK ("pharmacy"."dispensations"."encounter_id" is not null or "pharmacy"."dispensations"."admission_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."formulary_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"generic_name" text NOT NULL,
	"ingredients" text[] NOT NULL,
	"strength" text NOT NULL,
	"dose_form" text NOT NULL,
	"route" text NOT NULL,
	"unit_of_issue" text NOT NULL,
	"schedule" text NOT NULL,
	"narcotic" boolean DEFAULT false NOT NULL,
	"hsn_code" text NOT NULL,
	"tax_code" text NOT NULL,
	"high_alert" boolean DEFAULT false NOT NULL,
	"lasa_group" text,
	"atc_code" text,
	"nlem" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"source" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "formulary_items_schedule_ck" CHECK ("pharmacy"."formulary_items"."schedule" in ('H', 'H1', 'X', 'G', 'OTC')),
	CONSTRAINT "formulary_items_ingredients_ck" CHECK (cardinality("pharmacy"."formulary_items"."ingredients") > 0)
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."goods_receipt_lines" (
	"receipt_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"batch_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"free_quantity" integer DEFAULT 0 NOT NULL,
	"cost" bigint NOT NULL,
	CONSTRAINT "goods_receipt_lines_receipt_id_line_no_pk" PRIMARY KEY("receipt_id","line_no"),
	CONSTRAINT "goods_receipt_lines_ck" CHECK ("pharmacy"."goods_receipt_lines"."quantity" > 0 and "pharmacy"."goods_receipt_lines"."free_quantity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."goods_receipts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"number" text NOT NULL,
	"store_id" uuid NOT NULL,
	"supplier_id" uuid NOT NULL,
	"supplier_invoice_no" text NOT NULL,
	"supplier_invoice_date" date NOT NULL,
	"total_cost" bigint NOT NULL,
	"received_by_id" uuid,
	"received_by_name" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"notes" text
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."indent_lines" (
	"indent_id" uuid NOT NULL,
	"formulary_item_id" uuid NOT NULL,
	"requested" integer NOT NULL,
	"issued" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "indent_lines_indent_id_formulary_item_id_pk" PRIMARY KEY("indent_id","formulary_item_id"),
	CONSTRAINT "indent_lines_ck" CHECK ("pharmacy"."indent_lines"."requested" > 0 and "pharmacy"."indent_lines"."issued" >= 0)
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."indents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"number" text NOT NULL,
	"requesting_store_id" uuid NOT NULL,
	"supplying_store_id" uuid NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"requested_by_id" uuid,
	"requested_by_name" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "indents_stores_ck" CHECK ("pharmacy"."indents"."requesting_store_id" <> "pharmacy"."indents"."supplying_store_id"),
	CONSTRAINT "indents_status_ck" CHECK ("pharmacy"."indents"."status" in ('requested', 'partially-issued', 'issued', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."reorder_levels" (
	"store_id" uuid NOT NULL,
	"formulary_item_id" uuid NOT NULL,
	"minimum" integer NOT NULL,
	"reorder_quantity" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reorder_levels_store_id_formulary_item_id_pk" PRIMARY KEY("store_id","formulary_item_id"),
	CONSTRAINT "reorder_levels_ck" CHECK ("pharmacy"."reorder_levels"."minimum" >= 0 and "pharmacy"."reorder_levels"."reorder_quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."stock" (
	"store_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"formulary_item_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_store_id_batch_id_pk" PRIMARY KEY("store_id","batch_id"),
	CONSTRAINT "stock_not_negative_ck" CHECK ("pharmacy"."stock"."quantity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."stock_adjustments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"reason" text NOT NULL,
	"kind" text DEFAULT 'adjustment' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by_id" uuid,
	"requested_by_name" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by_id" uuid,
	"decided_by_name" text,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "stock_adjustments_quantity_ck" CHECK ("pharmacy"."stock_adjustments"."quantity" <> 0),
	CONSTRAINT "stock_adjustments_kind_ck" CHECK ("pharmacy"."stock_adjustments"."kind" in ('adjustment', 'expired-write-off')),
	CONSTRAINT "stock_adjustments_status_ck" CHECK ("pharmacy"."stock_adjustments"."status" in ('pending', 'approved', 'rejected')),
	CONSTRAINT "stock_adjustments_decided_ck" CHECK (("pharmacy"."stock_adjustments"."status" = 'pending') = ("pharmacy"."stock_adjustments"."decided_at" is null))
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."stock_movements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"formulary_item_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"kind" text NOT NULL,
	"reference_type" text NOT NULL,
	"reference_id" uuid NOT NULL,
	"reason" text,
	"patient_id" uuid,
	"controlled" boolean DEFAULT false NOT NULL,
	"balance_after" integer,
	"witness_id" uuid,
	"witness_name" text,
	"prescriber_name" text,
	"performed_by_id" uuid,
	"performed_by_name" text NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_movements_quantity_ck" CHECK ("pharmacy"."stock_movements"."quantity" <> 0),
	CONSTRAINT "stock_movements_kind_ck" CHECK ("pharmacy"."stock_movements"."kind" in ('receipt', 'dispense', 'patient-return', 'transfer-out', 'transfer-in', 'adjustment', 'supplier-return', 'expired-write-off')),
	CONSTRAINT "stock_movements_controlled_ck" CHECK (not "pharmacy"."stock_movements"."controlled" or ("pharmacy"."stock_movements"."balance_after" is not null and "pharmacy"."stock_movements"."balance_after" >= 0))
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."stores" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"ward_id" uuid,
	"dispenses" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stores_kind_ck" CHECK ("pharmacy"."stores"."kind" in ('main', 'opd', 'ip', 'ward')),
	CONSTRAINT "stores_ward_ck" CHECK (("pharmacy"."stores"."kind" = 'ward') = ("pharmacy"."stores"."ward_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "pharmacy"."suppliers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"name" text NOT NULL,
	"gstin" text,
	"drug_licence_no" text,
	"phone" text,
	"email" text,
	"address" text,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pharmacy"."batches" ADD CONSTRAINT "batches_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."batches" ADD CONSTRAINT "batches_formulary_item_id_formulary_items_id_fk" FOREIGN KEY ("formulary_item_id") REFERENCES "pharmacy"."formulary_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."batches" ADD CONSTRAINT "batches_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "pharmacy"."brands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."batches" ADD CONSTRAINT "batches_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "pharmacy"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."brands" ADD CONSTRAINT "brands_formulary_item_id_formulary_items_id_fk" FOREIGN KEY ("formulary_item_id") REFERENCES "pharmacy"."formulary_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."dispensation_lines" ADD CONSTRAINT "dispensation_lines_dispensation_id_dispensations_id_fk" FOREIGN KEY ("dispensation_id") REFERENCES "pharmacy"."dispensations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."dispensation_lines" ADD CONSTRAINT "dispensation_lines_formulary_item_id_formulary_items_id_fk" FOREIGN KEY ("formulary_item_id") REFERENCES "pharmacy"."formulary_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."dispensation_lines" ADD CONSTRAINT "dispensation_lines_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "pharmacy"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."dispensations" ADD CONSTRAINT "dispensations_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."dispensations" ADD CONSTRAINT "dispensations_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "pharmacy"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."goods_receipt_lines" ADD CONSTRAINT "goods_receipt_lines_receipt_id_goods_receipts_id_fk" FOREIGN KEY ("receipt_id") REFERENCES "pharmacy"."goods_receipts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."goods_receipt_lines" ADD CONSTRAINT "goods_receipt_lines_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "pharmacy"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."goods_receipts" ADD CONSTRAINT "goods_receipts_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."goods_receipts" ADD CONSTRAINT "goods_receipts_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "pharmacy"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."goods_receipts" ADD CONSTRAINT "goods_receipts_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "pharmacy"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."indent_lines" ADD CONSTRAINT "indent_lines_indent_id_indents_id_fk" FOREIGN KEY ("indent_id") REFERENCES "pharmacy"."indents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."indent_lines" ADD CONSTRAINT "indent_lines_formulary_item_id_formulary_items_id_fk" FOREIGN KEY ("formulary_item_id") REFERENCES "pharmacy"."formulary_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."indents" ADD CONSTRAINT "indents_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."indents" ADD CONSTRAINT "indents_requesting_store_id_stores_id_fk" FOREIGN KEY ("requesting_store_id") REFERENCES "pharmacy"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."indents" ADD CONSTRAINT "indents_supplying_store_id_stores_id_fk" FOREIGN KEY ("supplying_store_id") REFERENCES "pharmacy"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."reorder_levels" ADD CONSTRAINT "reorder_levels_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "pharmacy"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."reorder_levels" ADD CONSTRAINT "reorder_levels_formulary_item_id_formulary_items_id_fk" FOREIGN KEY ("formulary_item_id") REFERENCES "pharmacy"."formulary_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."stock" ADD CONSTRAINT "stock_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "pharmacy"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."stock" ADD CONSTRAINT "stock_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "pharmacy"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."stock" ADD CONSTRAINT "stock_formulary_item_id_formulary_items_id_fk" FOREIGN KEY ("formulary_item_id") REFERENCES "pharmacy"."formulary_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."stock_adjustments" ADD CONSTRAINT "stock_adjustments_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."stock_adjustments" ADD CONSTRAINT "stock_adjustments_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "pharmacy"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."stock_adjustments" ADD CONSTRAINT "stock_adjustments_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "pharmacy"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."stock_movements" ADD CONSTRAINT "stock_movements_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."stock_movements" ADD CONSTRAINT "stock_movements_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "pharmacy"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."stock_movements" ADD CONSTRAINT "stock_movements_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "pharmacy"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."stock_movements" ADD CONSTRAINT "stock_movements_formulary_item_id_formulary_items_id_fk" FOREIGN KEY ("formulary_item_id") REFERENCES "pharmacy"."formulary_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."stores" ADD CONSTRAINT "stores_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pharmacy"."suppliers" ADD CONSTRAINT "suppliers_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "batches_uq" ON "pharmacy"."batches" USING btree ("facility_id","formulary_item_id",coalesce("brand_id", '00000000-0000-0000-0000-000000000000'::uuid),"batch_no");--> statement-breakpoint
CREATE INDEX "batches_item_expiry_idx" ON "pharmacy"."batches" USING btree ("formulary_item_id","expiry_date");--> statement-breakpoint
CREATE UNIQUE INDEX "brands_name_uq" ON "pharmacy"."brands" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "brands_item_idx" ON "pharmacy"."brands" USING btree ("formulary_item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "brands_barcode_uq" ON "pharmacy"."brands" USING btree ("barcode") WHERE "pharmacy"."brands"."barcode" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "dispensations_number_uq" ON "pharmacy"."dispensations" USING btree ("facility_id","number");--> statement-breakpoint
CREATE INDEX "dispensations_patient_idx" ON "pharmacy"."dispensations" USING btree ("patient_id","dispensed_at");--> statement-breakpoint
CREATE INDEX "dispensations_store_idx" ON "pharmacy"."dispensations" USING btree ("store_id","dispensed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "formulary_items_code_uq" ON "pharmacy"."formulary_items" USING btree ("code");--> statement-breakpoint
CREATE INDEX "formulary_items_name_trgm_idx" ON "pharmacy"."formulary_items" USING gin ("generic_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "formulary_items_ingredients_idx" ON "pharmacy"."formulary_items" USING gin ("ingredients");--> statement-breakpoint
CREATE UNIQUE INDEX "goods_receipts_number_uq" ON "pharmacy"."goods_receipts" USING btree ("facility_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "goods_receipts_invoice_uq" ON "pharmacy"."goods_receipts" USING btree ("supplier_id","supplier_invoice_no");--> statement-breakpoint
CREATE UNIQUE INDEX "indents_number_uq" ON "pharmacy"."indents" USING btree ("facility_id","number");--> statement-breakpoint
CREATE INDEX "indents_supplying_open_idx" ON "pharmacy"."indents" USING btree ("supplying_store_id","requested_at") WHERE "pharmacy"."indents"."status" in ('requested', 'partially-issued');--> statement-breakpoint
CREATE INDEX "stock_store_item_idx" ON "pharmacy"."stock" USING btree ("store_id","formulary_item_id");--> statement-breakpoint
CREATE INDEX "stock_adjustments_pending_idx" ON "pharmacy"."stock_adjustments" USING btree ("facility_id") WHERE "pharmacy"."stock_adjustments"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "stock_movements_store_item_idx" ON "pharmacy"."stock_movements" USING btree ("store_id","formulary_item_id","occurred_at");--> statement-breakpoint
CREATE INDEX "stock_movements_reference_idx" ON "pharmacy"."stock_movements" USING btree ("reference_type","reference_id");--> statement-breakpoint
CREATE INDEX "stock_movements_controlled_idx" ON "pharmacy"."stock_movements" USING btree ("facility_id","formulary_item_id","occurred_at") WHERE "pharmacy"."stock_movements"."controlled";--> statement-breakpoint
CREATE UNIQUE INDEX "stores_code_uq" ON "pharmacy"."stores" USING btree ("facility_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "suppliers_name_uq" ON "pharmacy"."suppliers" USING btree ("facility_id",lower("name"));