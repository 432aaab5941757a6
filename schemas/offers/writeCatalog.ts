import { cellsFromOffer, OFFER_COLUMNS } from './columns';
import { csvCell } from './csv';
import type { Offer } from './schema';

/** Offers as the importer reads them: a JSON array, one offer a line so a diff stays readable. */
export function offersJson(offers: readonly Offer[]): string {
  return `[\n${offers.map((offer) => `  ${JSON.stringify(offer)}`).join(',\n')}\n]\n`;
}

/** Offers as the importer reads them: a header of every column, one offer a row. */
export function offersCsv(offers: readonly Offer[]): string {
  const lines = [OFFER_COLUMNS, ...offers.map(cellsFromOffer)].map((cells) => cells.map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}
