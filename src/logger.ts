import type { Logger as SlackLogger } from '@slack/logger';
import { LogLevel } from '@slack/logger';
import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** Paths that may carry secrets: tokens, signing secrets, signed links. Never logged. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
  'headers["x-slack-signature"]',
  'url',
  '*.url',
  'response_url',
  '*.response_url',
  'signedUrl',
  '*.signedUrl',
  'authToken',
  '*.authToken',
  '*.*.authToken',
  'ackUrl',
  '*.ackUrl',
  'headers["x-twilio-signature"]',
  'req.headers["x-twilio-signature"]',
];

export function createLogger(options: { level: string; destination?: NodeJS.WritableStream }): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { app: 'incident-bot' },
    },
    options.destination as never,
  );
}

const boltToPino: Record<LogLevel, string> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

/** Bolt and WebClient log free text, which path-based redaction cannot see into. */
export function scrubSecrets(text: string): string {
  return text
    .replace(/xox[a-z]-[A-Za-z0-9-]+/g, 'xox?-[redacted]')
    .replace(/https:\/\/hooks\.slack\.com\/\S+/g, '[redacted-url]')
    .replace(/([?&]sig(?:nature)?=)[^&\s"]+/gi, '$1[redacted]')
    .replace(/(\/oncall\/calendar\/)[A-Za-z0-9_-]+/g, '$1[redacted]')
    .replace(/(smtps?:\/\/[^:@/\s]*:)[^@/\s]+@/gi, '$1[redacted]@');
}

const join = (msg: unknown[]) =>
  scrubSecrets(msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' '));

/** Bolt and WebClient log through this, so their lines share our format and redaction. */
export function createSlackLogger(logger: Logger): SlackLogger {
  let child = logger.child({ component: 'slack' });
  // Bolt logs a few debug lines per request: skip building them when the level is off.
  return {
    debug: (...msg: unknown[]) => child.isLevelEnabled('debug') && child.debug(join(msg)),
    info: (...msg: unknown[]) => child.isLevelEnabled('info') && child.info(join(msg)),
    warn: (...msg: unknown[]) => child.isLevelEnabled('warn') && child.warn(join(msg)),
    error: (...msg: unknown[]) => child.isLevelEnabled('error') && child.error(join(msg)),
    setLevel: (level: LogLevel) => {
      child.level = boltToPino[level] ?? 'info';
    },
    getLevel: () => {
      const entry = Object.entries(boltToPino).find(([, v]) => v === child.level);
      return (entry?.[0] as LogLevel | undefined) ?? LogLevel.INFO;
    },
    setName: (name: string) => {
      child = logger.child({ component: name });
    },
  };
}
