import { z } from 'zod';
import { AppError } from './errors.js';
import { SEVERITIES, type Severity } from './incidents/incident-types.js';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every environment variable the bot reads. This schema is the only reader of `process.env`;
 * docker-compose.yml and the README's configuration table are checked against its keys.
 */
const envShape = z.object({
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, 'must be a bot token starting with xoxb-')
    .optional(),
  SLACK_SIGNING_SECRET: z
    .string()
    .min(8, 'must be the app signing secret (Basic Information page)')
    .optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'must be an app-level token starting with xapp- (Basic Information → App-Level Tokens)')
    .optional(),
  SLACK_API_URL: z.url('must be a URL such as https://slack.com/api/').default('https://slack.com/api/'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(
      /^\s*[\w.-]+:\d{1,5}\s*(,\s*[\w.-]+:\d{1,5}\s*)*$/,
      'must list cluster nodes as host:port,host:port (e.g. redis-1:6379,redis-2:6379)',
    )
    .optional(),
  PORT: z.coerce
    .number({ error: 'must be a port number such as 3000' })
    .int('must be a port number such as 3000')
    .min(0)
    .max(65535)
    .default(3000),
  INCIDENT_ANNOUNCE_CHANNEL: z
    .string()
    .regex(/^[CG][A-Z0-9]{2,}$/, 'must be a channel id such as C0123ABCD (not a #name)')
    .optional(),
  INCIDENT_DEFAULT_SEVERITY: z.enum(SEVERITIES).default('SEV3'),
  ONCALL_CONFIG: z.string().min(1).optional(),
  INCIDENT_UPDATE_REMINDERS: z
    .string()
    .regex(
      /^\s*SEV[1-4]\s*=\s*(off|\d+ ?(ms|s|m|h|d))\s*(,\s*SEV[1-4]\s*=\s*(off|\d+ ?(ms|s|m|h|d))\s*)*$/i,
      'must look like SEV1=30m,SEV2=60m,SEV3=4h,SEV4=off',
    )
    .default('SEV1=30m,SEV2=60m,SEV3=4h,SEV4=off'),
  INCIDENT_ARCHIVE_AFTER: z
    .string()
    .regex(/^(off|\d+ ?(ms|s|m|h|d))$/i, 'must be off or a duration such as 1h or 7d')
    .default('off'),
  PUBLIC_URL: z
    .url('must be the public base URL of the bot, e.g. https://incident-bot.example.com')
    .optional(),
  LINK_SIGNING_KEYS: z
    .string()
    .regex(
      /^\s*[A-Za-z0-9+/=_-]{32,}\s*(,\s*[A-Za-z0-9+/=_-]{32,}\s*)*$/,
      'must be comma-separated keys of 32 or more characters (e.g. `openssl rand -base64 32`); the first signs',
    )
    .optional(),
  METRICS_PORT: z.coerce
    .number({ error: 'must be a port number such as 9464' })
    .int('must be a port number such as 9464')
    .min(0)
    .max(65535)
    .optional(),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds such as 30000 (0 = no limit)' })
    .int('must be a whole number of milliseconds')
    .min(0)
    .default(30_000),
  RETENTION_DAYS: z.coerce
    .number({ error: 'must be a number of days such as 30' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .default(30),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  SMTP_URL: z
    .url({
      protocol: /^smtps?$/,
      error: 'must be an smtp:// or smtps:// URL such as smtp://user:pass@host:587',
    })
    .optional(),
  EMAIL_FROM: z.email('must be the sender address of page emails, e.g. pager@example.com').optional(),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio account SID (AC followed by 32 hex digits)')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(16, 'must be the Twilio auth token (Console → Account info)').optional(),
  TWILIO_FROM: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be the Twilio number pages come from, in E.164 (+15551230000)')
    .optional(),
  TWILIO_API_URL: z.url('must be a URL such as https://api.twilio.com').default('https://api.twilio.com'),
  PUSH_URL: z.url('must be the base URL of an ntfy-compatible server, e.g. https://ntfy.sh').optional(),
});

/** The names of every variable the bot reads (docker-compose.yml may set no others). */
export const ENV_VARIABLE_NAMES = Object.keys(envShape.shape);

export const envSchema = envShape;

const REQUIRED_WITH_SLACK = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'DATABASE_URL', 'REDIS_URL'] as const;

