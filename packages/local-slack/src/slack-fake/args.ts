import { invalidArguments, SlackApiError } from './errors.js';
import type { Args } from './types.js';

/**
 * Readers for Web API arguments. Form bodies carry every value as a string, JSON bodies carry real types,
 * so each reader accepts both spellings.
 */
export function optionalString(args: Args, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A required string; missing or empty fails with `code` (default `invalid_arguments`). */
export function requireString(args: Args, key: string, code?: string): string {
  const value = optionalString(args, key);
  if (value === undefined || value === '') {
    throw code ? new SlackApiError(code) : invalidArguments(`missing required field: ${key}`);
  }
  return value;
}

export function optionalBoolean(args: Args, key: string): boolean | undefined {
  const value = args[key];
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1' || value === 1) return true;
  if (value === 'false' || value === '0' || value === 0) return false;
  return undefined;
}

export function optionalInteger(args: Args, key: string): number | undefined {
  const value = args[key];
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(parsed) ? parsed : undefined;
}

/** A comma list (`users=U1,U2`) or an array (JSON-encoded by WebClient). */
export function stringList(args: Args, key: string): string[] {
  const value = args[key];
  const items = Array.isArray(value) ? value.map(String) : (optionalString(args, key)?.split(',') ?? []);
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
