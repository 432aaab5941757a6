/*
 * How a setting's value is shown in an error: enough to recognise it, never a secret. Connection
 * strings keep their scheme, user, host and options with the password replaced; tokens and keys
 * are not shown at all.
 */

/** The password of a `scheme://user:password@host` string replaced by ****; works on malformed strings too. */
export function maskUriPassword(uri: string): string {
  const schemeEnd = uri.indexOf('://');
  // The last @ is the userinfo's end, even when a password holds an unescaped @ or /: masking too
  // much of a broken string is safe, masking too little is not.
  const at = uri.lastIndexOf('@');
  if (schemeEnd < 0 || at < schemeEnd) return uri;
  const userinfo = uri.slice(schemeEnd + 3, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return uri;
  return `${uri.slice(0, schemeEnd + 3)}${userinfo.slice(0, colon)}:****${uri.slice(at)}`;
}

/**
 * How a variable's value is described in an error: `is "value"`; for a secret, a connection string
 * with its password masked, or nothing of a token or key.
 */
export function describeValue(value: string, secret: boolean): string {
  if (!secret) return `is "${value}"`;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? `is "${maskUriPassword(value)}"` : 'is invalid';
}
