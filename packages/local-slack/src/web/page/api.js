import { toast } from './dom.js';
import { app } from './page-state.js';

// The page's calls to /api/*, and the refresh that re-reads the workspace after each action or event.

let render = () => {};

/** What to run once fresh workspace data has arrived. */
export function setRender(fn) {
  render = fn;
}

export async function api(path, body) {
  const init =
    body === undefined
      ? {}
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        };
  const response = await fetch(path, init);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `${path}: HTTP ${response.status}`);
  return data;
}

/** Runs an action; reports a failure (a 400 from the API, or the bot answering non-2xx). */
export async function act(path, body) {
  try {
    const result = await api(path, body);
    if (typeof result.status === 'number' && result.status >= 400) {
      toast(`The bot answered HTTP ${result.status}${bodyText(result.body)}`, 'error');
    }
    scheduleRefresh(0);
    return result;
  } catch (error) {
    toast(error.message, 'error');
    return null;
  }
}

export function bodyText(body) {
  if (body === '' || body === null || body === undefined) return '';
  return `: ${typeof body === 'string' ? body : JSON.stringify(body)}`;
}

let refreshTimer = null;
let refreshing = false;
let refreshAgain = false;

export function scheduleRefresh(delay = 120) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, delay);
}

export async function refresh() {
  if (!app.user) return;
  if (refreshing) {
    refreshAgain = true;
    return;
  }
  refreshing = true;
  try {
    const [data, outbox] = await Promise.all([
      api(`/api/state?user=${encodeURIComponent(app.user)}`),
      app.outboxEnabled ? api('/api/outbox') : null,
    ]);
    app.data = data;
    if (outbox) app.outbox = outbox.entries;
    render();
    document.body.dataset.ready = 'true';
  } catch (error) {
    toast(`Could not load the workspace: ${error.message}`, 'error');
  } finally {
    refreshing = false;
    if (refreshAgain) {
      refreshAgain = false;
      scheduleRefresh(0);
    }
  }
}
