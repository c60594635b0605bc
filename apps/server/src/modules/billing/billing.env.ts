import type { Database } from '../../platform/db/database';
import type { EventRegistry } from '../../platform/events/outbox';

/** What the billing services need besides the request context. */
export type BillingEnv = { events: EventRegistry; database: Database };
