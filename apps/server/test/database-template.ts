import type pg from 'pg';

/**
 * `CREATE DATABASE name TEMPLATE template` on a connection to the server (used by the integration harness and
 * the browser tests). Two copies made at the same instant see each other as users of the template: try again.
 */
export async function copyDatabase(client: pg.Client, name: string, template: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`create database ${name} template ${template}`);
      return;
    } catch (e) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}
