import { isWebUrl } from '../alerts/alert-card.js';
import type { IncidentAlert } from '../alerts/alert-incident-repo.js';
import type { Followup } from '../incidents/followup-repo.js';
import { type Incident, isSlackUserId, SEVERITY_LEVELS } from '../incidents/incident-types.js';
import { describeEvent } from '../timeline/describe-event.js';
import type { TimelineEvent } from '../timeline/timeline-events.js';
import { errorBudget } from './error-budget.js';

/** What a responder wrote when resolving or closing; every field optional. */
export interface PostmortemNarrative {
  resolution: string | null;
  rootCause: string | null;
  usersAffected: string | null;
  requestsImpacted: string | null;
  revenueImpact: string | null;
  wentWell: string | null;
  wentWrong: string | null;
  lessons: string | null;
  prevention: string | null;
}

export interface PostmortemInput {
  incident: Incident;
  narrative: PostmortemNarrative;
  events: TimelineEvent[];
  followups: Followup[];
  /** The service's SLO from oncall.yaml, when it has one. */
  slo: { target: number; windowMs: number } | null;
  /** The alerts the incident was declared from or linked to (none: no Alerts section). */
  alerts?: readonly IncidentAlert[];
  /** Slack user id → display name, for people mentioned anywhere. */
  names: Record<string, string>;
  generatedAt: Date;
}

const NONE = (what: string) => `_No ${what} recorded yet._`;

/**
 * The blameless postmortem draft, as Markdown: mostly written from what the bot recorded, with the
 * sections people write themselves saying plainly when they are still empty. Pure: same input,
 * same text (golden-file tested).
 */
export function buildPostmortemMarkdown(input: PostmortemInput): string {
  const { incident, narrative, events, followups, slo, generatedAt } = input;
  const plain = escapeMarkdownHtml;
  // A source in a person's place (an incident declared from an alert) is named as it is.
  const name = (id: string | null) =>
    id ? (isSlackUserId(id) ? `@${input.names[id] ?? id}` : plain(id)) : 'nobody';
  const message = (text: string) => slackToMarkdown(text, input.names);
  const end = incident.resolvedAt ?? incident.closedAt ?? generatedAt;
  const durationMs = end.getTime() - incident.declaredAt.getTime();
  const firstPage = events.find((e) => e.kind === 'escalation.paged')?.occurredAt ?? null;
  const firstAck = events.find((e) => e.kind === 'escalation.acknowledged')?.occurredAt ?? null;
  const level = SEVERITY_LEVELS[incident.severity];
  const impactLine = [
    narrative.usersAffected && `${plain(narrative.usersAffected)} users affected`,
    narrative.requestsImpacted && `${plain(narrative.requestsImpacted)} requests impacted`,
    narrative.revenueImpact && `revenue impact ${plain(narrative.revenueImpact)}`,
  ].filter(Boolean);

  const lines: string[] = [];
  lines.push(`# Postmortem: Incident #${incident.number} — ${plain(incident.title)}`, '');
  lines.push(`- **Date:** ${utcDate(incident.declaredAt)}`);
  lines.push(
    `- **Duration:** ${formatDuration(durationMs)}${incident.resolvedAt || incident.closedAt ? '' : ' (still open)'}`,
  );
  lines.push(`- **Severity:** ${incident.severity} (${level.name})`);
  lines.push(`- **Impact:** ${impactLine.length ? impactLine.join('; ') : 'not recorded yet'}`);
  lines.push(`- **Status:** ${incident.status}`);
  lines.push(`- **Commander:** ${name(incident.commanderId)} · **Reporter:** ${name(incident.reporterId)}`);
  if (incident.service) lines.push(`- **Service:** ${incident.service}`);
  lines.push('', '_This is a blameless postmortem: it is about systems and decisions, not people._', '');

  section(lines, 'Summary', [
    incident.summary ? plain(incident.summary) : NONE('summary'),
    ...(narrative.resolution ? ['', `**Resolution:** ${plain(narrative.resolution)}`] : []),
  ]);

  // The runbook and the links responders added (`/incident link`): only when there are some.
  const links = [
    ...(incident.runbookUrl ? [`- Runbook: ${incident.runbookUrl}`] : []),
    ...events.flatMap((e) =>
      e.kind === 'incident.link_added'
        ? [`- ${e.details.title ? `${plain(e.details.title)}: ` : ''}${plain(e.details.url)}`]
        : [],
    ),
  ];
  if (links.length > 0) section(lines, 'Links', links);

  if (input.alerts?.length) section(lines, 'Alerts', alertsTable(input.alerts));

  lines.push('## Timeline', '');
  if (events.length === 0) lines.push(NONE('timeline'));
  else {
    lines.push('| Time (UTC) | Event |', '|---|---|');
    for (const event of events)
      lines.push(
        `| ${utcDateTime(event.occurredAt)} | ${cell(describeEvent(event, { person: name, text: plain, message, channel: (_id, channelName) => `#${channelName}` }))} |`,
      );
  }
  lines.push('');

  section(lines, 'Root cause', [narrative.rootCause ? plain(narrative.rootCause) : NONE('root cause')]);

  const impact: string[] = [];
  if (narrative.usersAffected) impact.push(`- Users affected: ${plain(narrative.usersAffected)}`);
  if (narrative.requestsImpacted) impact.push(`- Requests impacted: ${plain(narrative.requestsImpacted)}`);
  if (narrative.revenueImpact) impact.push(`- Revenue impact: ${plain(narrative.revenueImpact)}`);
  impact.push(`- Duration: ${formatDuration(durationMs)}`);
  if (slo) {
    const budget = errorBudget(slo, durationMs);
    impact.push(
      `- Error budget: the ${slo.target}% SLO over ${formatDuration(slo.windowMs)} allows ${formatDuration(budget.allowedMs)} of downtime; this incident consumed ${formatPercent(budget.consumedFraction)} of it${budget.consumedFraction > 1 ? ' (more than the whole budget)' : ''}.`,
    );
  } else {
    impact.push(
      `- Error budget: no SLO is configured for ${incident.service ? `service "${incident.service}"` : 'this incident (no service)'}.`,
    );
  }
  section(lines, 'Impact', impact);

  section(lines, 'Metrics', [
    `- Declared: ${utcDateTime(incident.declaredAt)}`,
    `- First page: ${firstPage ? utcDateTime(firstPage) : 'nobody was paged'}`,
    `- First acknowledgement: ${firstAck ? utcDateTime(firstAck) : 'none'}`,
    `- Resolved: ${incident.resolvedAt ? utcDateTime(incident.resolvedAt) : 'not yet'}`,
    `- Time to acknowledge: ${firstAck ? formatDuration(firstAck.getTime() - (firstPage ?? incident.declaredAt).getTime()) : 'n/a'}`,
    `- Time to resolve: ${incident.resolvedAt ? formatDuration(incident.resolvedAt.getTime() - incident.declaredAt.getTime()) : 'n/a'}`,
  ]);

  section(lines, 'What went well', [
    narrative.wentWell ? plain(narrative.wentWell) : NONE('notes on what went well'),
  ]);
  section(lines, 'What went wrong', [
    narrative.wentWrong ? plain(narrative.wentWrong) : NONE('notes on what went wrong'),
  ]);

  lines.push('## Action items', '');
  if (followups.length === 0) lines.push(NONE('action items'));
  else {
    lines.push('| Action | Owner | Due | Priority |', '|---|---|---|---|');
    for (const f of followups) {
      lines.push(
        `| ${cell(plain(f.text))} | ${f.ownerId ? cell(name(f.ownerId)) : 'unassigned'} | ${f.dueDate ?? 'none'} | ${f.priority} |`,
      );
    }
  }
  lines.push('');

  section(lines, 'Lessons learned', [narrative.lessons ? plain(narrative.lessons) : NONE('lessons')]);
  section(lines, 'Prevention', [
    narrative.prevention ? plain(narrative.prevention) : NONE('prevention work'),
  ]);
  lines.push(
    `_Draft generated by incident-bot on ${utcDateTime(generatedAt)} UTC from the recorded timeline._`,
    '',
  );
  return lines.join('\n');
}

