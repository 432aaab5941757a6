import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { InputIssue } from '../issues';
import { closest } from '../playbook/suggest';
import { OFFER_COLUMNS, rowFromCells, unknownColumns } from './columns';
import { parseCsv } from './csv';

/** One row of an offer file: where it is, and the object to validate or why it could not be read. */
export interface OfferRow {
  /** The line it starts on. */
  line: number;
  value: unknown;
  /** Cells that could not be read as their field's type (CSV only). */
  issues: InputIssue[];
}

/** A problem with the whole file: nothing in it is imported. */
export interface FileProblem {
  line?: number;
  path?: string;
  message: string;
}

/**
 * Reads a .json (an array of offers) or .csv (a header row, then one offer a row) file. A problem
 * with a row is the row's; a problem that makes every row unreadable (bad JSON, an unknown column)
 * is the file's.
 */
export async function readOfferFile(
  path: string,
): Promise<{ rows: OfferRow[] } | { problems: FileProblem[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { problems: [{ message: `cannot read the file: ${describe(error)}` }] };
  }
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return jsonRows(text);
  if (extension === '.csv') return csvRows(text);
  return { problems: [{ message: 'expected a .json or .csv file' }] };
}

function jsonRows(text: string): { rows: OfferRow[] } | { problems: FileProblem[] } {
  const body = text.replace(/^\uFEFF/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return { problems: [{ message: `invalid JSON: ${describe(error)}` }] };
  }
  if (!Array.isArray(parsed))
    return { problems: [{ message: 'expected a JSON array of offers: [ {…}, {…} ]' }] };
  const lines = elementLines(body);
  return { rows: parsed.map((value: unknown, i) => ({ line: lines[i] ?? i + 1, value, issues: [] })) };
}

/**
 * The line each element of a top-level JSON array starts on. Runs after JSON.parse accepted the
 * text, so it only has to track strings and nesting depth.
 */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\n') line++;
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (/\s/.test(char)) continue;
    if (depth === 1 && expectValue && char !== ']') {
      lines.push(line);
      expectValue = false;
    }
    if (char === '"') inString = true;
    else if (char === '[' || char === '{') {
      depth++;
      if (depth === 1) expectValue = true;
    } else if (char === ']' || char === '}') depth--;
    else if (char === ',' && depth === 1) expectValue = true;
  }
  return lines;
}

function csvRows(text: string): { rows: OfferRow[] } | { problems: FileProblem[] } {
  const parsed = parseCsv(text);
  if ('problem' in parsed) return { problems: [{ line: parsed.line, message: parsed.problem }] };
  const [header, ...records] = parsed.records;
  if (!header) return { problems: [{ message: 'empty file: expected a header row naming the columns' }] };
  const columns = header.cells.map((cell) => cell.trim());
  const unknown = unknownColumns(columns);
  if (unknown.length > 0)
    return {
      problems: unknown.map((column) => ({
        line: header.line,
        path: column,
        message:
          'unknown column' +
          suggestion(column) +
          ': every row would lose its values, so nothing was imported',
      })),
    };
  return {
    rows: records.map((record) => {
      const { row, issues } = rowFromCells(columns, record.cells);
      return { line: record.line, value: row, issues };
    }),
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error ? error.code : undefined;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error.message;
}

function suggestion(column: string): string {
  const near = closest(column, OFFER_COLUMNS);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}
