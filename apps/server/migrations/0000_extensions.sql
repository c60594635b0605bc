-- Extensions every later migration may use. pg_trgm and btree_gist are trusted extensions (PostgreSQL 13+);
-- PGlite loads them explicitly (platform/db/database.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