/** The linked alerts: what fired, where, how often, and their links (web links only). */
function alertsTable(alerts: readonly IncidentAlert[]): string[] {
  const rows = alerts.map((a) => {
    const links = a.links
      .filter((l) => isWebUrl(l.href))
      .map((l) => `${escapeMarkdownHtml(l.text)}: ${l.href}`)
      .join(', ');
    const cells = [
      escapeMarkdownHtml(a.title),
      escapeMarkdownHtml(a.service),
      a.severity,
      utcDateTime(a.firstSeenAt),
      utcDateTime(a.lastSeenAt),
      String(a.count),
      links || 'none',
    ];
    return `| ${cells.map(cell).join(' | ')} |`;
  });
  return [
    '| Alert | Service | Severity | First seen (UTC) | Last seen (UTC) | Count | Links |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ];
}

function section(lines: string[], title: string, body: string[]): void {
  lines.push(`## ${title}`, '', ...body, '');
}

/**
 * Text a person typed (stored plain) for the Markdown draft: `<` as `&lt;`, and `&` where it would
 * start an entity, so typed `<script>` or `&lt;script&gt;` reads as typed wherever the draft is
 * rendered and never becomes HTML; `&` and `>` elsewhere stay readable in the raw file.
 */
export function escapeMarkdownHtml(text: string): string {
  return text.replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;').replace(/</g, '&lt;');
}

/**
 * A captured Slack message (`<@U…>`, `<#C…|name>`, `<!here>`, `<url|label>`, `&amp;`) as readable
 * Markdown. Slack's entities are kept as they are: they are already the escaped form Markdown needs.
 */
export function slackToMarkdown(text: string, names: Record<string, string>): string {
  return text
    .replace(
      /<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g,
      (_, id: string, label?: string) => `@${names[id] ?? label ?? id}`,
    )
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<!(?:subteam\^)?([^>|]+)(?:\|([^>]*))?>/g, (_, name: string, label?: string) =>
      label ? label : `@${name}`,
    )
    .replace(/<(https?:[^>|]+)\|([^>]*)>/g, '[$2]($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}

function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function utcDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function utcDateTime(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** "1 h 5 min", "45 min", "43.2 min" (sub-minute precision only below an hour). */
export function formatDuration(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 60)
    return `${Number.isInteger(Math.round(minutes * 10) / 10) ? Math.round(minutes) : (Math.round(minutes * 10) / 10).toFixed(1)} min`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = Math.round(minutes % 60);
  return [days && `${days} d`, hours && `${hours} h`, mins && `${mins} min`].filter(Boolean).join(' ');
}

function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return 'all';
  return `${(fraction * 100).toFixed(1)}%`;
}
