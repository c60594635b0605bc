import type { ModuleDefinition } from '../platform/module';
import { billingModule } from './billing';
import { dietaryModule } from './dietary';
import { encountersModule } from './encounters';
import { facilitiesModule } from './facilities';
import { ipdModule } from './ipd';
import { laboratoryModule } from './laboratory';
import { opdModule } from './opd';
import { patientsModule } from './patients';
import { pharmacyModule } from './pharmacy';
import { radiologyModule } from './radiology';

/** Every hospital module, in load order. A module is added here when its first issue lands. */
export const modules: readonly ModuleDefinition[] = [
  patientsModule,
  encountersModule,
  // Before OPD and IPD: its demo charge master exists when their demo visits and stays post charges.
  billingModule,
  opdModule,
  ipdModule,
  facilitiesModule,
  dietaryModule,
  pharmacyModule,
  laboratoryModule,
  radiologyModule,
];
