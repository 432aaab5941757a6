/*
 * CSV as spreadsheets write it (RFC 4180): comma-separated, a field in double quotes may hold
 * commas, line breaks and doubled quotes (""). Written here rather than taken from a package
 * because the importer needs each record's line number, for errors a person can find.
 */

export interface CsvRecord {
  /** The line the record starts on, 1-based, as an editor or spreadsheet shows it. */
  line: number;
  cells: string[];
}

/** Every record, blank lines skipped; an unclosed quote is reported with the line it opened on. */
export function parseCsv(text: string): { records: CsvRecord[] } | { problem: string; line: number } {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 1;
  let sawAny = false;
  const endRecord = (): void => {
    cells.push(cell);
    if (sawAny || cells.length > 1 || cell !== '') records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
    sawAny = false;
  };
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text; // a BOM, as Excel writes
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (quoted) {
      if (char === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        cell += char;
      }
      continue;
    }
    if (char === '"') {
      quoted = true;
      quoteLine = line;
      sawAny = true;
    } else if (char === ',') {
      cells.push(cell);
      cell = '';
      sawAny = true;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else cell += char;
  }
  if (quoted) return { problem: 'a quoted field is never closed', line: quoteLine };
  endRecord();
  return { records };
}

/** One cell, quoted only when it has to be. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
