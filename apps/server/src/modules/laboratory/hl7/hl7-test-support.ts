import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The sample messages live beside the repository (../shared/testdata from the repo root), not in it.
const repoRoot = fileURLToPath(new URL('../../../../../../', import.meta.url));
const folder = join(repoRoot, '../shared/testdata/hl7v2');

export const hasHl7Samples =
  existsSync(join(folder, 'LAB-ORU-1.hl7')) && existsSync(join(folder, 'LRI-CBC-ORU.hl7'));
if (!hasHl7Samples) {
  console.warn(
    `Skipping the HL7 v2 sample-message tests: ${folder} is absent (it comes with the shared test data).`,
  );
}

/** A sample message as it travels over MLLP: segments ending in CR (the files use LF). */
export function readHl7Sample(name: 'LAB-ORU-1' | 'LRI-CBC-ORU'): string {
  return readFileSync(join(folder, `${name}.hl7`), 'utf8')
    .trimEnd()
    .split('\n')
    .join('\r');
}

/** The sample file exactly as stored, LF-separated. */
export function readHl7SampleFile(name: 'LAB-ORU-1' | 'LRI-CBC-ORU'): string {
  return readFileSync(join(folder, `${name}.hl7`), 'utf8');
}

/** Replaces field `field` of the first segment named `segment` (MSH counts MSH-1 as field 1). */
export function withField(
  message: string,
  segment: string,
  field: number,
  value: string,
  occurrence = 1,
): string {
  let seen = 0;
  return message
    .split('\r')
    .map((line) => {
      if (!line.startsWith(`${segment}|`) || ++seen !== occurrence) return line;
      const parts = line.split('|');
      const index = segment === 'MSH' ? field - 1 : field;
      while (parts.length <= index) parts.push('');
      parts[index] = value;
      return parts.join('|');
    })
    .join('\r');
}
