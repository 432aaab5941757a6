import { z } from 'zod';

/**
 * A URL that may reach a message: http or https only. `z.url()` alone accepts any scheme, so
 * `javascript:alert(document.cookie)//` or `data:text/html,…` would pass and become a link in an
 * email. Every URL field of an event uses this one schema; templates check again where a value
 * lands in a link (engine/render/urlAttributes.ts), for values that come from elsewhere.
 */
export const HttpUrl = z.url({
  protocol: /^https?$/,
  error: 'expected a web address starting with http:// or https://, such as https://shop.example/',
});
