import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RedisProcess, spawnRedisServer } from '@incident-bot/local-slack';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);

export interface ClusterNode {
  port: number;
  pid: number;
  process: RedisProcess;
}

export interface RedisCluster {
  nodes: ClusterNode[];
  /** `127.0.0.1:port,…`: REDIS_CLUSTER_NODES. */
  seeds: string;
  /** `redis-cli -p port …` against one node. */
  cli(port: number, ...args: string[]): Promise<string>;
  /** The port of the master serving the slot of `key` (ask any live node). */
  masterFor(key: string, askPort: number): Promise<number>;
  stop(): Promise<void>;
}

/** A port whose cluster bus port (port + 10000) is free too. */
async function clusterPort(taken: Set<number>): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if (taken.has(port)) continue;
    if ((await free(port)) && (await free(port + 10_000))) {
      taken.add(port);
      return port;
    }
  }
}

/**
 * A real Redis Cluster on loopback: three masters with one replica each (Debian's redis-server in
 * cluster mode, joined with `redis-cli --cluster create`), every node with maxmemory-policy noeviction.
 */
export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'incident-bot-cluster-'));
  const taken = new Set<number>();
  const nodes: ClusterNode[] = [];
  const cli = async (port: number, ...args: string[]) =>
    (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])).stdout;
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.process.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 6; i++) {
      const port = await clusterPort(taken);
      const process = await spawnRedisServer({
        port,
        dir,
        args: [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          // A failed master is noticed after this long; its replica then takes over.
          '--cluster-node-timeout',
          '2000',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dbfilename',
          `dump-${port}.rdb`,
        ],
      });
      nodes.push({ port, pid: process.pid, process });
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map((node) => `127.0.0.1:${node.port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    for (const node of nodes) {
      await waitFor(async () => (await cli(node.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'), {
        timeoutMs: 30_000,
        what: `cluster node ${node.port} to see the cluster as ok`,
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    nodes,
    seeds: nodes.map((node) => `127.0.0.1:${node.port}`).join(','),
    cli,
    async masterFor(key, askPort) {
      const slot = Number((await cli(askPort, 'CLUSTER', 'KEYSLOT', key)).trim());
      // CLUSTER NODES: "<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <state> <slots…>"
      for (const line of (await cli(askPort, 'CLUSTER', 'NODES')).trim().split('\n')) {
        const [, address, flags, , , , , state, ...ranges] = line.split(' ');
        if (!flags?.includes('master') || flags.includes('fail') || state !== 'connected') continue;
        for (const range of ranges) {
          const [from, to = from] = range.split('-').map(Number);
          if (slot >= from! && slot <= to!) return Number(address!.split(':')[1]!.split('@')[0]);
        }
      }
      throw new Error(`no live master serves slot ${slot}`);
    },
    stop,
  };
}
