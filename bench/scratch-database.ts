import pg from 'pg';

export type ScratchDatabase = { url: string; drop(): Promise<void> };

/** Creates a fresh, uniquely named database on the server of adminUrl; drop() removes it again. */
export async function createScratchDatabase(adminUrl: string, purpose: string): Promise<ScratchDatabase> {
  const name =
    `newhms_bench_${purpose.replace(/[^a-z0-9]/gi, '_')}_${process.pid}_${Date.now()}`.toLowerCase();
  await withAdminClient(adminUrl, (c) => c.query(`create database "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdminClient(adminUrl, (c) => c.query(`drop database if exists "${name}" with (force)`)),
  };
}

async function withAdminClient(adminUrl: string, fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

/** The server's version string, for the results. */
export async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ server_version: string }>('show server_version');
    return r.rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}
