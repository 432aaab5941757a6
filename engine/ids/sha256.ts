import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { utf8 } from './hash';

/*
 * SHA-256 of a string's UTF-8 bytes, as lowercase hex, from @noble/hashes (audited, pure
 * JavaScript, no dependencies): ID composition (./idParts) is pure engine code that the workflow
 * bundle also loads, and the workflow sandbox has neither node:crypto nor a synchronous WebCrypto.
 * The bytes come from ./hash's encoder, which keeps a lone surrogate as its own three bytes
 * instead of U+FFFD, so two parts that differ only there still hash apart.
 */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(Uint8Array.from(utf8(text))));
}
