import type { ServerResponse } from 'node:http';
import type { FakeChange, SlackFake } from '../slack-fake/index.js';

/** The page's event streams: one fake listener fanned out to every open page, with heartbeats. */
export function createEventStreams(fake: SlackFake, heartbeatMs: number) {
  const streams = new Set<ServerResponse>();
  let heartbeat: NodeJS.Timeout | undefined;
  const onChange = (change: FakeChange) => {
    const line = `data: ${JSON.stringify(change)}\n\n`;
    for (const res of streams) res.write(line);
  };
  const addStream = (res: ServerResponse) => {
    if (streams.size === 0) {
      fake.events.on('change', onChange);
      heartbeat = setInterval(() => {
        for (const stream of streams) stream.write(': heartbeat\n\n');
      }, heartbeatMs);
      heartbeat.unref();
    }
    streams.add(res);
  };
  const removeStream = (res: ServerResponse) => {
    if (!streams.delete(res) || streams.size > 0) return;
    fake.events.off('change', onChange);
    clearInterval(heartbeat);
    heartbeat = undefined;
  };
  return {
    add: addStream,
    remove: removeStream,
    /** Ends every open stream. */
    closeAll() {
      for (const res of [...streams]) {
        removeStream(res);
        res.end();
      }
    },
  };
}
