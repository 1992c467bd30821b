/**
 * The local Slack on its own, for any Slack app: the Web API fake, and the page whose clicks are signed
 * as Slack signs them and posted to the app's Request URL. `cli.ts` runs it from a terminal.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { createSlackDriver } from './slack-driver.js';
import { createSlackFake } from './slack-fake/index.js';
import { createSandboxServer } from './web/sandbox-server.js';

export const USAGE = `Usage: local-slack --app-url URL [options]

  --app-url URL          the app's Request URL (slash commands, interactivity, events), required
  --signing-secret TEXT  the secret requests are signed with (default: a new random one, printed)
  --bot-token TOKEN      the token the app must send (default xoxb-sandbox-token)
  --port N               the page's port on 127.0.0.1 (default 3001; 0 picks a free one)
  --api-port N           the Web API's port (default 0: a free one, printed as SLACK_API_URL)
  --user NAME            a person to act as on the page; repeat for more (default: alice and bob)
  --command /NAME        the app's slash commands, offered on the page; repeat for more (default: any)
  --state FILE           keep the workspace in FILE across restarts
  --help                 this text`;

export interface LocalSlackOptions {
  appUrl: string;
  signingSecret: string;
  botToken: string | undefined;
  port: number;
  apiPort: number;
  users: string[];
  commands: string[] | undefined;
  stateFile: string | undefined;
}

/** Bad input: its message is for the person at the terminal. */
export class UsageError extends Error {}

export function parseCliArgs(argv: string[]): LocalSlackOptions | 'help' {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const appUrl = values['app-url'];
  if (!appUrl) throw new UsageError('--app-url is required: the URL your app takes Slack requests on');
  if (!URL.canParse(appUrl) || !/^https?:$/.test(new URL(appUrl).protocol))
    throw new UsageError(
      `--app-url must be an http(s) URL, e.g. http://127.0.0.1:3000/slack/events (got ${appUrl})`,
    );
  const commands = values.command?.map((command) => {
    if (!/^\/[a-z0-9_-]+$/i.test(command))
      throw new UsageError(`--command must look like /incident (got ${command})`);
    return command;
  });
  const users = values.user ?? ['alice', 'bob'];
  for (const name of users) {
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name))
      throw new UsageError(`--user takes a Slack handle such as alice (got ${name})`);
  }
  return {
    appUrl,
    signingSecret: values['signing-secret'] ?? randomBytes(16).toString('hex'),
    botToken: values['bot-token'],
    port: portOption('--port', values.port ?? '3001'),
    apiPort: portOption('--api-port', values['api-port'] ?? '0'),
    users,
    commands,
    stateFile: values.state,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    options: {
      'app-url': { type: 'string' },
      'signing-secret': { type: 'string' },
      'bot-token': { type: 'string' },
      port: { type: 'string' },
      'api-port': { type: 'string' },
      user: { type: 'string', multiple: true },
      command: { type: 'string', multiple: true },
      state: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}

function portOption(flag: string, text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535)
    throw new UsageError(`${flag} must be a port number (got ${text})`);
  return port;
}

/** Starts the Web API fake and the page; resolves with their URLs and a stop function. */
export async function startLocalSlack(options: LocalSlackOptions): Promise<{
  apiUrl: string;
  pageUrl: string;
  stop(): Promise<void>;
}> {
  const fake = createSlackFake(options.botToken ? { botToken: options.botToken } : {});
  if (options.stateFile && existsSync(options.stateFile))
    fake.importState(readFileSync(options.stateFile, 'utf8'));
  for (const name of options.users) {
    if (!fake.listUsers().some((user) => user.name === name)) fake.addUser({ name });
  }
  await fake.start(options.apiPort, '127.0.0.1');
  const driver = createSlackDriver({ fake, appUrl: options.appUrl, signingSecret: options.signingSecret });
  const users = options.users.map((name) => ({
    id: fake.listUsers().find((u) => u.name === name)!.id,
    label: name,
  }));
  const page = createSandboxServer({
    fake,
    driver,
    users,
    title: 'local Slack',
    ...(options.commands ? { slashCommands: options.commands } : {}),
  });
  const server = createServer((req, res) => {
    if (!page.handler(req, res)) res.writeHead(404).end('not found\n');
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'EADDRINUSE'
          ? new UsageError(`port ${options.port} is in use; pick another with --port`)
          : error,
      ),
    );
    server.listen(options.port, '127.0.0.1', ready);
  }).catch(async (error: unknown) => {
    await fake.stop();
    throw error;
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const { stateFile } = options;
  const save = () => {
    if (stateFile) writeFileSync(stateFile, fake.exportState());
  };
  // Changes come in bursts (an app's reply is several calls): save once per 200 ms at most.
  let saveTimer: NodeJS.Timeout | undefined;
  const scheduleSave = () => {
    saveTimer ??= setTimeout(() => {
      saveTimer = undefined;
      save();
    }, 200);
  };
  if (stateFile) fake.events.on('change', scheduleSave);
  return {
    apiUrl: fake.apiUrl,
    pageUrl: `http://127.0.0.1:${port}/`,
    async stop() {
      fake.events.off('change', scheduleSave);
      clearTimeout(saveTimer);
      save();
      page.close();
      server.close();
      server.closeAllConnections();
      await fake.stop();
    },
  };
}
