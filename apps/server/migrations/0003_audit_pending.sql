CREATE TABLE "audit"."pending" (
	"entry_id" uuid PRIMARY KEY NOT NULL
);
