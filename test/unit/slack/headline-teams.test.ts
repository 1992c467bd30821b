import { describe, expect, it } from 'vitest';
import type { Escalation } from '../../../src/escalation/escalation-repo.js';
import { cardPaging } from '../../../src/incidents/incident-card.js';
import type { Incident } from '../../../src/incidents/incident-types.js';
import { parsePagingValue } from '../../../src/slack/ids.js';
import { buildIncidentHeadline } from '../../../src/slack/views/incident-headline.js';
import { buildPageAcknowledgedMessage, buildPageMessage } from '../../../src/slack/views/page-message.js';

const incident = {
  id: 41,
  number: 12,
  title: 'Checkout down',
  summary: null,
  severity: 'SEV1',
  status: 'investigating',
  isPrivate: false,
  service: 'checkout',
  reporterId: 'U0ALICE',
  commanderId: null,
  channelId: 'CINC000012',
  channelName: 'inc-12-checkout-down',
  declaredAt: new Date('2026-11-21T14:05:00Z'),
} as Incident;

const escalation = (over: Partial<Escalation>): Escalation =>
  ({
    id: 1,
    incidentId: 41,
    alertGroupId: null,
    policyName: 'default',
    state: 'triggered',
    epoch: 0,
    acknowledgedBy: null,
    team: null,
    ...over,
  }) as Escalation;

const payments = { service: 'payments', by: 'U0ALICE', reason: 'Cards <!channel> fail' };
const blocks = (paging: ReturnType<typeof cardPaging>) =>
  JSON.stringify(buildIncidentHeadline(incident, paging).blocks);

describe('the card with other teams paged in', () => {
  it('shows paging as before while only the incident’s own policy pages', () => {
    const paging = cardPaging([escalation({})], 'checkout');
    expect(paging).toEqual({ state: 'triggered', epoch: 0, acknowledgedBy: null });
    expect(blocks(paging)).toContain('*Paging*\\n:pager: waiting for an ack');
    expect(blocks(paging)).not.toContain('Teams engaged');
  });

  it('lists every team, its own service first, with its state', () => {
    const paging = cardPaging(
      [
        escalation({ state: 'acknowledged', acknowledgedBy: 'U0BOB', epoch: 1 }),
        escalation({ id: 7, team: payments, epoch: 2 }),
        escalation({ id: 9, team: { ...payments, service: 'search' }, state: 'exhausted' }),
      ],
      'checkout',
    );
    const text = blocks(paging);
    expect(text).toContain(
      '*Teams engaged*\\ncheckout · :white_check_mark: acknowledged by <@U0BOB>\\npayments · :pager: paging\\nsearch · :warning: nobody acknowledged',
    );
    // The buttons act on the team still paging, and say which.
    expect(text).toContain('"text":"Acknowledge (payments)"');
    expect(text).toContain('"value":"41-e7"');
    expect(text).toContain('"value":"41-2-e7"');
  });

  it('names its own service as not paged when only another team is', () => {
    const text = blocks(cardPaging([escalation({ id: 7, team: payments })], 'checkout'));
    expect(text).toContain('*Teams engaged*\\ncheckout · not paged\\npayments · :pager: paging');
  });
});

describe('a page of another team', () => {
  it('says who paged the team in and why, escaped, and its buttons name its escalation', () => {
    const message = buildPageMessage(incident, {
      level: 1,
      pass: 1,
      via: 'schedule:payments',
      epoch: 3,
      escalationId: 7,
      team: payments,
    });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain(
      '*payments* was paged into this incident by <@U0ALICE>: Cards &lt;!channel&gt; fail',
    );
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('"value":"41-e7"');
    expect(text).toContain('"value":"41-3-e7"');
    expect(buildPageAcknowledgedMessage(incident, 'U0CAROL', new Date(), payments).text).toBe(
      'The page for payments in incident #12 was acknowledged by <@U0CAROL>',
    );
  });

  it('reads button values back, old ones too, and nothing else', () => {
    expect(parsePagingValue('41', false)).toEqual({ incidentId: '41', epoch: null, escalationId: undefined });
    expect(parsePagingValue('41-e7', false)).toEqual({ incidentId: '41', epoch: null, escalationId: 7 });
    expect(parsePagingValue('41-3', true)).toEqual({ incidentId: '41', epoch: 3, escalationId: undefined });
    expect(parsePagingValue('41-3-e7', true)).toEqual({ incidentId: '41', epoch: 3, escalationId: 7 });
    for (const bad of ['', '41-', '41-e', 'e7', '41-3-7', '41;e7'])
      expect(parsePagingValue(bad, true)).toBeNull();
    expect(parsePagingValue('41-3', false)).toBeNull();
  });
});
