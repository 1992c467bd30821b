import { setTimeout as sleep } from 'node:timers/promises';
import type { CallLog } from './call-log.js';
import { SlackApiError } from './errors.js';
import type { FaultRegistry } from './faults.js';
import type { FakeState } from './state.js';
import type { Args } from './types.js';

/** One Web API method: validates, mutates state, returns the response fields besides `ok`. */
export type MethodHandler = (state: FakeState, args: Args) => Record<string, unknown>;
export type MethodTable = Readonly<Record<string, MethodHandler>>;

export interface ApiReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ApiRequest {
  /** The `Authorization` header, if any. */
  authorization?: string | undefined;
  args: Args;
}

export interface Dispatcher {
  call(method: string, request: ApiRequest): Promise<ApiReply>;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/**
 * Runs a Web API call the way Slack answers it: unknown method, then auth, then any injected fault,
 * then the method. Every call lands in the call log with its outcome.
 */
export function createDispatcher(deps: {
  state: FakeState;
  methods: MethodTable;
  faults: FaultRegistry;
  log: CallLog;
}): Dispatcher {
  const { state, methods, faults, log } = deps;

  return {
    async call(method, request) {
      const args = loggableArgs(request.args);
      const at = state.now();
      let faulted = false;
      const finish = (status: number, payload: Record<string, unknown> | string, headers = {}): ApiReply => {
        const ok = typeof payload === 'object' && payload.ok === true;
        const error =
          typeof payload === 'object'
            ? typeof payload.error === 'string'
              ? payload.error
              : undefined
            : undefined;
        log.record({ method, args, at, status, ok, ...(error !== undefined ? { error } : {}), faulted });
        return typeof payload === 'string'
          ? { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: payload }
          : { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(payload) };
      };

      const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
      if (!handler) return finish(200, { ok: false, error: 'unknown_method' });

      const token = bearerToken(request.authorization) ?? stringOrUndefined(request.args.token);
      if (!token) return finish(200, { ok: false, error: 'not_authed' });
      if (token !== state.config.botToken) return finish(200, { ok: false, error: 'invalid_auth' });

      const fault = faults.take(method);
      if (fault) {
        faulted = true;
        if ('delayMs' in fault) {
          await sleep(fault.delayMs);
          faulted = false;
        } else if ('delayResponseMs' in fault) {
          faulted = false;
          let result: Parameters<typeof finish>[1];
          try {
            result = { ok: true, ...handler(state, request.args) };
          } catch (error) {
            result =
              error instanceof SlackApiError
                ? { ok: false, error: error.code, ...error.extra }
                : { ok: false, error: 'fatal_error' };
          }
          await sleep(fault.delayResponseMs);
          return finish(200, result);
        } else if ('rateLimited' in fault) {
          return finish(
            429,
            { ok: false, error: 'ratelimited' },
            { 'retry-after': String(fault.rateLimited.retryAfterSec) },
          );
        } else if ('httpStatus' in fault) {
          return finish(fault.httpStatus, `fake Slack: injected HTTP ${fault.httpStatus}`);
        } else {
          return finish(200, { ok: false, error: fault.error });
        }
      }

      try {
        return finish(200, { ok: true, ...handler(state, request.args) });
      } catch (error) {
        if (error instanceof SlackApiError)
          return finish(200, { ok: false, error: error.code, ...error.extra });
        // A bug in the fake: answer as Slack's own internal failure, with the reason for whoever debugs it.
        const detail = error instanceof Error ? error.message : String(error);
        return finish(200, { ok: false, error: 'fatal_error', detail });
      }
    },
  };
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The log never keeps the token, and binary arguments are summarised. */
function loggableArgs(args: Args): Args {
  const copy: Args = {};
  for (const [key, value] of Object.entries(args)) {
    if (key === 'token') continue;
    copy[key] = Buffer.isBuffer(value) ? `<${value.length} bytes>` : value;
  }
  return structuredClone(copy);
}
