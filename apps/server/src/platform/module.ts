import type { FastifyInstance } from 'fastify';
import type { Config } from './config/config';
import type { Database, Db } from './db/database';
import type { EventRegistry } from './events/outbox';
import type { FhirResourceCapability } from './fhir/capability-statement';
import type { FhirResourceProvider } from './fhir/resource-providers';
import type { Jobs } from './jobs/jobs';

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
  /**
   * Loads the reference data the module ships (code sets) when it is missing. Idempotent and cheap when
   * already loaded: buildApp runs it before the module's plugin, the test setup before it caches a database.
   */
  seedReference?: (db: Db) => Promise<void>;
  /** Defines and schedules the module's background jobs (in the processes that run jobs). */
  jobs?: (jobs: Jobs, deps: AppDeps) => Promise<void>;
  /** Adds this module's demo data; runs after the platform's demo (facility, departments, users). */
  seedDemo?: (deps: AppDeps, demo: { facilityId: string; userIds: Record<string, string> }) => Promise<void>;
  /**
   * The FHIR R4 resources this module serves: their capabilities (listed in /fhir/R4/metadata) and their
   * routes, registered inside the /fhir/R4 context (OperationOutcome errors, application/fhir+json).
   */
  fhir?: {
    resources: readonly FhirResourceCapability[];
    routes: (fhir: FastifyInstance, deps: AppDeps) => Promise<void>;
    /**
     * Shares of resource types that several modules serve (Observation, DiagnosticReport): the platform
     * registers their routes and merges the providers' answers (fhir/resource-providers.ts).
     */
    providers?: readonly FhirResourceProvider[];
  };
};
