import { utf8 } from './hash';
import { sha256Hex } from './sha256';

/*
 * Every ID or key the engine builds from several strings (workflow IDs, idempotency keys, record
 * `_id`s) is built here, so that no two different lists of parts ever give the same ID: customer
 * `ops-col` with order `1:x` and customer `ops-col:1` with order `x` get two runs, not one.
 *
 * Each part is percent-escaped, then the parts are joined with `:`. Only what would make the
 * joined string ambiguous is escaped: the separator `:`, the escape `%` itself, `~` (the mark of a
 * shortened part, below), control characters (unreadable, and some servers strip them), and lone
 * UTF-16 surrogates (not valid UTF-8, so a server would turn different ones into the same U+FFFD).
 * Anything else, `@`, `#`, spaces and non-ASCII letters included, stays as it is: a part without
 * those characters is byte-identical to the part itself, so IDs stay readable in the Temporal UI
 * and the IDs of runs started before this escaping existed are unchanged for such parts.
 *
 * Other separators used after a composed ID (`#<visit>`, `#<attempt>`, `@<ISO time>`) are always
 * followed by a fixed form with no `:` at the end of the ID, so they need no escape.
 */

/** Temporal's default limit on a workflow ID (`limit.maxIDLength`), in bytes. */
export const MAX_WORKFLOW_ID_BYTES = 1000;

/** A part longer than this (encoded) is shortened when the whole ID would be too long. */
const LONG_PART_BYTES = 100;
/** What a shortened part keeps of its start, so it stays recognisable in the UI. */
const KEPT_PREFIX_BYTES = 48;
/** 128 bits of SHA-256: a collision needs about 2^64 tries. */
const HASH_HEX = 32;

const SPECIAL =
  /[%:~\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** One part, escaped so that it contains no `:` and no `~`. */
export function idPart(value: string): string {
  return value.replace(SPECIAL, (char) => utf8(char).map(hexByte).join(''));
}

function hexByte(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * The parts escaped and joined with `:`. With `maxBytes`, an ID that would be longer has each of
 * its long parts replaced by `<start of the part>~<SHA-256 of the part>`: still a different ID
 * for different parts (a plain part never holds a raw `~`), and within the limit for any input the
 * schemas allow (at most 100 bytes a part).
 */
export function composeId(parts: readonly string[], maxBytes?: number): string {
  const escaped = parts.map(idPart);
  const id = escaped.join(':');
  if (maxBytes === undefined || byteLength(id) <= maxBytes) return id;
  return escaped
    .map((part, i) => (byteLength(part) <= LONG_PART_BYTES ? part : shortened(part, parts[i]!)))
    .join(':');
}

function shortened(escaped: string, raw: string): string {
  let kept = '';
  // Whole characters (and whole escapes) only, so the kept start is valid text.
  for (const piece of escaped.match(/%[0-9A-F]{2}|[\s\S]/gu) ?? []) {
    if (byteLength(kept + piece) > KEPT_PREFIX_BYTES) break;
    kept += piece;
  }
  return `${kept}~${sha256Hex(raw).slice(0, HASH_HEX)}`;
}

export function byteLength(text: string): number {
  return utf8(text).length;
}
