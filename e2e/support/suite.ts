import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser';
import { startServer, type TestServer } from './server';

export type Suite = { readonly server: TestServer; readonly browser: Browser };

/**
 * The test file's own server (from the pool, on its own copy of the template database) and browser: started
 * before its tests, stopped after them. Call it at the top of the file; read `server` and `browser` in tests.
 */
export function serverAndBrowser(): Suite {
  const suite = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    suite.server = await startServer();
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}
