/** One line of newline-delimited JSON: blank lines carry nothing, others a value or a parse error. */
export type NdjsonLine =
  { kind: 'blank' } | { kind: 'value'; value: unknown } | { kind: 'invalid'; reason: string };

export function parseNdjsonLine(text: string): NdjsonLine {
  if (text.trim() === '') return { kind: 'blank' };
  try {
    return { kind: 'value', value: JSON.parse(text) as unknown };
  } catch (error) {
    return { kind: 'invalid', reason: error instanceof Error ? error.message : String(error) };
  }
}
