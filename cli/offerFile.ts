import { checkRows } from '../schemas/offers/checkRows';
import { readOfferFile } from '../schemas/offers/readFile';
import type { Offer } from '../schemas/offers/schema';
import { formatIssue } from '../schemas/issues';
import type { CliIo } from './command';

export interface OfferFile {
  offers: Offer[];
  rows: number;
  /** Rows left out, each reported as `<file>:<line>: <field>: <why>`. */
  bad: number;
}

/**
 * Reads an offer file (JSON or CSV) as a CRM team wrote it and reports every problem on stderr:
 * a bad row is named by line and field and left out whole, the rest are kept. A file that cannot
 * be read at all (bad JSON, an unknown column) gives undefined.
 */
export async function readOffersReporting(file: string, io: CliIo): Promise<OfferFile | undefined> {
  const read = await readOfferFile(file);
  if ('problems' in read) {
    for (const problem of read.problems) {
      const at = problem.line === undefined ? file : `${file}:${problem.line}`;
      io.err(
        problem.path === undefined
          ? `${at}: ${problem.message}`
          : `${at}: ${problem.path}: ${problem.message}`,
      );
    }
    return undefined;
  }
  const { offers, problems } = checkRows(read.rows);
  for (const problem of problems)
    for (const issue of problem.issues) io.err(formatIssue(`${file}:${problem.line}`, issue));
  return { offers, rows: read.rows.length, bad: problems.length };
}
