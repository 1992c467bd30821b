import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../src/free-port.js';
import { parseCliArgs, UsageError } from '../src/standalone.js';

const PACKAGE_DIR = fileURLToPath(new URL('../', import.meta.url));
const SECRET = 'standalone-signing-secret';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('local-slack command-line options', () => {
  it('needs the app URL and says what it is for', () => {
    expect(() => parseCliArgs([])).toThrow(
      new UsageError('--app-url is required: the URL your app takes Slack requests on'),
    );
    expect(() => parseCliArgs(['--app-url', 'ftp://x'])).toThrow(/--app-url must be an http\(s\) URL/);
  });

  it('refuses bad ports, commands, handles and unknown flags with the value it got', () => {
    const app = ['--app-url', 'http://127.0.0.1:3000/slack/events'];
    expect(() => parseCliArgs([...app, '--port', 'http'])).toThrow('--port must be a port number (got http)');
    expect(() => parseCliArgs([...app, '--api-port', '70000'])).toThrow(/--api-port must be a port number/);
    expect(() => parseCliArgs([...app, '--command', 'ping'])).toThrow('--command must look like /incident');
    expect(() => parseCliArgs([...app, '--user', '@bob'])).toThrow('--user takes a Slack handle');
    expect(() => parseCliArgs([...app, '--colour', 'red'])).toThrow(UsageError);
  });

  it('defaults to port 3001, a free API port, Alice and Bob, and a fresh signing secret', () => {
    const options = parseCliArgs(['--app-url', 'http://127.0.0.1:3000/slack/events']);
    expect(options).toMatchObject({ port: 3001, apiPort: 0, users: ['alice', 'bob'], commands: undefined });
    expect(options !== 'help' && options.signingSecret).toMatch(/^[0-9a-f]{32}$/);
    expect(parseCliArgs(['--help'])).toBe('help');
  });
});

function runCli(args: string[]): { child: ChildProcess; output(): string; exited: Promise<number | string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: PACKAGE_DIR,
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((done) =>
    child.once('exit', (code, signal) => done(code ?? signal ?? -1)),
  );
  cleanups.push(() => child.kill('SIGKILL'));
  return { child, output: () => output, exited };
}

async function until<T>(check: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('local-slack, run on its own for a plain Bolt app', () => {
  it('serves the Web API and the page, and delivers what a person types as Slack would', async () => {
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}/api/`;
    const app = new App({
      signingSecret: SECRET,
      token: 'xoxb-standalone',
      // Bolt would ask auth.test for these before the local Slack has started.
      botId: 'BBOT00001',
      botUserId: 'UBOT00001',
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/ping', async ({ ack, command, client }) => {
      await ack('pong');
      await client.chat.postMessage({ channel: command.channel_id, text: `pong ${command.text}` });
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as { address(): AddressInfo };
    cleanups.push(() => app.stop());
    const dir = mkdtempSync(join(tmpdir(), 'local-slack-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const stateFile = join(dir, 'slack.json');

    const cli = runCli(
      [
        ['--app-url', `http://127.0.0.1:${server.address().port}/slack/events`],
        ['--signing-secret', SECRET, '--bot-token', 'xoxb-standalone'],
        ['--port', '0', '--api-port', String(apiPort), '--user', 'riley', '--command', '/ping'],
        ['--state', stateFile],
      ].flat(),
    );
    const pageUrl = await until(() => {
      if (cli.child.exitCode !== null) throw new Error(`local-slack exited:\n${cli.output()}`);
      return /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(cli.output())?.[1];
    }, 'local-slack to print its URL');
    expect(cli.output()).toContain(`SLACK_API_URL=${apiUrl}`);
    expect(cli.output()).toContain(`SLACK_SIGNING_SECRET=${SECRET}`);

    const { users, commands } = (await (await fetch(`${pageUrl}api/users`)).json()) as {
      users: { id: string }[];
      commands: string[];
    };
    expect(users).toHaveLength(1);
    expect(commands).toEqual(['/ping']); // the page's composer hints at the app's own command
    const riley = users[0]!.id;
    const client = new WebClient('xoxb-standalone', { slackApiUrl: apiUrl, retryConfig: { retries: 0 } });
    const general = (await client.conversations.list()).channels!.find((c) => c.name === 'general')!.id!;
    const command = (text: string) =>
      fetch(`${pageUrl}api/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: new URL(pageUrl).origin },
        body: JSON.stringify({ user: riley, channel: general, text }),
      });

    const answer = await command('/ping hello');
    expect(answer.status).toBe(200);
    expect(JSON.stringify(await answer.json())).toContain('pong');
    const posted = await until(async () => {
      const { messages } = await client.conversations.history({ channel: general });
      return messages?.find((m) => m.text === 'pong hello');
    }, 'the app to post through the Web API');
    expect(posted.bot_id).toBeTruthy();
    const refused = await command('/other');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: '/other is not a command of this app. Try /ping help.' });

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(readFileSync(stateFile, 'utf8')).toContain('pong hello');
  }, 90_000);

  it('exits 2 with the usage when the app URL is missing', async () => {
    const cli = runCli(['--port', '0']);
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toContain('--app-url is required');
    expect(cli.output()).toContain('Usage: local-slack --app-url URL');
  }, 60_000);
});
