import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, createSlackLogger } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination }) };
}

describe('logs', () => {
  it('never contain tokens, signing secrets, signatures or signed links', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        token: 'xoxb-secret-token',
        slack: { botToken: 'xoxb-nested', signingSecret: 'shh' },
        headers: { authorization: 'Bearer xoxb-header', 'x-slack-signature': 'v0=abc' },
        response_url: 'https://hooks.slack.com/commands/T1/secret',
        signedUrl: 'https://bot.example/incidents/1/postmortem.md?sig=abc',
        providers: { twilio: { authToken: 'twilio-token-secret' } },
        message: { ackUrl: 'https://bot.example/pages/1/ack?expires=1&sig=def' },
        incident: 12,
      },
      'declared',
    );
    const line = lines.join('');
    for (const secret of [
      'xoxb-secret-token',
      'xoxb-nested',
      'shh',
      'xoxb-header',
      'v0=abc',
      'commands/T1/secret',
      'sig=abc',
      'twilio-token-secret',
      'sig=def',
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('"incident":12');
    expect(line).toContain('[redacted]');
  });

  it('carry Bolt’s messages through the same logger', () => {
    const { lines, logger } = capture();
    const slack = createSlackLogger(logger);
    slack.warn('An incoming event was not acknowledged within 3 seconds');
    slack.debug('http request', {
      token: 'xoxb-1-2-abc',
      url: 'https://hooks.slack.com/actions/T1/2/secret',
    });
    // A DM of calendar links, as WebClient logs a request at debug level.
    slack.debug(`chat.postMessage text=<https://bot.example/oncall/calendar/${'Zq4_-'.repeat(8)}abc.ics>`);
    expect(lines[2]).toContain('/oncall/calendar/[redacted].ics');
    expect(lines[2]).not.toContain('Zq4_-');
    expect(lines[1]).not.toContain('xoxb-1-2-abc');
    expect(lines[1]).not.toContain('actions/T1/2/secret');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 40,
      component: 'slack',
      msg: 'An incoming event was not acknowledged within 3 seconds',
    });
  });
});
