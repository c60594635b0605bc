-- Billing follow-ups: a discount's note in its own column (older rows keep 'reason: note' in reason, read
-- as before); who submitted a claim (the write-off four-eyes check; older claims fall back to their first
-- history row); indexes for the facility-wide lists (open accounts newest first, pending discounts oldest
-- first).
DROP INDEX "billing"."discounts_status_idx";--> statement-breakpoint
ALTER TABLE "billing"."claims" ADD COLUMN "submitted_by_id" uuid;--> statement-breakpoint
ALTER TABLE "billing"."claims" ADD COLUMN "submitted_by_name" text;--> statement-breakpoint
ALTER TABLE "billing"."discounts" ADD COLUMN "note" text;--> statement-breakpoint
CREATE INDEX "accounts_status_idx" ON "billing"."accounts" USING btree ("facility_id","status","opened_at");--> statement-breakpoint
CREATE INDEX "discounts_status_idx" ON "billing"."discounts" USING btree ("facility_id","status","requested_at");