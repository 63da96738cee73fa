-- C14: an API token carries the permissions chosen when it was made (its scopes). Tokens made
-- before this have none, so they open nothing: they had every right of the API, and whoever needs
-- one makes it again, choosing its scopes. Fail closed.
ALTER TABLE "api_tokens" ADD COLUMN "scopes" text[] DEFAULT '{}'::text[] NOT NULL;
