import { buildApp } from './app';
import { modules } from './modules/index';
import { startBackgroundWork } from './platform/background';
import { bootstrapInstallation } from './platform/bootstrap';
import { type Config, ConfigError, loadConfig, redactConfig } from './platform/config/config';
import { openConfiguredDatabase } from './platform/db/configured';
import { runMigrations } from './platform/db/migrate';
import { seedDemo } from './platform/demo';
import { startTracing } from './platform/observability/tracing';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const tracing = await startTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT);
  const database = await openConfiguredDatabase(config);
  await runMigrations(database);
  await bootstrapInstallation(database, config, modules, (l) => console.log(l));
  const app = await buildApp({ config, database, logger: { level: config.LOG_LEVEL } });
  if (process.argv.includes('--demo')) await seedDemo(app.deps, modules, (l) => console.log(l));
  const background =
    config.NEWHMS_JOBS === 'on'
      ? await startBackgroundWork(app.deps, modules, app.log, app.metrics)
      : undefined;
  app.log.info({ config: redactConfig(config) }, 'configuration');
  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  console.log(`Newhms is listening on http://${config.HOST}:${port}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close();
    await background?.stop();
    await database.close();
    await tracing?.shutdown();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

await main();
