import { z } from 'zod';

/** Each variable: its schema, a description for the README and --help, and whether it is a secret. */
const variables = {
  NEWHMS_DATA_DIR: {
    schema: z.string().min(1).default('./data'),
    description: 'Folder of the embedded PostgreSQL (PGlite) database and other local state.',
  },
  DATABASE_URL: {
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    description: 'PostgreSQL 15+ server to use instead of the embedded database.',
    secret: true,
  },
  DATABASE_POOL_SIZE: {
    schema: z.coerce.number().int().min(1).max(200).default(10),
    description: 'Connections per server process when DATABASE_URL is set.',
  },
  HOST: { schema: z.string().min(1).default('127.0.0.1'), description: 'Address to listen on.' },
  PORT: { schema: z.coerce.number().int().min(0).max(65535).default(3000), description: 'HTTP port.' },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    description: 'pino log level.',
  },
  NEWHMS_PUBLIC_URL: {
    schema: z.string().url().optional(),
    description: 'Public base URL (for links in e-mails and the TOTP issuer); defaults to http://HOST:PORT.',
  },
  NEWHMS_ADMIN_EMAIL: {
    schema: z.string().email().optional(),
    description: 'First administrator, created on the first start of an empty database.',
  },
  NEWHMS_ADMIN_PASSWORD: {
    schema: z.string().min(12).optional(),
    description: 'Password of the first administrator; a one-time random one is printed when unset.',
    secret: true,
  },
  NEWHMS_TOKEN_SECRET: {
    schema: z.string().min(32).optional(),
    description: 'Access-token signing key. When unset, one is generated once and stored in the database.',
    secret: true,
  },
  NEWHMS_DATA_KEY: {
    schema: z
      .string()
      .refine(
        (v) => Buffer.from(v, 'base64').length === 32,
        'must be 32 bytes in base64 (openssl rand -base64 32)',
      )
      .optional(),
    description:
      'Key that encrypts national ids (Aadhaar, passport, ...) at rest and keys their search hashes: 32 bytes ' +
      'in base64. When unset, one is generated once and stored in the database (set it in production and ' +
      'keep it out of the backups of the database).',
    secret: true,
  },
  NEWHMS_MFA_REQUIRED_ROLES: {
    schema: z
      .string()
      .default('admin')
      .transform((s) =>
        s
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean),
      ),
    description: 'Comma-separated roles that must use TOTP MFA; empty disables the requirement.',
  },
  NEWHMS_ACCESS_TOKEN_TTL_SECONDS: {
    schema: z.coerce.number().int().min(60).max(3600).default(900),
    description: 'Lifetime of an access token.',
  },
  NEWHMS_SESSION_IDLE_MINUTES: {
    schema: z.coerce.number().int().min(1).max(1440).default(30),
    description: 'A session unused for this long expires (HIPAA automatic logoff).',
  },
  NEWHMS_SESSION_MAX_HOURS: {
    schema: z.coerce.number().int().min(1).max(720).default(12),
    description: 'Absolute lifetime of a session.',
  },
  NEWHMS_COOKIE_SECURE: {
    schema: z.enum(['auto', 'true', 'false']).default('auto'),
    description: 'Secure flag of the refresh cookie; auto = on when NEWHMS_PUBLIC_URL is https.',
  },
  NEWHMS_CORS_ORIGINS: {
    schema: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      ),
    description: 'Comma-separated origins allowed by CORS; empty (default) turns CORS off.',
  },
  NATS_URL: {
    schema: z
      .string()
      .regex(/^nats:\/\//, 'must be a nats:// URL')
      .optional(),
    description: 'NATS JetStream server; when set, every outbox event is relayed to it.',
  },
  NEWHMS_NATS_STREAM: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default('NEWHMS_EVENTS'),
    description: 'JetStream stream that receives the events (subjects newhms.<event type>).',
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    schema: z.string().url().optional(),
    description: 'OpenTelemetry OTLP/HTTP endpoint; tracing is on only when set.',
  },
  NEWHMS_WEB_DIR: {
    schema: z.string().optional(),
    description: 'Folder of the built web app to serve; defaults to apps/web/dist.',
  },
  NEWHMS_EVENTS_POLL_MS: {
    schema: z.coerce.number().int().min(50).max(60000).default(1000),
    description: 'Fallback poll interval of the event dispatcher (LISTEN/NOTIFY wakes it sooner).',
  },
  NEWHMS_JOBS: {
    schema: z.enum(['on', 'off']).default('on'),
    description: 'Run background jobs and the event dispatcher in this process.',
  },
  NEWHMS_LAB_CRITICAL_ACK_MINUTES: {
    schema: z.coerce.number().int().min(1).max(240).default(15),
    description:
      'Minutes a critical laboratory value may stay unacknowledged before it escalates a level (up to 3).',
  },
  NEWHMS_RADIOLOGY_CRITICAL_ACK_MINUTES: {
    schema: z.coerce.number().int().min(1).max(240).default(30),
    description:
      'Minutes a critical radiology finding may stay unacknowledged before it escalates a level (up to 3).',
  },
  NEWHMS_PACS_VIEWER_URL: {
    schema: z
      .string()
      .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL without spaces')
      .refine(
        (v) => v.includes('{studyUid}') || v.includes('{accession}'),
        'must contain {studyUid} or {accession}',
      )
      .optional(),
    description:
      'Link to a study in the PACS viewer, with {studyUid} (DICOM Study Instance UID) and/or {accession}, e.g. ' +
      'https://pacs.example/viewer?StudyInstanceUIDs={studyUid}; radiology answers carry no link when unset.',
  },
  NEWHMS_HL7_PORT: {
    schema: z.coerce.number().int().min(0).max(65535).optional(),
    description: 'TCP port of the HL7 v2 (MLLP) listener for analyzer results; off unless set.',
  },
  NEWHMS_HL7_HOST: {
    schema: z.string().min(1).default('127.0.0.1'),
    description: 'Address the HL7 v2 (MLLP) listener binds to.',
  },
} as const;

type Vars = typeof variables;
type Parsed = { [K in keyof Vars]: z.output<Vars[K]['schema']> };

export type Config = Readonly<Parsed>;
export const configVariables = variables;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
}

// For lists, an empty value is a choice ("no roles need MFA"), not an unset variable.
const emptyMeansNone = new Set(['NEWHMS_MFA_REQUIRED_ROLES', 'NEWHMS_CORS_ORIGINS']);

const shape = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, v.schema])) as {
  [K in keyof Vars]: Vars[K]['schema'];
};
const schema = z.object(shape);

/** Reads configuration once from an environment, validates it and freezes it. Empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(variables)) {
    const v = env[key];
    if (v !== undefined && (v !== '' || emptyMeansNone.has(key))) input[key] = v;
  }
  // A mistyped NEWHMS_ variable should fail the start, not be silently ignored.
  const unknown = Object.keys(env).filter((k) => k.startsWith('NEWHMS_') && !(k in variables));
  const result = schema.safeParse(input);
  const issues = unknown.map((k) => `${k}: unknown variable`);
  if (!result.success) {
    for (const i of result.error.issues) issues.push(`${i.path.join('.')}: ${i.message}`);
  }
  if (issues.length > 0 || !result.success) throw new ConfigError(issues);
  return Object.freeze(result.data) as Config;
}

/** The configuration with secrets replaced, for logs. */
export function redactConfig(config: Config): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => {
      const meta = variables[k as keyof Vars] as { secret?: boolean };
      return [k, meta.secret && v !== undefined ? '[secret]' : v];
    }),
  );
}
