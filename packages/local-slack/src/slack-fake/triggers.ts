import { SlackApiError } from './errors.js';
import type { FakeState, TriggerRecord } from './state.js';

/** A trigger id as Slack puts in a slash command or interaction payload, for `userId`'s modals. */
export function issueTrigger(state: FakeState, userId?: string): string {
  const id = state.ids.triggerId();
  state.triggers.set(id, { userId, issuedAt: state.now(), used: false });
  return id;
}

/** Trigger ids are single-use and live `triggerIdTtlMs` (3 s on Slack). */
export function consumeTrigger(state: FakeState, triggerId: string): TriggerRecord {
  const trigger = state.triggers.get(triggerId);
  if (!trigger) throw new SlackApiError('invalid_trigger_id');
  if (trigger.used) throw new SlackApiError('exchanged_trigger_id');
  if (state.now() - trigger.issuedAt > state.config.triggerIdTtlMs)
    throw new SlackApiError('expired_trigger_id');
  trigger.used = true;
  return trigger;
}
