import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

const ISSUER = 'Newhms';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret });
}

/** The otpauth:// URL and a QR code of it for an authenticator app. */
export async function enrolmentOf(secret: string, email: string) {
  const url = totp(secret, email).toString();
  return { secret, otpauthUrl: url, qrDataUrl: await QRCode.toDataURL(url) };
}

/** True when the code matches the current 30-second step or the one either side (clock drift). */
export function verifyTotp(secret: string, code: string): boolean {
  return totp(secret, 'x').validate({ token: code, window: 1 }) !== null;
}

export function currentTotp(secret: string): string {
  return totp(secret, 'x').generate();
}

/** Ten single-use recovery codes, shown once. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () => {
    const raw = randomBytes(6).toString('hex');
    return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  });
}