export interface Config {
  /** True when no Slack credentials are configured: the bot talks to the local Slack. */
  sandbox: boolean;
  slack: {
    botToken: string | undefined;
    signingSecret: string | undefined;
    apiUrl: string;
    /** Set: Slack's requests arrive over Socket Mode, not POST /slack/events. */
    appToken: string | undefined;
  };
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Seed nodes of a Redis Cluster (REDIS_CLUSTER_NODES); used instead of redisUrl when set. */
  redisClusterNodes: Array<{ host: string; port: number }> | undefined;
  port: number;
  announceChannelId: string | undefined;
  defaultSeverity: Severity;
  oncallConfigPath: string | undefined;
  /** How long an incident may go without a status update before the commander is nudged; null = never. */
  updateReminders: Record<Severity, number | null>;
  /** Archive an incident's channel this long after it is closed; null = never (the default). */
  archiveAfterMs: number | null;
  publicUrl: string | undefined;
  /** LINK_SIGNING_KEYS: the first signs postmortem links, all verify; unset: a key kept in Postgres. */
  linkSigningKeys: string[] | undefined;
  /** Where /metrics is served (its own listener, never the Slack-facing one); unset: not served. */
  metricsPort: number | undefined;
  /** Longest a single database statement may run; 0 = no limit. */
  statementTimeoutMs: number;
  /** Processed Slack event ids and declare idempotency keys older than this are deleted. */
  retentionDays: number;
  logLevel: (typeof logLevels)[number];
  /** Providers of the non-Slack channels (`people:` in oncall.yaml); each null when not configured. */
  providers: NotifyProviders;
  /** Where `${VAR}` in oncall.yaml is looked up: the same environment, never logged. */
  oncallEnv: Readonly<Record<string, string | undefined>>;
}

/** Parses the environment once; a bad environment fails with one error listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "unset", as docker-compose's `VAR=` and shell exports produce.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  const lines = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  // Outside the sandbox the bot cannot run without all four; checked here so they join the same list.
  const sandbox = cleaned.SLACK_BOT_TOKEN === undefined && cleaned.SLACK_SIGNING_SECRET === undefined;
  if (!sandbox) {
    for (const key of REQUIRED_WITH_SLACK) {
      if (key === 'REDIS_URL' && cleaned.REDIS_CLUSTER_NODES !== undefined) continue;
      if (cleaned[key] === undefined) lines.push(`  ${key}: is required when Slack credentials are set`);
    }
  }
  if (!parsed.success || lines.length > 0) {
    throw new AppError('config_invalid', `Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const providerLines: string[] = [];
  const providers = notifyProviders(e, providerLines);
  if (providerLines.length > 0) {
    throw new AppError('config_invalid', `Invalid configuration:\n${providerLines.join('\n')}`);
  }
  return {
    sandbox: e.SLACK_BOT_TOKEN === undefined && e.SLACK_SIGNING_SECRET === undefined,
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL,
      appToken: e.SLACK_APP_TOKEN,
    },
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisClusterNodes: e.REDIS_CLUSTER_NODES?.split(',').map((node) => {
      const [host, port] = node.trim().split(':');
      return { host: host!, port: Number(port) };
    }),
    port: e.PORT,
    announceChannelId: e.INCIDENT_ANNOUNCE_CHANNEL,
    defaultSeverity: e.INCIDENT_DEFAULT_SEVERITY,
    oncallConfigPath: e.ONCALL_CONFIG,
    updateReminders: parseReminders(e.INCIDENT_UPDATE_REMINDERS),
    archiveAfterMs: parseOptionalDuration(e.INCIDENT_ARCHIVE_AFTER),
    publicUrl: e.PUBLIC_URL,
    linkSigningKeys: e.LINK_SIGNING_KEYS?.split(',').map((key) => key.trim()),
    metricsPort: e.METRICS_PORT,
    statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    retentionDays: e.RETENTION_DAYS,
    logLevel: e.LOG_LEVEL,
    providers,
    oncallEnv: Object.freeze({ ...env }),
  };
}

const PROVIDER_KEYS = {
  SMTP_URL: true,
  EMAIL_FROM: true,
  TWILIO_ACCOUNT_SID: true,
  TWILIO_AUTH_TOKEN: true,
  TWILIO_FROM: true,
  TWILIO_API_URL: true,
  PUSH_URL: true,
} as const;

/**
 * Only the delivery providers of `env`, for `config:check`: it runs where the bot's Slack, database
 * and Redis settings may be absent (or only SLACK_BOT_TOKEN, to ask Slack about user groups).
 */
