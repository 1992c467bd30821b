import type { IncidentCommand } from '../../../../src/slack/commands/parse-command.js';
import { BOB, table } from '../parse-table.js';

const pageTeam = (service: string, reason: string | null = null, reference: string | null = null) =>
  ({ name: 'page-team', service, reason, reference }) as IncidentCommand;

table(
  'page service:',
  [
    ['page service:payments', pageTeam('payments')],
    ['page team:payments', pageTeam('payments')],
    ['Page Service:payments', pageTeam('payments')],
    ['page service: payments', pageTeam('payments')],
    [
      'page service:payments Card payments fail at checkout',
      pageTeam('payments', 'Card payments fail at checkout'),
    ],
    ['page service:payments #12 Cards fail', pageTeam('payments', 'Cards fail', '#12')],
    // As Slack sends it: the reason is kept as the text typed, never as a mention or a broadcast.
    ['page team:payments &lt;!here&gt; <!channel>', pageTeam('payments', '<!here> @channel')],
    // A person or a schedule is still `/incident page`.
    ['page primary', { name: 'page', target: { kind: 'schedule', schedule: 'primary' }, reference: null }],
    [`page ${BOB}`, { name: 'page', target: { kind: 'user', userId: 'U012ABCDEF' }, reference: null }],
  ],
  [
    [
      'page service:',
      '`/incident page service:` needs a service: `/incident page service:<service> [reason]`.',
    ],
    ['page service:pay$ments', '"pay$ments" is not a service name.'],
    [`page service:payments ${'x'.repeat(3001)}`, 'Keep the reason to 3000 characters.'],
  ],
);
