CREATE SCHEMA "billing";
--> statement-breakpoint
CREATE TABLE "billing"."accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"episode_key" text NOT NULL,
	"encounter_id" uuid,
	"admission_id" uuid,
	"admission_number" text,
	"payer_category" text DEFAULT 'cash' NOT NULL,
	"policy_id" uuid,
	"package_id" uuid,
	"tariff_class" text DEFAULT '*' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_kind_ck" CHECK ("billing"."accounts"."kind" in ('opd', 'ipd')),
	CONSTRAINT "accounts_status_ck" CHECK ("billing"."accounts"."status" in ('open', 'final-billed', 'settled', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "billing"."allocations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"allocated_by_id" uuid,
	"allocated_by_name" text NOT NULL,
	"allocated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reversed_at" timestamp with time zone,
	"reversed_reason" text,
	CONSTRAINT "allocations_amount_ck" CHECK ("billing"."allocations"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "billing"."cash_counters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing"."cashier_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"counter_id" uuid NOT NULL,
	"cashier_id" uuid NOT NULL,
	"cashier_name" text NOT NULL,
	"business_date" date NOT NULL,
	"opening_float" bigint DEFAULT 0 NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	"expected_cash" bigint,
	"counted_cash" bigint,
	"difference" bigint,
	"totals" jsonb,
	"closing_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "cashier_sessions_status_ck" CHECK ("billing"."cashier_sessions"."status" in ('open', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "billing"."charges" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"service_code" text NOT NULL,
	"service_name" text NOT NULL,
	"service_group" text NOT NULL,
	"department_id" uuid,
	"tax_code" text NOT NULL,
	"tariff_class" text DEFAULT '*' NOT NULL,
	"intensive_care" boolean DEFAULT false NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"service_date" date NOT NULL,
	"performer_id" uuid,
	"source_type" text NOT NULL,
	"source_id" text NOT NULL,
	"source_line" text DEFAULT '' NOT NULL,
	"source_event_id" uuid,
	"package_covered" boolean DEFAULT false NOT NULL,
	"note" text,
	"status" text DEFAULT 'active' NOT NULL,
	"posted_by_id" uuid,
	"posted_by_name" text NOT NULL,
	"posted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_by_id" uuid,
	"cancelled_by_name" text,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"invoice_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "charges_quantity_ck" CHECK ("billing"."charges"."quantity" > 0),
	CONSTRAINT "charges_price_ck" CHECK ("billing"."charges"."unit_price" >= 0 and "billing"."charges"."amount" = "billing"."charges"."quantity" * "billing"."charges"."unit_price"),
	CONSTRAINT "charges_status_ck" CHECK ("billing"."charges"."status" in ('active', 'cancelled')),
	CONSTRAINT "charges_cancel_reason_ck" CHECK ("billing"."charges"."status" <> 'cancelled' or ("billing"."charges"."cancel_reason" is not null and "billing"."charges"."cancelled_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "billing"."claims" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"payer_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"preauth_id" uuid,
	"number" text NOT NULL,
	"payer_reference" text,
	"claimed_amount" bigint NOT NULL,
	"approved_amount" bigint,
	"settled_amount" bigint DEFAULT 0 NOT NULL,
	"tds" bigint DEFAULT 0 NOT NULL,
	"disallowed" bigint DEFAULT 0 NOT NULL,
	"written_off" bigint DEFAULT 0 NOT NULL,
	"write_off_reason" text,
	"write_off_approved_by_id" uuid,
	"write_off_approved_by_name" text,
	"disallowances" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claims_status_ck" CHECK ("billing"."claims"."status" in ('submitted', 'query', 'approved', 'partially-approved', 'denied', 'settled', 'closed', 'cancelled')),
	CONSTRAINT "claims_money_ck" CHECK ("billing"."claims"."claimed_amount" > 0 and "billing"."claims"."settled_amount" >= 0 and "billing"."claims"."tds" >= 0 and "billing"."claims"."disallowed" >= 0 and "billing"."claims"."written_off" >= 0 and "billing"."claims"."settled_amount" + "billing"."claims"."tds" + "billing"."claims"."disallowed" + "billing"."claims"."written_off" <= "billing"."claims"."claimed_amount")
);
--> statement-breakpoint
CREATE TABLE "billing"."discount_limits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"role" text NOT NULL,
	"max_bp" integer DEFAULT 0 NOT NULL,
	"max_amount" bigint DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "discount_limits_ck" CHECK ("billing"."discount_limits"."max_bp" >= 0 and "billing"."discount_limits"."max_bp" <= 10000 and "billing"."discount_limits"."max_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "billing"."discounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"charge_id" uuid,
	"reason" text NOT NULL,
	"kind" text NOT NULL,
	"value" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by_id" uuid,
	"requested_by_name" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by_id" uuid,
	"decided_by_name" text,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"invoice_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "discounts_kind_ck" CHECK ("billing"."discounts"."kind" in ('percent', 'amount')),
	CONSTRAINT "discounts_value_ck" CHECK ("billing"."discounts"."value" > 0 and ("billing"."discounts"."kind" <> 'percent' or "billing"."discounts"."value" <= 10000)),
	CONSTRAINT "discounts_status_ck" CHECK ("billing"."discounts"."status" in ('pending', 'approved', 'rejected', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "billing"."insurance_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"preauth_id" uuid,
	"claim_id" uuid,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"amount" bigint,
	"note" text,
	"recorded_by_id" uuid,
	"recorded_by_name" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "insurance_events_target_ck" CHECK (("billing"."insurance_events"."preauth_id" is null) <> ("billing"."insurance_events"."claim_id" is null))
);
--> statement-breakpoint
CREATE TABLE "billing"."invoice_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"invoice_id" uuid NOT NULL,
	"charge_id" uuid,
	"position" integer NOT NULL,
	"service_group" text NOT NULL,
	"service_code" text NOT NULL,
	"description" text NOT NULL,
	"service_date" date,
	"quantity" integer NOT NULL,
	"unit_price" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"discount" bigint DEFAULT 0 NOT NULL,
	"tax_code" text NOT NULL,
	"hsn_sac" text,
	"tax_rate_bp" integer DEFAULT 0 NOT NULL,
	"tax" bigint DEFAULT 0 NOT NULL,
	"total" bigint NOT NULL,
	"payer_share" bigint DEFAULT 0 NOT NULL,
	"patient_share" bigint DEFAULT 0 NOT NULL,
	"split_note" text,
	CONSTRAINT "invoice_lines_total_ck" CHECK ("billing"."invoice_lines"."total" = "billing"."invoice_lines"."amount" - "billing"."invoice_lines"."discount" + "billing"."invoice_lines"."tax"),
	CONSTRAINT "invoice_lines_split_ck" CHECK ("billing"."invoice_lines"."payer_share" + "billing"."invoice_lines"."patient_share" = "billing"."invoice_lines"."total")
);
--> statement-breakpoint
CREATE TABLE "billing"."invoices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"series" text NOT NULL,
	"financial_year" text,
	"number" text,
	"issued_at" timestamp with time zone,
	"issued_by_id" uuid,
	"issued_by_name" text,
	"gross" bigint DEFAULT 0 NOT NULL,
	"discount" bigint DEFAULT 0 NOT NULL,
	"tax" bigint DEFAULT 0 NOT NULL,
	"round_off" bigint DEFAULT 0 NOT NULL,
	"total" bigint DEFAULT 0 NOT NULL,
	"patient_share" bigint DEFAULT 0 NOT NULL,
	"payer_share" bigint DEFAULT 0 NOT NULL,
	"payer_id" uuid,
	"policy_id" uuid,
	"paid" bigint DEFAULT 0 NOT NULL,
	"credit_of_id" uuid,
	"reissue_of_id" uuid,
	"cancel_reason" text,
	"explanation" jsonb,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_kind_ck" CHECK ("billing"."invoices"."kind" in ('opd', 'ipd-interim', 'ipd-final', 'credit-note')),
	CONSTRAINT "invoices_status_ck" CHECK ("billing"."invoices"."status" in ('draft', 'final', 'cancelled')),
	CONSTRAINT "invoices_number_ck" CHECK ("billing"."invoices"."status" = 'draft' or "billing"."invoices"."number" is not null),
	CONSTRAINT "invoices_total_ck" CHECK ("billing"."invoices"."total" = "billing"."invoices"."gross" - "billing"."invoices"."discount" + "billing"."invoices"."tax" + "billing"."invoices"."round_off" and "billing"."invoices"."patient_share" + "billing"."invoices"."payer_share" = "billing"."invoices"."total"),
	CONSTRAINT "invoices_paid_ck" CHECK ("billing"."invoices"."paid" >= 0 and "billing"."invoices"."paid" <= greatest("billing"."invoices"."patient_share", 0))
);
--> statement-breakpoint
CREATE TABLE "billing"."package_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"package_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"service_id" uuid,
	"service_group" text,
	"quantity_limit" integer,
	CONSTRAINT "package_items_kind_ck" CHECK ("billing"."package_items"."kind" in ('include', 'exclude')),
	CONSTRAINT "package_items_target_ck" CHECK (("billing"."package_items"."service_id" is null) <> ("billing"."package_items"."service_group" is null))
);
--> statement-breakpoint
CREATE TABLE "billing"."packages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"los_limit_days" integer,
	"beyond_los" text DEFAULT 'charge-per-day' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing"."payer_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"payer_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"copay_bp" integer DEFAULT 0 NOT NULL,
	"room_rent_limit" bigint,
	"room_rent_limit_bp" integer,
	"proportionate_deduction" boolean DEFAULT true NOT NULL,
	"non_payable_groups" text[] DEFAULT '{}'::text[] NOT NULL,
	"non_payable_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payer_plans_copay_ck" CHECK ("billing"."payer_plans"."copay_bp" >= 0 and "billing"."payer_plans"."copay_bp" <= 10000)
);
--> statement-breakpoint
CREATE TABLE "billing"."payers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"registration_number" text,
	"credit_days" integer DEFAULT 30 NOT NULL,
	"contact_email" text,
	"contact_phone" text,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payers_kind_ck" CHECK ("billing"."payers"."kind" in ('insurer', 'tpa', 'corporate', 'government'))
);
--> statement-breakpoint
CREATE TABLE "billing"."payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"account_id" uuid,
	"kind" text NOT NULL,
	"mode" text NOT NULL,
	"amount" bigint NOT NULL,
	"allocated" bigint DEFAULT 0 NOT NULL,
	"refunded" bigint DEFAULT 0 NOT NULL,
	"reference" text,
	"receipt_number" text NOT NULL,
	"session_id" uuid,
	"received_by_id" uuid,
	"received_by_name" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"payer_id" uuid,
	"claim_id" uuid,
	"note" text,
	"status" text DEFAULT 'completed' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "payments_kind_ck" CHECK ("billing"."payments"."kind" in ('payment', 'deposit', 'payer-settlement')),
	CONSTRAINT "payments_mode_ck" CHECK ("billing"."payments"."mode" in ('cash', 'card', 'upi', 'bank-transfer', 'cheque')),
	CONSTRAINT "payments_amount_ck" CHECK ("billing"."payments"."amount" > 0),
	CONSTRAINT "payments_balance_ck" CHECK ("billing"."payments"."allocated" >= 0 and "billing"."payments"."refunded" >= 0 and "billing"."payments"."allocated" + "billing"."payments"."refunded" <= "billing"."payments"."amount"),
	CONSTRAINT "payments_reference_ck" CHECK ("billing"."payments"."mode" = 'cash' or "billing"."payments"."reference" is not null),
	CONSTRAINT "payments_status_ck" CHECK ("billing"."payments"."status" in ('completed', 'bounced'))
);
--> statement-breakpoint
CREATE TABLE "billing"."policies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"payer_id" uuid NOT NULL,
	"tpa_id" uuid,
	"plan_id" uuid,
	"policy_number" text NOT NULL,
	"member_id" text NOT NULL,
	"holder_name" text,
	"relation_to_holder" text,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"sum_insured" bigint NOT NULL,
	"used" bigint DEFAULT 0 NOT NULL,
	"copay_bp" integer,
	"room_rent_limit" bigint,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policies_dates_ck" CHECK ("billing"."policies"."valid_to" >= "billing"."policies"."valid_from"),
	CONSTRAINT "policies_used_ck" CHECK ("billing"."policies"."used" >= 0 and "billing"."policies"."used" <= "billing"."policies"."sum_insured"),
	CONSTRAINT "policies_status_ck" CHECK ("billing"."policies"."status" in ('active', 'inactive'))
);
--> statement-breakpoint
CREATE TABLE "billing"."preauths" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"number" text NOT NULL,
	"payer_reference" text,
	"diagnosis" text,
	"planned_treatment" text,
	"estimate" bigint NOT NULL,
	"requested_amount" bigint NOT NULL,
	"approved_amount" bigint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "preauths_status_ck" CHECK ("billing"."preauths"."status" in ('submitted', 'query', 'approved', 'partially-approved', 'denied', 'cancelled')),
	CONSTRAINT "preauths_amounts_ck" CHECK ("billing"."preauths"."estimate" >= 0 and "billing"."preauths"."requested_amount" > 0 and "billing"."preauths"."approved_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "billing"."refunds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"reason" text NOT NULL,
	"mode" text NOT NULL,
	"reference" text,
	"status" text DEFAULT 'requested' NOT NULL,
	"refund_number" text,
	"requested_by_id" uuid,
	"requested_by_name" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by_id" uuid,
	"decided_by_name" text,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"paid_by_id" uuid,
	"paid_by_name" text,
	"paid_at" timestamp with time zone,
	"session_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "refunds_amount_ck" CHECK ("billing"."refunds"."amount" > 0),
	CONSTRAINT "refunds_status_ck" CHECK ("billing"."refunds"."status" in ('requested', 'approved', 'rejected', 'paid')),
	CONSTRAINT "refunds_mode_ck" CHECK ("billing"."refunds"."mode" in ('cash', 'card', 'upi', 'bank-transfer', 'cheque'))
);
--> statement-breakpoint
CREATE TABLE "billing"."service_prices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"service_id" uuid NOT NULL,
	"tariff_class" text DEFAULT '*' NOT NULL,
	"payer_id" uuid,
	"price" bigint NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_prices_price_ck" CHECK ("billing"."service_prices"."price" >= 0),
	CONSTRAINT "service_prices_dates_ck" CHECK ("billing"."service_prices"."valid_to" is null or "billing"."service_prices"."valid_to" > "billing"."service_prices"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "billing"."services" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"department_id" uuid,
	"service_group" text NOT NULL,
	"tax_code" text NOT NULL,
	"pay_when" text DEFAULT 'after' NOT NULL,
	"intensive_care" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "services_pay_when_ck" CHECK ("billing"."services"."pay_when" in ('before', 'after'))
);
--> statement-breakpoint
CREATE TABLE "billing"."tax_codes" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"hsn_sac" text,
	"description" text
);
--> statement-breakpoint
CREATE TABLE "billing"."tax_rates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tax_code" text NOT NULL,
	"setting" text DEFAULT 'any' NOT NULL,
	"rate_bp" integer NOT NULL,
	"min_unit_price" bigint,
	"input_credit" boolean DEFAULT false NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"notification" text,
	CONSTRAINT "tax_rates_rate_ck" CHECK ("billing"."tax_rates"."rate_bp" >= 0 and "billing"."tax_rates"."rate_bp" <= 10000),
	CONSTRAINT "tax_rates_setting_ck" CHECK ("billing"."tax_rates"."setting" in ('any', 'outpatient', 'inpatient')),
	CONSTRAINT "tax_rates_dates_ck" CHECK ("billing"."tax_rates"."valid_to" is null or "billing"."tax_rates"."valid_to" > "billing"."tax_rates"."valid_from")
);
--> statement-breakpoint
ALTER TABLE "billing"."accounts" ADD CONSTRAINT "accounts_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."allocations" ADD CONSTRAINT "allocations_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."allocations" ADD CONSTRAINT "allocations_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "billing"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."allocations" ADD CONSTRAINT "allocations_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."cash_counters" ADD CONSTRAINT "cash_counters_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."cashier_sessions" ADD CONSTRAINT "cashier_sessions_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."cashier_sessions" ADD CONSTRAINT "cashier_sessions_counter_id_cash_counters_id_fk" FOREIGN KEY ("counter_id") REFERENCES "billing"."cash_counters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."charges" ADD CONSTRAINT "charges_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."charges" ADD CONSTRAINT "charges_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "billing"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."charges" ADD CONSTRAINT "charges_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "billing"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."claims" ADD CONSTRAINT "claims_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."claims" ADD CONSTRAINT "claims_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."claims" ADD CONSTRAINT "claims_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "billing"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."claims" ADD CONSTRAINT "claims_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "billing"."policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."claims" ADD CONSTRAINT "claims_payer_id_payers_id_fk" FOREIGN KEY ("payer_id") REFERENCES "billing"."payers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."claims" ADD CONSTRAINT "claims_preauth_id_preauths_id_fk" FOREIGN KEY ("preauth_id") REFERENCES "billing"."preauths"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."discount_limits" ADD CONSTRAINT "discount_limits_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."discounts" ADD CONSTRAINT "discounts_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."discounts" ADD CONSTRAINT "discounts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "billing"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."discounts" ADD CONSTRAINT "discounts_charge_id_charges_id_fk" FOREIGN KEY ("charge_id") REFERENCES "billing"."charges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."insurance_events" ADD CONSTRAINT "insurance_events_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."insurance_events" ADD CONSTRAINT "insurance_events_preauth_id_preauths_id_fk" FOREIGN KEY ("preauth_id") REFERENCES "billing"."preauths"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoice_lines" ADD CONSTRAINT "invoice_lines_charge_id_charges_id_fk" FOREIGN KEY ("charge_id") REFERENCES "billing"."charges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoices" ADD CONSTRAINT "invoices_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoices" ADD CONSTRAINT "invoices_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "billing"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."package_items" ADD CONSTRAINT "package_items_package_id_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "billing"."packages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."package_items" ADD CONSTRAINT "package_items_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "billing"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."packages" ADD CONSTRAINT "packages_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."packages" ADD CONSTRAINT "packages_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "billing"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."payer_plans" ADD CONSTRAINT "payer_plans_payer_id_payers_id_fk" FOREIGN KEY ("payer_id") REFERENCES "billing"."payers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."payers" ADD CONSTRAINT "payers_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."payments" ADD CONSTRAINT "payments_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."payments" ADD CONSTRAINT "payments_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "billing"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."payments" ADD CONSTRAINT "payments_session_id_cashier_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "billing"."cashier_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."policies" ADD CONSTRAINT "policies_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."policies" ADD CONSTRAINT "policies_payer_id_payers_id_fk" FOREIGN KEY ("payer_id") REFERENCES "billing"."payers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."policies" ADD CONSTRAINT "policies_tpa_id_payers_id_fk" FOREIGN KEY ("tpa_id") REFERENCES "billing"."payers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."policies" ADD CONSTRAINT "policies_plan_id_payer_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "billing"."payer_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."preauths" ADD CONSTRAINT "preauths_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."preauths" ADD CONSTRAINT "preauths_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "billing"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."preauths" ADD CONSTRAINT "preauths_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "billing"."policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."refunds" ADD CONSTRAINT "refunds_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "billing"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."refunds" ADD CONSTRAINT "refunds_session_id_cashier_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "billing"."cashier_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."service_prices" ADD CONSTRAINT "service_prices_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "billing"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."services" ADD CONSTRAINT "services_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."services" ADD CONSTRAINT "services_tax_code_tax_codes_code_fk" FOREIGN KEY ("tax_code") REFERENCES "billing"."tax_codes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."tax_rates" ADD CONSTRAINT "tax_rates_tax_code_tax_codes_code_fk" FOREIGN KEY ("tax_code") REFERENCES "billing"."tax_codes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_episode_uq" ON "billing"."accounts" USING btree ("facility_id","episode_key");--> statement-breakpoint
CREATE INDEX "accounts_patient_idx" ON "billing"."accounts" USING btree ("patient_id","opened_at");--> statement-breakpoint
CREATE INDEX "accounts_admission_idx" ON "billing"."accounts" USING btree ("admission_id");--> statement-breakpoint
CREATE INDEX "allocations_payment_idx" ON "billing"."allocations" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "allocations_invoice_idx" ON "billing"."allocations" USING btree ("invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cash_counters_code_uq" ON "billing"."cash_counters" USING btree ("facility_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "cashier_sessions_open_cashier_uq" ON "billing"."cashier_sessions" USING btree ("cashier_id") WHERE "billing"."cashier_sessions"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "cashier_sessions_open_counter_uq" ON "billing"."cashier_sessions" USING btree ("counter_id") WHERE "billing"."cashier_sessions"."status" = 'open';--> statement-breakpoint
CREATE INDEX "cashier_sessions_date_idx" ON "billing"."cashier_sessions" USING btree ("facility_id","business_date");--> statement-breakpoint
CREATE UNIQUE INDEX "charges_source_uq" ON "billing"."charges" USING btree ("facility_id","source_type","source_id","source_line");--> statement-breakpoint
CREATE INDEX "charges_account_idx" ON "billing"."charges" USING btree ("account_id","service_date");--> statement-breakpoint
CREATE INDEX "charges_invoice_idx" ON "billing"."charges" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "charges_posted_idx" ON "billing"."charges" USING btree ("facility_id","posted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "claims_number_uq" ON "billing"."claims" USING btree ("facility_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "claims_invoice_uq" ON "billing"."claims" USING btree ("invoice_id") WHERE "billing"."claims"."status" <> 'cancelled';--> statement-breakpoint
CREATE INDEX "claims_payer_idx" ON "billing"."claims" USING btree ("payer_id","status","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "discount_limits_role_uq" ON "billing"."discount_limits" USING btree ("facility_id","role");--> statement-breakpoint
CREATE INDEX "discounts_account_idx" ON "billing"."discounts" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "discounts_status_idx" ON "billing"."discounts" USING btree ("facility_id","status");--> statement-breakpoint
CREATE INDEX "insurance_events_preauth_idx" ON "billing"."insurance_events" USING btree ("preauth_id","recorded_at");--> statement-breakpoint
CREATE INDEX "insurance_events_claim_idx" ON "billing"."insurance_events" USING btree ("claim_id","recorded_at");--> statement-breakpoint
CREATE INDEX "invoice_lines_invoice_idx" ON "billing"."invoice_lines" USING btree ("invoice_id","position");--> statement-breakpoint
CREATE INDEX "invoice_lines_charge_idx" ON "billing"."invoice_lines" USING btree ("charge_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_number_uq" ON "billing"."invoices" USING btree ("facility_id","series","number");--> statement-breakpoint
CREATE INDEX "invoices_account_idx" ON "billing"."invoices" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "invoices_patient_idx" ON "billing"."invoices" USING btree ("patient_id","created_at");--> statement-breakpoint
CREATE INDEX "invoices_issued_idx" ON "billing"."invoices" USING btree ("facility_id","issued_at");--> statement-breakpoint
CREATE INDEX "package_items_package_idx" ON "billing"."package_items" USING btree ("package_id");--> statement-breakpoint
CREATE UNIQUE INDEX "packages_service_uq" ON "billing"."packages" USING btree ("service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payer_plans_code_uq" ON "billing"."payer_plans" USING btree ("payer_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "payers_code_uq" ON "billing"."payers" USING btree ("facility_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_receipt_uq" ON "billing"."payments" USING btree ("facility_id","receipt_number");--> statement-breakpoint
CREATE INDEX "payments_patient_idx" ON "billing"."payments" USING btree ("patient_id","received_at");--> statement-breakpoint
CREATE INDEX "payments_account_idx" ON "billing"."payments" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "payments_session_idx" ON "billing"."payments" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "payments_received_idx" ON "billing"."payments" USING btree ("facility_id","received_at");--> statement-breakpoint
CREATE INDEX "policies_patient_idx" ON "billing"."policies" USING btree ("patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "policies_member_uq" ON "billing"."policies" USING btree ("payer_id","policy_number","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "preauths_number_uq" ON "billing"."preauths" USING btree ("facility_id","number");--> statement-breakpoint
CREATE INDEX "preauths_account_idx" ON "billing"."preauths" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "preauths_status_idx" ON "billing"."preauths" USING btree ("facility_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_number_uq" ON "billing"."refunds" USING btree ("facility_id","refund_number");--> statement-breakpoint
CREATE INDEX "refunds_payment_idx" ON "billing"."refunds" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "refunds_status_idx" ON "billing"."refunds" USING btree ("facility_id","status");--> statement-breakpoint
CREATE INDEX "service_prices_service_idx" ON "billing"."service_prices" USING btree ("service_id","tariff_class","valid_from");--> statement-breakpoint
CREATE UNIQUE INDEX "services_code_uq" ON "billing"."services" USING btree ("facility_id","code");--> statement-breakpoint
CREATE INDEX "services_group_idx" ON "billing"."services" USING btree ("facility_id","service_group");--> statement-breakpoint
CREATE INDEX "tax_rates_code_idx" ON "billing"."tax_rates" USING btree ("tax_code","valid_from");