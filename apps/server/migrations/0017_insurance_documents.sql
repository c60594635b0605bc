CREATE TABLE "billing"."insurance_documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"policy_id" uuid,
	"preauth_id" uuid,
	"claim_id" uuid,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"uploaded_by_id" uuid,
	"uploaded_by_name" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "insurance_documents_target_ck" CHECK (num_nonnulls("billing"."insurance_documents"."policy_id", "billing"."insurance_documents"."preauth_id", "billing"."insurance_documents"."claim_id") = 1),
	CONSTRAINT "insurance_documents_kind_ck" CHECK ("billing"."insurance_documents"."kind" in ('policy-card', 'id-proof', 'prescription', 'investigation-report', 'discharge-summary', 'bill', 'other')),
	CONSTRAINT "insurance_documents_type_ck" CHECK ("billing"."insurance_documents"."content_type" in ('application/pdf', 'image/jpeg', 'image/png')),
	CONSTRAINT "insurance_documents_size_ck" CHECK ("billing"."insurance_documents"."size_bytes" > 0 and "billing"."insurance_documents"."size_bytes" = octet_length("billing"."insurance_documents"."content"))
);
--> statement-breakpoint
ALTER TABLE "billing"."insurance_documents" ADD CONSTRAINT "insurance_documents_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "org"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."insurance_documents" ADD CONSTRAINT "insurance_documents_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "billing"."policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."insurance_documents" ADD CONSTRAINT "insurance_documents_preauth_id_preauths_id_fk" FOREIGN KEY ("preauth_id") REFERENCES "billing"."preauths"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."insurance_documents" ADD CONSTRAINT "insurance_documents_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "billing"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "insurance_documents_policy_idx" ON "billing"."insurance_documents" USING btree ("policy_id","uploaded_at");--> statement-breakpoint
CREATE INDEX "insurance_documents_preauth_idx" ON "billing"."insurance_documents" USING btree ("preauth_id","uploaded_at");--> statement-breakpoint
CREATE INDEX "insurance_documents_claim_idx" ON "billing"."insurance_documents" USING btree ("claim_id","uploaded_at");--> statement-breakpoint
CREATE TRIGGER insurance_documents_never_deleted BEFORE DELETE ON billing.insurance_documents
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_delete();
