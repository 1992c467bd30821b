import { Settings } from 'luxon';

/**
 * Not UTC/en-US: the `chatham-de` project (vitest.config.ts) and the mutation run
 * (vitest.mutation.config.ts) set TZ=Pacific/Chatham (UTC+12:45, +13:45 in summer); this pins a German
 * locale. TZ takes effect when set; the process locale is fixed when a worker starts, and vitest gives
 * every project's workers the same environment, so luxon's default locale stands in for it (luxon is
 * the only locale-aware code in the pure modules). `npm run test:zoned` also sets LANG=de_DE.UTF-8.
 */
if (new Date('2026-01-01T00:00:00Z').getTimezoneOffset() !== -13.75 * 60)
  throw new Error(
    `tests with test/helpers/zone-and-locale.ts need TZ=Pacific/Chatham, got ${process.env.TZ}`,
  );
Settings.defaultLocale = 'de-DE';