export function loadNotifyProviders(env: Record<string, string | undefined> = process.env): NotifyProviders {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in PROVIDER_KEYS && value !== undefined && value !== ''),
  );
  const parsed = envShape.pick(PROVIDER_KEYS).safeParse(cleaned);
  const lines = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  const providers = parsed.success ? notifyProviders(parsed.data as z.output<typeof envShape>, lines) : null;
  if (!providers || lines.length > 0) {
    throw new AppError('config_invalid', `Invalid configuration:\n${lines.join('\n')}`);
  }
  return providers;
}

/** The secrets here (SMTP password, Twilio auth token) must never be logged. */
export interface NotifyProviders {
  email: { url: string; from: string } | null;
  twilio: { accountSid: string; authToken: string; from: string; apiUrl: string } | null;
  push: { url: string } | null;
}

/** A provider is configured by all of its variables or none; half a provider is a mistake. */
function notifyProviders(e: z.output<typeof envShape>, lines: string[]): NotifyProviders {
  const group = <K extends keyof typeof e>(keys: readonly K[]): boolean => {
    const set = keys.filter((key) => e[key] !== undefined);
    if (set.length > 0 && set.length < keys.length) {
      const missing = keys.filter((key) => e[key] === undefined);
      lines.push(
        `  ${missing.join(', ')}: ${missing.length === 1 ? 'is' : 'are'} required with ${set.join(', ')}`,
      );
    }
    return set.length === keys.length;
  };
  return {
    email: group(['SMTP_URL', 'EMAIL_FROM']) ? { url: e.SMTP_URL!, from: e.EMAIL_FROM! } : null,
    twilio: group(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'])
      ? {
          accountSid: e.TWILIO_ACCOUNT_SID!,
          authToken: e.TWILIO_AUTH_TOKEN!,
          from: e.TWILIO_FROM!,
          apiUrl: e.TWILIO_API_URL,
        }
      : null,
    push: e.PUSH_URL === undefined ? null : { url: e.PUSH_URL },
  };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function parseReminders(text: string): Record<Severity, number | null> {
  const result: Record<Severity, number | null> = { SEV1: null, SEV2: null, SEV3: null, SEV4: null };
  for (const part of text.split(',')) {
    const match = /^\s*(SEV[1-4])\s*=\s*(?:(off)|(\d+) ?(ms|s|m|h|d))\s*$/i.exec(part);
    if (!match) continue;
    const severity = match[1]!.toUpperCase() as Severity;
    result[severity] = match[2] ? null : Number(match[3]) * UNIT_MS[match[4]!.toLowerCase()]!;
  }
  return result;
}

function parseOptionalDuration(text: string): number | null {
  const match = /^(\d+) ?(ms|s|m|h|d)$/i.exec(text.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]!.toLowerCase()]! : null;
}
