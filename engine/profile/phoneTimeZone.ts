import type { PrefixZones } from './phoneTimeZones.data';
import { CALLING_CODE_ZONES } from './phoneTimeZones.data';

/*
 * The customer's timezone as far as the phone number tells it: the second guess, after the profile's
 * own timezone and before the workspace default. Pure and table-driven, so the workflow and the
 * simulator agree.
 */

// A leading + is required: without it "2025550123" could be a US number or an Egyptian one.
const E164 = /^\+[1-9]\d{6,14}$/;
// What people write between digits; "(0)" is the trunk prefix in "+44 (0)20 …", not part of the number.
const SEPARATORS = /\(0\)|[\s\-.()]/g;
// NANP: a three-digit area code and exchange, neither starting with 0 or 1, and four more digits.
const NANP_NUMBER = /^[2-9]\d{2}[2-9]\d{6}$/;

/** The IANA zone of an E.164 number, or undefined where the number does not tell it reliably. */
export function timeZoneOfPhone(e164: string): string | undefined {
  const compact = e164.trim().replace(SEPARATORS, '');
  if (!E164.test(compact)) return undefined;
  const digits = compact.slice(1);
  // Calling codes are prefix-free, so at most one of the 1-, 2- and 3-digit prefixes is one.
  for (let length = 1; length <= 3; length++) {
    const zones = CALLING_CODE_ZONES[digits.slice(0, length)];
    if (zones === undefined) continue;
    const national = nationalNumber(digits.slice(0, length), digits.slice(length));
    if (national === undefined) return undefined;
    return typeof zones === 'string' ? zones : zoneByPrefix(zones, national);
  }
  return undefined;
}

/** The national number in the form the prefix tables use, or undefined if it cannot be one. */
function nationalNumber(callingCode: string, rest: string): string | undefined {
  if (callingCode === '1') return NANP_NUMBER.test(rest) ? rest : undefined;
  // Older Mexican mobile numbers carry a 1 before the ten-digit number; it says nothing about place.
  if (callingCode === '52' && rest.length === 11 && rest.startsWith('1')) return rest.slice(1);
  return rest.length >= 4 ? rest : undefined;
}

function zoneByPrefix(zones: PrefixZones, national: string): string | undefined {
  for (let end = national.length; end >= 0; end--) {
    const zone = zones[national.slice(0, end)];
    if (zone !== undefined) return zone ?? undefined; // null: this prefix spans zones
  }
  return undefined;
}
