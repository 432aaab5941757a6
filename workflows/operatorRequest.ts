import type { OperatorRequest } from './messages';

/** Long enough for a sentence and an address; a decision record is no place for a document. */
const MAX_LENGTH = 500;

/**
 * Checks what an update handed the run, before the run accepts it (the update's validator): a
 * request arrives from any client as plain JSON, so nothing about its shape can be assumed. Plain
 * checks, not zod: this runs inside the workflow. Returns the request as the run records it, or
 * throws an Error whose message says which field is wrong and what to send instead.
 */
export function operatorRequest(
  action: 'pause' | 'resume' | 'exit',
  input: unknown,
): { reason?: string; by?: string } {
  const example = '{ "reason": "why", "by": "who (optional)" }';
  const needsReason = action !== 'resume';
  if (input === undefined || input === null) {
    if (!needsReason) return {};
    throw new Error(`${action}: the request is missing; send ${example}`);
  }
  if (typeof input !== 'object' || Array.isArray(input))
    throw new Error(`${action}: the request must be an object like ${example}, not ${describe(input)}`);
  const request = input as Record<string, unknown>;
  const unknown = Object.keys(request).filter((key) => key !== 'reason' && key !== 'by');
  if (unknown.length > 0)
    throw new Error(
      `${action}: unknown field ${unknown.map((key) => `"${key}"`).join(', ')}; send ${example}`,
    );
  const reason = text(action, 'reason', request.reason, needsReason);
  const by = text(action, 'by', request.by, false);
  return { ...(reason !== undefined && { reason }), ...(by !== undefined && { by }) };
}

function text(
  action: string,
  field: keyof OperatorRequest,
  value: unknown,
  required: boolean,
): string | undefined {
  if (value === undefined) {
    if (required)
      throw new Error(`${action}: "${field}" is missing; say why, e.g. { "${field}": "checking copy" }`);
    return undefined;
  }
  if (typeof value !== 'string')
    throw new Error(`${action}: "${field}" must be text, not ${describe(value)}`);
  if (value.trim() === '') throw new Error(`${action}: "${field}" is empty`);
  if (value.length > MAX_LENGTH)
    throw new Error(`${action}: "${field}" is ${value.length} characters long; at most ${MAX_LENGTH}`);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? 'text' : `a ${typeof value}`;
}
