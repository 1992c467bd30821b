import { asDatabaseError, type Pool } from '../db/pool.js';
import { AppError } from '../errors.js';
import { findIncidentByChannelId, findIncidentByNumber, listOpenIncidents } from './incident-repo.js';
import type { Incident } from './incident-types.js';

/** How commands find incidents; an unreachable database becomes an error people can read. */
export function createIncidentQueries(pool: Pool) {
  return {
    async listOpen(): Promise<Incident[]> {
      return guarded(() => listOpenIncidents(pool));
    },

    async findByChannel(channelId: string): Promise<Incident | null> {
      return guarded(() => findIncidentByChannelId(pool, channelId));
    },

    /** Resolves `#12`, `12`, `inc-12` or `inc-12-some-slug` to an incident. */
    async getByReference(reference: string): Promise<Incident> {
      const number = parseIncidentReference(reference);
      if (number === null) {
        throw new AppError('command_invalid', `bad reference ${reference}`, {
          userMessage: `"${reference}" is not an incident reference. Use the incident number, like \`#12\` or \`inc-12\`.`,
        });
      }
      const incident = await guarded(() => findIncidentByNumber(pool, number));
      if (!incident) {
        throw new AppError('not_found', `incident ${number} not found`, {
          userMessage: noIncidentText(number),
        });
      }
      return incident;
    },
  };
}

/** The answer for a missing incident, and for one the asker may not view: the same words. */
export function noIncidentText(number: number): string {
  return `There is no incident #${number}.`;
}

export function parseIncidentReference(reference: string): number | null {
  const match = /^(?:#|inc-)?(\d{1,9})(?:-[a-z0-9_-]*)?$/i.exec(reference.trim());
  return match ? Number(match[1]) : null;
}

/** Runs a query; an unreachable database becomes an error people can read. */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw asDatabaseError(error);
  }
}
