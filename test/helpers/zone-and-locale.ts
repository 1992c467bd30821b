import { Settings } from 'luxon';

/**
 * The `chatham-de` project (vitest.config.ts): Pacific/Chatham (UTC+12:45, +13:45 in summer) and a German
 * locale. TZ takes effect when set; the process locale is fixed when a worker starts, and vitest gives
 * every project's workers the same environment, so luxon's default locale stands in for it (luxon is
 * the only locale-aware code in the pure modules). `LANG=de_DE.UTF-8 npm run test:zoned` sets both for real.
 */
if (new Date('2026-01-01T00:00:00Z').getTimezoneOffset() !== -13.75 * 60)
  throw new Error(`the chatham-de project needs TZ=Pacific/Chatham, got ${process.env.TZ}`);
Settings.defaultLocale = 'de-DE';
