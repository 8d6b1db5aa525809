// Trash batch names: the UTC second an apply started, `YYYY-MM-DDTHHmmssZ`, so a batch's age is in its name.

const BATCH_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export const TRASH_DIR = '.trash';

export function formatTrashBatch(nowMs: number): string {
  const iso = new Date(nowMs).toISOString();
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** When the batch was made (UTC ms), undefined when `name` is not a batch name. */
export function parseTrashBatch(name: string): number | undefined {
  const m = BATCH_RE.exec(name);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return formatTrashBatch(ms) === name ? ms : undefined;
}
