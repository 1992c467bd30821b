import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Pool } from '../db/pool.js';
import { createCallStatus } from '../escalation/call-status.js';
import { createNotifyTests, type NotifyTestReporter } from '../escalation/notify-tests.js';
import type { OncallConfig } from '../escalation/oncall-config.js';
import type { Outbox } from '../jobs/outbox.js';
import { configuredChannels, createChannelSenders } from './providers.js';

/**
 * The delivery channels the environment configures and what is built on them: test notifications
 * (null without an oncall.yaml) and the Twilio call-status record. Built once by the composition root.
 */
export function createNotifications(deps: {
  pool: Pool;
  clock: Clock;
  outbox: Outbox;
  config: Pick<Config, 'providers'>;
  /** Null without an oncall.yaml (then no test notifications). */
  oncall: Pick<OncallConfig, 'people'> | null;
  baseUrl: () => string;
  reporter: NotifyTestReporter;
  emailTls?: { rejectUnauthorized: boolean } | undefined;
}) {
  const { pool, clock, outbox, oncall } = deps;
  const { providers } = deps.config;
  const senders = createChannelSenders(
    providers,
    deps.baseUrl,
    deps.emailTls ? { emailTls: deps.emailTls } : {},
  );
  return {
    senders,
    callStatus: createCallStatus({ clock, outbox }),
    notifyTests: oncall
      ? createNotifyTests({
          pool,
          clock,
          outbox,
          people: oncall.people,
          configured: configuredChannels(providers),
          senders,
          reporter: deps.reporter,
        })
      : null,
  };
}
