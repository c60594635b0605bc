import type { Database } from '../../platform/db/database';
import type { EventRegistry } from '../../platform/events/outbox';

/** What the IPD services need besides the request context. */
export type IpdEnv = { events: EventRegistry; database: Database };
