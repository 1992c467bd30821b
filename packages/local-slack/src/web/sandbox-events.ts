import type { ServerResponse } from 'node:http';
import type { OutboxLog } from '../outbox/outbox-log.js';
import type { FakeChange, SlackFake } from '../slack-fake/index.js';

/**
 * The page's event streams: one listener on the fake (and on the outbox log, when there is one)
 * fanned out to every open page, with heartbeats.
 */
export function createEventStreams(fake: SlackFake, heartbeatMs: number, outbox?: OutboxLog) {
  const streams = new Set<ServerResponse>();
  let heartbeat: NodeJS.Timeout | undefined;
  const onChange = (change: FakeChange | { type: 'outbox' }) => {
    const line = `data: ${JSON.stringify(change)}\n\n`;
    for (const res of streams) res.write(line);
  };
  const onOutbox = () => onChange({ type: 'outbox' });
  const addStream = (res: ServerResponse) => {
    if (streams.size === 0) {
      fake.events.on('change', onChange);
      outbox?.events.on('change', onOutbox);
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
    outbox?.events.off('change', onOutbox);
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
