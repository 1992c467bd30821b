import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, ensurePrograms } from '@incident-bot/local-slack';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { type SandboxProcess, startSandboxProcess, stopSandboxServers } from './sandbox-process.js';

/** Debian's Chromium (or CHROMIUM_PATH), kept off the network it cannot reach. */
export function launchChromium(): Promise<Browser> {
  // Missing Chromium: the error says how to install it (npm test's setup installs it where it can).
  const executablePath =
    process.env.CHROMIUM_PATH ?? ensurePrograms([CHROMIUM], { why: 'The browser test', install: false })[0]!;
  return chromium.launch({
    executablePath,
    // Root in CI needs --no-sandbox; the rest keeps Chromium off the network it cannot reach.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Opens the sandbox page and waits for its first render; script errors on it go to `pageErrors`. */
export async function openSandboxPage(browser: Browser, url: string, pageErrors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(url);
  await page.locator('body[data-ready=true]').waitFor();
  return page;
}

/** The page updates over HTTP and server-sent events: allow a loaded CI machine its time. */
export const eventually = <T>(read: () => T | Promise<T>) =>
  expect.poll(read, { timeout: 20_000, interval: 100 });

export async function actAs(page: Page, label: RegExp): Promise<void> {
  const switcher = page.getByTestId('user-switcher');
  const option = await switcher.locator('option').filter({ hasText: label }).first().getAttribute('value');
  await switcher.selectOption(option!);
}

/** Types into the composer and sends, as a person would. */
export async function command(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer-send').click();
}

export interface SandboxInBrowser {
  dataDir: string;
  /** The running sandbox; a test may stop it and start another on the same data. */
  sandbox: SandboxProcess | null;
  browser: Browser;
  /** Script errors on any page opened with `open`. */
  pageErrors: string[];
  open(url?: string): Promise<Page>;
}

/**
 * A fresh sandbox (`npm start --fresh` with its data in a temporary folder) and Chromium, for the
 * test file that calls this: started before its tests, stopped and removed after them.
 */
export function sandboxInBrowser(prefix: string): SandboxInBrowser {
  const env = { sandbox: null, pageErrors: [] as string[] } as unknown as SandboxInBrowser;
  env.open = (url) => openSandboxPage(env.browser, url ?? env.sandbox!.url, env.pageErrors);
  beforeAll(async () => {
    env.dataDir = mkdtempSync(join(tmpdir(), prefix));
    [env.sandbox, env.browser] = await Promise.all([
      startSandboxProcess(env.dataDir, ['--fresh']),
      launchChromium(),
    ]);
  }, 120_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.sandbox?.stop();
    stopSandboxServers(env.dataDir);
    rmSync(env.dataDir, { recursive: true, force: true });
  });
  return env;
}
