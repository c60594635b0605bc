import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type ServerProcess = {
  /** http://127.0.0.1:<port> */
  origin: string;
  stop(): Promise<void>;
};

const READY_PREFIX = 'BENCH_LISTENING ';
const START_TIMEOUT_MS = 60_000;

/**
 * Starts a server entry (bench/servers/*.ts) in a child process, so that it has its own event loop and
 * does not compete with autocannon in this process. The child prints `BENCH_LISTENING <port>` when ready.
 */
export async function startServerProcess(entry: URL, env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), fileURLToPath(entry)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${entry.pathname} did not start in time\n${stderr}`)),
      START_TIMEOUT_MS,
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith(READY_PREFIX)) return;
      clearTimeout(timer);
      resolve(Number(line.slice(READY_PREFIX.length)));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry.pathname} exited with ${code} before listening\n${stderr}`));
    });
  });
  return { origin: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Called by a server entry once it listens. */
export function announceListening(port: number): void {
  process.stdout.write(`${READY_PREFIX}${port}\n`);
}
