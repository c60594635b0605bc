import type { Config } from '../config/config';
import { type Database, openDatabase } from './database';

/** Opens the configured database: PostgreSQL when DATABASE_URL is set, else PGlite under NEWHMS_DATA_DIR. */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  return config.DATABASE_URL
    ? openDatabase({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE })
    : openDatabase({ dataDir: `${config.NEWHMS_DATA_DIR}/pg` });
}
