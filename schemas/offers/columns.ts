import type { InputIssue } from '../issues';
import { DiscountOffer, FreeShippingOffer, GiftOffer, PartnerOffer, type Offer } from './schema';

/*
 * How a CSV row maps to an offer. The header names the fields, exactly as in JSON. An empty cell
 * means the field is absent. Numbers are strict: digits with an optional "." and decimals
 * (49.90, not "49,90", "1e3" or "€49"), so a locale's formatting is an error rather than a
 * silently wrong price. Lists (categories, tiers) are separated by "|": a ";" is the column
 * separator of many European spreadsheet exports, and a "," would need quoting.
 */

export const LIST_SEPARATOR = '|';

type ColumnKind = 'text' | 'number' | 'boolean' | 'list';

const NUMBER_COLUMNS = [
  'minBasket',
  'perCustomerCap',
  'totalCap',
  'budget',
  'maxDiscount',
  'marginFloorPercent',
  'discountPercent',
  'discountAmount',
  'giftCost',
  'payout',
  'longTermValue',
  'pricePoint.min',
  'pricePoint.max',
];
const LIST_COLUMNS = ['eligibleCategories', 'eligibleTiers', 'neverNextTo'];
const BOOLEAN_COLUMNS = ['active'];

/**
 * Fields whose value is an object of scalars, written as one column per part (`pricePoint.min`):
 * a spreadsheet cell holds one value.
 */
const NESTED_FIELDS: Record<string, readonly string[]> = { pricePoint: ['min', 'max'] };

/** Every field any kind of offer has, in a readable order: the CSV columns. */
export const OFFER_COLUMNS: readonly string[] = [
  ...new Set(
    [DiscountOffer, FreeShippingOffer, GiftOffer, PartnerOffer].flatMap((schema) =>
      Object.keys(schema.shape).flatMap((field) =>
        (NESTED_FIELDS[field] ?? []).length > 0
          ? NESTED_FIELDS[field]!.map((part) => `${field}.${part}`)
          : [field],
      ),
    ),
  ),
];

function kindOf(column: string): ColumnKind {
  if (NUMBER_COLUMNS.includes(column)) return 'number';
  if (LIST_COLUMNS.includes(column)) return 'list';
  if (BOOLEAN_COLUMNS.includes(column)) return 'boolean';
  return 'text';
}

const STRICT_NUMBER = /^-?\d+(\.\d+)?$/;

function convert(kind: ColumnKind, cell: string): { value: unknown } | { problem: string } {
  switch (kind) {
    case 'text':
      return { value: cell };
    case 'number':
      return STRICT_NUMBER.test(cell)
        ? { value: Number(cell) }
        : { problem: `"${cell}" is not a number: write digits with "." for decimals, such as 49.90` };
    case 'boolean': {
      const lower = cell.toLowerCase();
      return lower === 'true' || lower === 'false'
        ? { value: lower === 'true' }
        : { problem: `"${cell}" is not true or false` };
    }
    case 'list':
      return {
        value: cell
          .split(LIST_SEPARATOR)
          .map((item) => item.trim())
          .filter((item) => item !== ''),
      };
  }
}

/** Columns the header names that no offer has: reported once, before any row is read. */
export function unknownColumns(header: readonly string[]): string[] {
  return header.filter((column) => column !== '' && !OFFER_COLUMNS.includes(column));
}

/** One CSV row as the object the schema checks; cells that are not numbers or booleans are issues. */
export function rowFromCells(
  header: readonly string[],
  cells: readonly string[],
): { row: Record<string, unknown>; issues: InputIssue[] } {
  const row: Record<string, unknown> = {};
  const issues: InputIssue[] = [];
  if (cells.length > header.length)
    issues.push({
      path: `column ${header.length + 1}`,
      message: `${cells.length} cells but the header names ${header.length} columns`,
    });
  header.forEach((column, i) => {
    const cell = (cells[i] ?? '').trim();
    if (cell === '' || column === '') return;
    const converted = convert(kindOf(column), cell);
    if ('problem' in converted) issues.push({ path: column, message: converted.problem });
    else setField(row, column, converted.value);
  });
  return { row, issues };
}

/** `pricePoint.min` sets `row.pricePoint.min`; a plain column sets its field. */
function setField(row: Record<string, unknown>, column: string, value: unknown): void {
  const [field, part] = column.split('.', 2) as [string, string | undefined];
  if (part === undefined) {
    row[column] = value;
    return;
  }
  const nested = (row[field] ?? {}) as Record<string, unknown>;
  nested[part] = value;
  row[field] = nested;
}

type Cell = string | number | boolean | string[] | undefined;

/** An offer as CSV cells under OFFER_COLUMNS: what the demo generator writes. */
export function cellsFromOffer(offer: Offer): string[] {
  // Every field of an offer is text, a number, a boolean, a list of text or an object of numbers.
  const fields = offer as Record<string, Cell | Record<string, Cell>>;
  return OFFER_COLUMNS.map((column) => {
    const [field, part] = column.split('.', 2) as [string, string | undefined];
    const whole = fields[field];
    const value: Cell =
      part === undefined
        ? (whole as Cell)
        : typeof whole === 'object' && whole !== null && !Array.isArray(whole)
          ? whole[part]
          : undefined;
    if (value === undefined) return '';
    if (Array.isArray(value)) return value.join(LIST_SEPARATOR);
    return String(value);
  });
}
