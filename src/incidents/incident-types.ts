/** The incident vocabulary, defined once: the parser, the modals, the buttons and the views use these lists. */
export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** The statuses a responder sets by hand; `closed` comes only from closing. */
export const LIFECYCLE_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

/** Statuses in which the incident is still being worked (paging and reminders run). */
export const OPEN_STATUSES = [
  'investigating',
  'identified',
  'monitoring',
] as const satisfies readonly IncidentStatus[];

export interface SeverityLevel {
  id: Severity;
  name: string;
  respondWithin: string;
  description: string;
}

/** Defaults from the design; response times are what responders promise, not timers. */
export const SEVERITY_LEVELS: Record<Severity, SeverityLevel> = {
  SEV1: {
    id: 'SEV1',
    name: 'Critical',
    respondWithin: '15 minutes',
    description: 'Outage or data loss for many users',
  },
  SEV2: {
    id: 'SEV2',
    name: 'High',
    respondWithin: '1 hour',
    description: 'Major feature broken or badly degraded',
  },
  SEV3: {
    id: 'SEV3',
    name: 'Medium',
    respondWithin: '4 hours',
    description: 'Partial degradation with a workaround',
  },
  SEV4: {
    id: 'SEV4',
    name: 'Low',
    respondWithin: 'next business day',
    description: 'Minor issue, little user impact',
  },
};

export const SETUP_STEPS = ['channel', 'invite', 'topic', 'headline', 'pin', 'announce', 'notify'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

export interface Incident {
  id: number;
  number: number;
  title: string;
  summary: string | null;
  severity: Severity;
  status: IncidentStatus;
  isPrivate: boolean;
  service: string | null;
  reporterId: string;
  commanderId: string | null;
  originChannelId: string | null;
  declaredAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
  updatedAt: Date;
  channelId: string | null;
  channelName: string | null;
  commsId: string | null;
  scribeId: string | null;
  lastUpdateText: string | null;
  lastUpdateAt: Date | null;
  version: number;
  reminderDueAt: Date | null;
  reminderEpoch: number;
  /** The service's runbook from oncall.yaml, taken at declare. */
  runbookUrl: string | null;
}

export const INCIDENT_ROLES = ['commander', 'comms', 'scribe'] as const;
export type IncidentRole = (typeof INCIDENT_ROLES)[number];

export const ROLE_LABELS: Record<IncidentRole, string> = {
  commander: 'Commander',
  comms: 'Communications',
  scribe: 'Scribe',
};

export interface DeclareIncidentInput {
  title: string;
  severity: Severity;
  summary: string | null;
  service: string | null;
  isPrivate: boolean;
  reporterId: string;
  commanderId: string | null;
  originChannelId: string | null;
  /** The runbook to link: an alert's own, else the incident service takes the service's `runbook`. */
  runbookUrl?: string | null;
}

export function isOpen(incident: Pick<Incident, 'status'>): boolean {
  return incident.status !== 'resolved' && incident.status !== 'closed';
}

/** Slack user ids (`U…`, `W…`); anything else in a person's place is a name, e.g. an alert source. */
export function isSlackUserId(id: string): boolean {
  return /^[UW][A-Z0-9]+$/.test(id);
}

/** `inc-12` is how people write incident references; `#12` works too. */
export function incidentReference(incident: Pick<Incident, 'number'>): string {
  return `inc-${incident.number}`;
}
