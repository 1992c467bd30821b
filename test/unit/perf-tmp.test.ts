import { it } from 'vitest';
import { scheduleEvents } from '../../src/escalation/calendar-feed.js';
import { whoIsOnCall } from '../../src/escalation/schedule.js';
import { renderIcs } from '../../src/http/calendar-ics.js';
import { parseIcs } from '../../test/helpers/ical.js';
import { schedule } from '../../test/helpers/schedule-fixture.js';
it('perf', () => {
  const s = schedule({ timezone: 'Europe/Berlin', layers: [
    { rotation: { length: '8 hours', handoff: '02:30', start: '2026-01-01' }, participants: ['U0ANNA001','U0BERT001'], restrictions: [{days:['mon','wed'], from:'02:15', to:'01:00'}] },
    { rotation: { length: 'daily', handoff: '09:00', start: '2026-01-01' }, participants: ['U0ANNA001','U0CARL001'], restrictions: [{days:['tue','sat'], from:'09:00', to:'17:00'}] },
    { rotation: { length: '12 hours', handoff: '02:45', start: '2026-02-01' }, participants: ['U0CARL001','U0BERT001'] , restrictions: [{days:['fri'], from:'22:00', to:'06:00'}]},
  ], overrides: [] });
  let t0 = performance.now();
  const ev = scheduleEvents(s, new Date('2026-03-01T00:00:00Z'));
  console.log('events', ev.length, performance.now() - t0);
  t0 = performance.now();
  const text = renderIcs({ name: 'x', generatedAt: new Date(), events: ev.map(e => ({ uid: e.uid, start: e.start, end: e.end, summary: 's: ' + e.user, description: 'd' })) });
  console.log('render', performance.now() - t0);
  t0 = performance.now();
  const p = parseIcs(text);
  console.log('parse', p.events.length, performance.now() - t0);
  t0 = performance.now();
  for (const e of ev) { whoIsOnCall(s, e.start); whoIsOnCall(s, new Date(e.end.getTime()-1)); }
  console.log('who', performance.now() - t0);
});
