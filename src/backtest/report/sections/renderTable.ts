// A generic escaped HTML table: column headers, cell text and numeric-column alignment.
import { escapeHtml } from '../escapeHtml.js';

export interface Column<T> {
  header: string;
  cell: (row: T) => string;
  numeric?: boolean;
  /** Optional class for the cell from the row, e.g. pos/neg colouring. */
  cls?: (row: T) => string;
}

export function renderTable<T>(rows: readonly T[], columns: ReadonlyArray<Column<T>>, className = ''): string {
  const head = columns.map((c) => `<th${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.header)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${columns
          .map((c) => {
            const cls = [c.numeric ? 'num' : '', c.cls ? c.cls(r) : ''].filter(Boolean).join(' ');
            return `<td${cls ? ` class="${escapeHtml(cls)}"` : ''}>${escapeHtml(c.cell(r))}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  return `<table class="${escapeHtml(className)}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export function signClass(v: number): string {
  return v > 0 ? 'pos' : v < 0 ? 'neg' : '';
}
