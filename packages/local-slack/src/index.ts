/**
 * @incident-bot/local-slack: a Slack workspace on one machine. The Web API fake, the signed-request
 * driver that plays Slack towards an app, the browser page over both, and the small process helpers
 * (free port, redis-server, system programs) that tests and sandboxes around them need.
 */

export { freePort } from './free-port.js';
export type { ClockLike, DateClock } from './millis-clock.js';
export * from './outbox/index.js';
export { type RedisProcess, spawnRedisServer } from './redis-process.js';
export { signSlackRequest } from './request-signing.js';
export * from './slack-driver.js';
export { CHANNEL_NAME_MAX_LENGTH, channelNameError } from './slack-fake/channel-names.js';
export * from './slack-fake/index.js';
export { type LocalSlackOptions, parseCliArgs, startLocalSlack, UsageError } from './standalone.js';
export {
  ALERTMANAGER,
  CHROMIUM,
  ensurePrograms,
  findOnPath,
  MissingProgramError,
  PROMTOOL,
  REDIS_SERVER,
  type SystemProgram,
} from './system-packages.js';
export {
  createSandboxServer,
  type SandboxServer,
  type SandboxServerOptions,
  type SandboxTool,
  type SandboxUser,
} from './web/sandbox-server.js';
