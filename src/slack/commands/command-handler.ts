import type { SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { OpenAlert } from '../../alerts/alert-queries.js';
import type { Maintenance } from '../../alerts/maintenance.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { CalendarService } from '../../escalation/calendar-service.js';
import type { CoverService } from '../../escalation/cover-service.js';
import type { EscalationService } from '../../escalation/escalation-service.js';
import type { NotifyTests } from '../../escalation/notify-tests.js';
import type { OncallConfig } from '../../escalation/oncall-config.js';
import type { OverrideService } from '../../escalation/override-service.js';
import type { IncidentService } from '../../incidents/incident-service.js';
import type { Incident, Severity } from '../../incidents/incident-types.js';
import type { LifecycleService } from '../../incidents/lifecycle-service.js';
import type { ReadModel } from '../../incidents/read-model.js';
import type { Logger } from '../../logger.js';
import type { IncidentAccess } from '../incident-access.js';
import type { CommandName, IncidentCommand } from './parse-command.js';

export interface CommandDeps {
  incidents: IncidentService;
  lifecycle: LifecycleService;
  escalation: EscalationService | null;
  /** Null without an oncall.yaml. */
  overrides: OverrideService | null;
  /** Null without an oncall.yaml. */
  cover: CoverService | null;
  oncall: OncallConfig | null;
  /** Calendar feeds; null without an oncall.yaml. */
  calendar: CalendarLinks | null;
  readModel: ReadModel;
  clock: Clock;
  logger: Logger;
  defaultSeverity: Severity;
  admins: readonly string[];
  /** The access rule, applied to incident commands by run-command.ts. */
  access: IncidentAccess;
  /** Maintenance windows; null without an oncall.yaml (nothing pages alerts then). */
  maintenance: Maintenance | null;
  /** Notification rules and their test sends (`/incident oncall me`); null without an oncall.yaml. */
  notifyTests: NotifyTests | null;
  /** What `/incident alerts` reads. */
  alertQueries: { listOpenAlerts(): Promise<{ alerts: OpenAlert[]; total: number }> };
}

/** The calendar feeds and where their links point (PUBLIC_URL, or where the bot listens). */
export interface CalendarLinks {
  service: CalendarService;
  url(token: string): string;
}

/** The ephemeral answer to the person who typed the command. */
export interface CommandAnswer {
  text: string;
  blocks?: unknown[];
}

export interface CommandContext {
  command: Pick<SlashCommand, 'user_id' | 'channel_id' | 'trigger_id'>;
  client: WebClient;
  deps: CommandDeps;
}

type CommandNamed<N extends CommandName> = Extract<IncidentCommand, { name: N }>;

/** Incident commands get the incident they act on, already resolved and access-checked. */
type ContextFor<C> = C extends { reference: string | null }
  ? CommandContext & { incident: Incident }
  : CommandContext;

export interface CommandHandler<C> {
  /**
   * True when the command opens a modal: the listener acks at once (trigger ids live 3 s) and any
   * answer goes to response_url.
   */
  opensModal?: (command: C) => boolean;
  /** Null when there is nothing to say (a modal opened). */
  run(command: C, context: ContextFor<C>): Promise<CommandAnswer | null>;
}

export type CommandHandlers = { [N in CommandName]: CommandHandler<CommandNamed<N>> };

/** Declares handlers for some commands, each typed by its command. */
export function handlers<const K extends CommandName>(map: { [N in K]: CommandHandler<CommandNamed<N>> }) {
  return map;
}

/** The on-call parts a paging command needs; without an `oncall.yaml` the asker is told so. */
export function pagingConfigured<K extends 'escalation' | 'overrides' | 'cover' | 'calendar' | 'notifyTests'>(
  deps: CommandDeps,
  part: K,
): { oncall: OncallConfig } & { [P in K]: NonNullable<CommandDeps[P]> } {
  const value = deps[part];
  if (!value || !deps.oncall) {
    throw new AppError('config_invalid', 'paging is not configured', {
      userMessage:
        'Paging is not configured on this bot: its operators need to provide an `oncall.yaml` (see README).',
    });
  }
  return { oncall: deps.oncall, [part]: value } as { oncall: OncallConfig } & {
    [P in K]: NonNullable<CommandDeps[P]>;
  };
}
