import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';

describe('start-up with people rules', () => {
  it('refuses to start when a rule names a channel whose provider is not configured', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'people-start-')), 'oncall.yaml');
    writeFileSync(
      file,
      `${oncallFixture({ levels: [['user:U0BOB', '5m']] }).replaceAll('{bob}', 'U0BOB')}
people:
  U0BOB:
    phone: "+15551230001"
    notify: [{ via: slack }, { via: voice, after: 5m }]
`,
    );
    const config = loadConfig({
      // Never reached: the file is refused before anything connects.
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      REDIS_URL: 'redis://127.0.0.1:1',
      ONCALL_CONFIG: file,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789',
      LOG_LEVEL: 'silent',
    });
    await expect(
      startBot({ config, role: 'all', logger: createLogger({ level: 'silent' }) }),
    ).rejects.toThrow(
      'people.U0BOB.notify[1].via: voice is not configured; set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM in the environment',
    );
  });
});
