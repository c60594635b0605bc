// Builds apps/web when its dist is missing or older than any of its sources (or the contracts it uses).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const builtIndex = join(root, 'apps/web/dist/index.html');
const sources = [
  'apps/web/src',
  'apps/web/public',
  'apps/web/index.html',
  'apps/web/vite.config.ts',
  'apps/web/package.json',
  'packages/contracts/src',
].map((p) => join(root, p));

/** The newest file under a path, as [mtimeMs, path]. */
function newest(path) {
  if (!existsSync(path)) return [0, path];
  const stat = statSync(path);
  if (!stat.isDirectory()) return [stat.mtimeMs, path];
  let best = [0, path];
  for (const entry of readdirSync(path)) {
    const found = newest(join(path, entry));
    if (found[0] > best[0]) best = found;
  }
  return best;
}

function staleReason() {
  if (!existsSync(builtIndex)) return 'apps/web/dist/index.html is missing';
  const builtAt = statSync(builtIndex).mtimeMs;
  for (const source of sources) {
    const [mtime, file] = newest(source);
    if (mtime > builtAt) return `${relative(root, file)} changed since the last build`;
  }
  return null;
}

const reason = staleReason();
if (!reason) {
  console.log('web build is up to date (apps/web/dist)');
} else {
  console.log(`building the web app: ${reason}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build', '-w', 'apps/web'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
