// SERVICE_ENV as every prod-only rule reads it: one reading, so no rule treats `production` as not prod.

/** True for SERVICE_ENV prod or production, in any case. */
export function isProdEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.SERVICE_ENV ?? '').trim().toLowerCase();
  return v === 'prod' || v === 'production';
}
