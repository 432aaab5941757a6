import type { InputIssue } from '../issues';
import type { OfferRow } from './readFile';
import type { Offer } from './schema';
import { validateOffer } from './validate';

export interface RowProblem {
  line: number;
  issues: InputIssue[];
}

/**
 * Validates every row. A row with any problem is left out whole (half an offer could be shown
 * without its guardrails); the others go on. An offerId seen on an earlier row is a problem of
 * the later row: which of the two was meant is for the author to say, not for the import to guess.
 */
export function checkRows(rows: readonly OfferRow[]): { offers: Offer[]; problems: RowProblem[] } {
  const offers: Offer[] = [];
  const problems: RowProblem[] = [];
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const checked = validateOffer(row.value);
    // A cell that could not be read is absent from the value, so the schema may also call it
    // "required"; the cell's own problem says more.
    const unreadable = new Set(row.issues.map((issue) => issue.path));
    const issues = [...row.issues, ...(checked.issues ?? []).filter((issue) => !unreadable.has(issue.path))];
    // Even a bad row claims its offerId: once it is fixed, a later row with the same id would clash.
    const offerId = idOf(row.value);
    if (offerId !== undefined) {
      const earlier = firstLine.get(offerId);
      if (earlier !== undefined)
        issues.push({ path: 'offerId', message: `"${offerId}" is already on line ${earlier}` });
      else firstLine.set(offerId, row.line);
    }
    if (issues.length > 0) problems.push({ line: row.line, issues });
    else if (checked.offer !== undefined) offers.push(checked.offer);
  }
  return { offers, problems };
}

function idOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('offerId' in value)) return undefined;
  return typeof value.offerId === 'string' ? value.offerId : undefined;
}
