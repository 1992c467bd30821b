import { describe, expect, it } from 'vitest';
import type { CoverRequest } from '../../../src/escalation/cover-repo.js';
import { ActionId } from '../../../src/slack/ids.js';
import {
  buildCoverRequestMessage,
  buildCoverTakenMessages,
} from '../../../src/slack/views/cover-messages.js';

const request = (over: Partial<CoverRequest> = {}): CoverRequest => ({
  id: 12,
  schedule: 'primary',
  requestedBy: 'U0BOB0001',
  startsAt: new Date('2026-12-24T09:00:00Z'),
  endsAt: new Date('2026-12-24T17:00:00Z'),
  reason: null,
  status: 'open',
  closedBy: null,
  closedAt: null,
  overrideId: null,
  ...over,
});
const shown = (value: unknown) => JSON.stringify(value);
const buttons = (message: ReturnType<typeof buildCoverRequestMessage>) =>
  message.blocks.flatMap((b) =>
    b.type === 'actions' ? b.elements.map((e) => (e as { action_id: string }).action_id) : [],
  );

describe('cover request copies', () => {
  it('offer Take it to the team and the participants, Cancel to the requester, each carrying only the request id', () => {
    expect(buttons(buildCoverRequestMessage(request(), 'team'))).toEqual([ActionId.takeCover]);
    expect(buttons(buildCoverRequestMessage(request(), 'participant'))).toEqual([ActionId.takeCover]);
    const own = buildCoverRequestMessage(request(), 'requester');
    expect(buttons(own)).toEqual([ActionId.cancelCover]);
    expect(shown(own)).toContain('"value":"12"');
    expect(shown(own)).toContain('/incident oncall cover cancel 12');
  });

  it('show the reason as typed: no mention, link or markup of the channel comes through', () => {
    const message = buildCoverRequestMessage(
      request({ reason: '<!channel> see <https://evil.example|sso.acme.com>\nback at 5' }),
      'team',
    );
    const text = shown(message.blocks);
    expect(text).toContain('&lt;!channel&gt; see &lt;https://evil.example|sso.acme.com&gt;\\n>back at 5');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil.example');
  });

  it('say what came of the request, with no buttons left', () => {
    const cases: [Partial<CoverRequest>, string][] = [
      [
        { status: 'taken', closedBy: 'U0CAROL01', overrideId: 7 },
        '<@U0CAROL01> took it: on call for *primary*',
      ],
      [
        { status: 'cancelled', closedBy: 'U0BOB0001' },
        '<@U0BOB0001> cancelled this request; nothing changed.',
      ],
      [{ status: 'cancelled', closedBy: 'U0ADMIN01' }, '<@U0ADMIN01> (an admin) cancelled this request'],
      [{ status: 'expired' }, 'Expired: nobody took it before it started'],
    ];
    for (const [over, says] of cases)
      for (const copy of ['team', 'participant', 'requester'] as const) {
        const message = buildCoverRequestMessage(request(over), copy);
        expect(shown(message), `${over.status} ${copy}`).toContain(says);
        expect(buttons(message)).toEqual([]);
      }
  });

  it('tell the taker and the requester, with the override to cancel', () => {
    const { taker, requester } = buildCoverTakenMessages(
      request({ status: 'taken', closedBy: 'U0CAROL01', overrideId: 7 }),
    );
    expect(taker.text).toMatch(
      /^:white_check_mark: You took <@U0BOB0001>'s cover request: you are on call for \*primary\* from <!date\^1798102800\^/,
    );
    expect(taker.text).toContain('Override 7; cancel it with `/incident oncall override cancel 7`.');
    expect(requester.text).toMatch(
      /^:white_check_mark: <@U0CAROL01> took your cover request: they are on call for \*primary\*/,
    );
  });
});
