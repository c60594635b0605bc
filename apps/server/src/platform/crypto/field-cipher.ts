import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Config } from '../config/config';
import type { Db } from '../db/database';
import { secrets } from '../db/platform.tables';

const VERSION = 'v1';

/**
 * Field-level encryption for values that must not sit in clear in the database or its backups (national
 * ids), plus a keyed hash of each value so that exact search works without decrypting. Both keys derive
 * from one master key (HKDF-SHA256); ciphertext is AES-256-GCM as "v1.<iv>.<ciphertext>.<tag>" in base64url.
 */
export class FieldCipher {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('The data key must be 32 bytes');
    this.encKey = Buffer.from(
      hkdfSync('sha256', masterKey, Buffer.alloc(0), 'newhms field encryption v1', 32),
    );
    this.macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'newhms lookup hash v1', 32));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString('base64url'), ct.toString('base64url'), tag.toString('base64url')].join('.');
  }

  decrypt(sealed: string): string {
    const [version, iv, ct, tag] = sealed.split('.');
    if (version !== VERSION || !iv || ct === undefined || !tag) throw new Error('Not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** A stable keyed hash of (kind, value): equal inputs give equal hashes, nothing else can be read. */
  lookupHash(kind: string, value: string): string {
    return createHmac('sha256', this.macKey).update(`${kind}\u0000${value}`).digest('base64url');
  }
}

/** The data key: from NEWHMS_DATA_KEY, else generated once and stored so that restarts can still decrypt. */
export async function loadFieldCipher(db: Db, config: Config): Promise<FieldCipher> {
  if (config.NEWHMS_DATA_KEY) return new FieldCipher(Buffer.from(config.NEWHMS_DATA_KEY, 'base64'));
  const name = 'field-encryption-key';
  await db
    .insert(secrets)
    .values({ name, value: randomBytes(32).toString('base64') })
    .onConflictDoNothing();
  const [row] = await db.select().from(secrets).where(eq(secrets.name, name));
  return new FieldCipher(Buffer.from(row!.value, 'base64'));
}
