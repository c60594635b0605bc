CREATE TABLE "patients"."name_words" (
	"word" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "patients"."patients" ADD COLUMN "name_words" text[] GENERATED ALWAYS AS (string_to_array(search_name, ' ')) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "name_words_word_trgm" ON "patients"."name_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "patients_name_words_gin" ON "patients"."patients" USING gin ("name_words");--> statement-breakpoint
-- One row per word, enforced through a hash index (which, unlike a btree, cannot be read whole in order).
ALTER TABLE "patients"."name_words" ADD CONSTRAINT "name_words_word_uq" EXCLUDE USING hash ("word" WITH =);--> statement-breakpoint
-- The dictionary of name words: filled from the names there are, then kept by triggers whatever writes a
-- name (the services, FHIR import, bulk loads). Words are only ever added.
INSERT INTO "patients"."name_words" ("word")
  SELECT DISTINCT w FROM "patients"."patients" p, unnest(p."name_words") AS w WHERE w <> ''
  ON CONFLICT DO NOTHING;--> statement-breakpoint
CREATE FUNCTION "patients"."add_inserted_name_words"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO patients.name_words (word)
    SELECT DISTINCT w FROM inserted, unnest(inserted.name_words) AS w WHERE w <> ''
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
-- Once per statement: a bulk load adds its words in one INSERT, not one per patient.
CREATE TRIGGER "patients_name_words_inserted" AFTER INSERT ON "patients"."patients"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "patients"."add_inserted_name_words"();--> statement-breakpoint
CREATE FUNCTION "patients"."add_renamed_name_words"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO patients.name_words (word)
    SELECT DISTINCT w FROM unnest(NEW.name_words) AS w WHERE w <> ''
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
-- Only when the name changed: a visit or a status change does not touch the dictionary.
CREATE TRIGGER "patients_name_words_renamed" AFTER UPDATE OF "search_name" ON "patients"."patients"
  FOR EACH ROW WHEN (OLD."search_name" IS DISTINCT FROM NEW."search_name")
  EXECUTE FUNCTION "patients"."add_renamed_name_words"();
