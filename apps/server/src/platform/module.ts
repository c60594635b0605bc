import type { FastifyInstance } from 'fastify';
import type { Config } from './config/config';
import type { Database } from './db/database';
import type { EventRegistry } from './events/outbox';

/** A permission a module introduces, and the built-in roles that get it the first time it appears. */
export type PermissionDeclaration = { name: string; description: string; roles: readonly string[] };

/** What the platform hands every module and platform plugin. */
export type AppDeps = {
  config: Config;
  database: Database;
  events: EventRegistry;
};

/** A hospital module: its routes and subscribers (plugin), its permissions, and its demo data. */
export type ModuleDefinition = {
  name: string;
  permissions: readonly PermissionDeclaration[];
  plugin: (app: FastifyInstance, deps: AppDeps) => Promise<void>;
  /** Adds this module's demo data; runs after the platform's demo (facility, departments, users). */
  seedDemo?: (deps: AppDeps, demo: { facilityId: string; userIds: Record<string, string> }) => Promise<void>;
};
