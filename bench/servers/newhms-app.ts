// The real Newhms app, as main.ts builds it, but on an in-memory PGlite unless DATABASE_URL is set (or on
// the PGlite data directory BENCH_PGLITE_DATA_DIR a bench loaded), on a random loopback port, without logs
// or background work.
import { buildApp } from '../../apps/server/src/app';
import { modules } from '../../apps/server/src/modules/index';
import { bootstrapInstallation } from '../../apps/server/src/platform/bootstrap';
import { loadConfig } from '../../apps/server/src/platform/config/config';
import { openDatabase } from '../../apps/server/src/platform/db/database';
import { runMigrations } from '../../apps/server/src/platform/db/migrate';
import { announceListening } from '../server-process';

const config = loadConfig(process.env);
const database = config.DATABASE_URL
  ? await openDatabase({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE })
  : await openDatabase({ dataDir: process.env.BENCH_PGLITE_DATA_DIR || 'memory://' });
await runMigrations(database);
await bootstrapInstallation(database, config, modules, () => {});
const app = await buildApp({ config, database, logger: false });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
announceListening(typeof address === 'object' && address ? address.port : 0);
process.on('SIGTERM', () => {
  void (async () => {
    await app.close();
    await database.close();
    process.exit(0);
  })();
});
