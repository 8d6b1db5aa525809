// Model version names `yyyyMMdd_HHmm_<7 hex>` (UTC minute + content hash) and their creation time (SPEC §5).

/** `20260101_0300_ab12cd3`: UTC date, UTC hour and minute, first 7 hex of the manifest's SHA-256. */
export const MODEL_VERSION_PATTERN = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})_([0-9a-f]{7})$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The version name of artefacts whose manifest hashes to `contentSha256` (hex), created at `createdAt`. */
export function formatModelVersion(createdAt: Date, contentSha256: string): string {
  if (Number.isNaN(createdAt.getTime())) throw new RangeError('createdAt is not a valid date');
  const d = createdAt;
  const date = `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  return `${date}_${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}_${contentSha256.slice(0, 7)}`;
}

/** Creation minute and short hash of a version name; undefined when `name` is not one. */
export function parseModelVersion(name: string): { createdAt: Date; shortHash: string } | undefined {
  const m = MODEL_VERSION_PATTERN.exec(name);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const createdAt = new Date(Date.UTC(y, mo - 1, d, h, mi));
  // Reject names such as 20261340_2599_…: the fields must survive a round trip.
  if (
    createdAt.getUTCMonth() !== mo - 1 ||
    createdAt.getUTCDate() !== d ||
    createdAt.getUTCHours() !== h ||
    createdAt.getUTCMinutes() !== mi
  )
    return undefined;
  return { createdAt, shortHash: m[6]! };
}
