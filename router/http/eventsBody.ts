import type { BodyFormat } from './requestBody';
import { parseNdjsonLine } from './ndjson';

/** One event slot of a request: its value, or for an ndjson line that is not JSON, the parse error. */
export type BodyEntry = { line?: number; value: unknown } | { line: number; invalidJson: string };

export type EventsBody =
  /** `single`: the body was one event object rather than an array or lines. */
  { kind: 'events'; single: boolean; entries: BodyEntry[] } | { kind: 'invalid'; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits a request body into events. A JSON body is one value, so one syntax error spoils all of it;
 * ndjson lines stand alone, so a malformed line is reported in its slot and the other lines still go
 * through, as they would from `journeys events publish`.
 */
export function parseEventsBody(body: Buffer, format: BodyFormat): EventsBody {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { kind: 'invalid', message: 'the request body is not valid UTF-8' };
  }
  if (format === 'ndjson') return { kind: 'events', single: false, entries: ndjsonEntries(text) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: 'invalid', message: `the request body is not valid JSON: ${reason}` };
  }
  if (Array.isArray(value))
    return { kind: 'events', single: false, entries: value.map((v: unknown) => ({ value: v })) };
  return { kind: 'events', single: true, entries: [{ value }] };
}

function ndjsonEntries(text: string): BodyEntry[] {
  const entries: BodyEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const parsed = parseNdjsonLine(raw);
    if (parsed.kind === 'value') entries.push({ line, value: parsed.value });
    else if (parsed.kind === 'invalid') entries.push({ line, invalidJson: parsed.reason });
  });
  return entries;
}
