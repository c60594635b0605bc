import type { ModuleDefinition } from '../platform/module';

/** Every hospital module, in load order. A module is added here when its first issue lands. */
export const modules: readonly ModuleDefinition[] = [];
