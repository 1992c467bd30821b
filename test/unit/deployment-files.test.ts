import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_VARIABLE_NAMES } from '../../src/config.js';

// Compose resolves YAML merge keys (<<: *anchor), so the test does too.
const load = async (file: string) =>
  parse(await readFile(new URL(`../../${file}`, import.meta.url), 'utf8'), { merge: true });

describe('docker-compose.yml', () => {
  it('runs Postgres 16, Redis 7 with noeviction and AOF, a web role and a worker role, all health-checked', async () => {
    const compose = await load('docker-compose.yml');
    const services = compose.services;
    expect(Object.keys(services).sort()).toEqual(['postgres', 'redis', 'web', 'worker']);
    expect(services.postgres.image).toMatch(/^postgres:16/);
    expect(services.redis.image).toMatch(/^redis:7/);
    const redisArgs: string[] = services.redis.command;
    expect(redisArgs.join(' ')).toContain('--maxmemory-policy noeviction');
    expect(redisArgs.join(' ')).toContain('--appendonly yes');
    expect(services.web.command).toEqual(['web']);
    expect(services.worker.command).toEqual(['worker']);
    for (const name of ['postgres', 'redis', 'web', 'worker']) {
      expect(services[name].healthcheck?.test, `${name} has a health check`).toBeDefined();
    }
    for (const name of ['web', 'worker']) {
      expect(services[name].depends_on.postgres.condition).toBe('service_healthy');
      expect(services[name].depends_on.redis.condition).toBe('service_healthy');
    }
  });

  it('sets only environment variables the config schema knows, pointing at the compose services', async () => {
    const compose = await load('docker-compose.yml');
    for (const name of ['web', 'worker']) {
      const env: Record<string, string> = compose.services[name].environment;
      for (const key of Object.keys(env)) expect(ENV_VARIABLE_NAMES, `${name} sets ${key}`).toContain(key);
      expect(env.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      for (const key of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'DATABASE_URL', 'REDIS_URL']) {
        expect(env[key], `${name} sets ${key}`).toBeTruthy();
      }
    }
    // /metrics has its own listener, on the compose network only: never published like the Slack port.
    for (const name of ['web', 'worker']) {
      const service = compose.services[name];
      expect(service.environment.METRICS_PORT).toBe('9464');
      expect(service.expose).toEqual(['9464']);
      expect(JSON.stringify(service.ports ?? [])).not.toContain('9464');
      expect(service.environment.PORT).not.toBe(service.environment.METRICS_PORT);
    }
    // The database credentials match between the bot and the Postgres service.
    const pg = compose.services.postgres.environment;
    expect(compose.services.web.environment.DATABASE_URL).toBe(
      `postgres://${pg.POSTGRES_USER}:${pg.POSTGRES_PASSWORD}@postgres:5432/${pg.POSTGRES_DB}`,
    );
  });
});

describe('manifest.socket-mode.yml', () => {
  it('is manifest.yml with Socket Mode on and no request URLs', async () => {
    const http = await load('manifest.yml');
    const socket = await load('manifest.socket-mode.yml');
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(socket)).not.toContain('url');
    delete http.features.slash_commands[0].url;
    delete http.settings.interactivity.request_url;
    delete http.settings.event_subscriptions.request_url;
    http.settings.socket_mode_enabled = true;
    expect(socket).toEqual(http);
  });
});

describe('manifest.yml', () => {
  it('declares /incident, interactivity and events on the one Request URL', async () => {
    const manifest = await load('manifest.yml');
    const [command] = manifest.features.slash_commands;
    expect(command.command).toBe('/incident');
    // Mentions must arrive as <@U…> ids for `/incident page @person`.
    expect(command.should_escape).toBe(true);
    const urls = [
      command.url,
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
    ];
    for (const url of urls) expect(url).toBe('https://incident-bot.example.com/slack/events');
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
  });

  it('subscribes to the events and shortcut the bot handles', async () => {
    const manifest = await load('manifest.yml');
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining([
        'app_home_opened',
        'pin_added',
        'pin_removed',
        'reaction_added',
        'reaction_removed',
      ]),
    );
    expect(manifest.features.shortcuts).toContainEqual(
      expect.objectContaining({ type: 'message', callback_id: 'timeline-add' }),
    );
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it('asks for the bot scopes of every Web API method the bot calls', async () => {
    const scopes: string[] = (await load('manifest.yml')).oauth_config.scopes.bot;
    const needed: Record<string, string[]> = {
      'conversations.create/invite/setTopic (public and private)': ['channels:manage', 'groups:write'],
      'chat.postMessage/update/postEphemeral': ['chat:write', 'chat:write.public'],
      'conversations.list': ['channels:read', 'groups:read'],
      'conversations.history': ['channels:history', 'groups:history'],
      'pins.add': ['pins:write'],
      'pin and reaction events': ['pins:read', 'reactions:read'],
      'users.lookupByEmail (needs users:read too)': ['users:read', 'users:read.email'],
      'files upload v2': ['files:write'],
      'usergroups.list/create/users.update (schedules with slack_usergroup)': [
        'usergroups:read',
        'usergroups:write',
      ],
      '/incident': ['commands'],
    };
    for (const [use, list] of Object.entries(needed)) {
      for (const scope of list) expect(scopes, `${scope} for ${use}`).toContain(scope);
    }
  });
});
