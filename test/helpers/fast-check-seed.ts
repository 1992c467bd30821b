import fc from 'fast-check';

/**
 * One fast-check seed per run, chosen in vitest's config (FC_SEED, printed there) and used by every
 * property test, so a failure can be replayed with `FC_SEED=<seed> npx vitest run <file>`.
 */
const seed = Number(process.env.FC_SEED);
if (Number.isSafeInteger(seed)) fc.configureGlobal({ seed });
