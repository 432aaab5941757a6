/*
 * Where a template inserts a value into a link. Escaping (escape.ts) keeps a value inside its
 * attribute, but not out of the link's scheme: `<a href="{{profile.attributes.site}}">` with
 * `javascript:alert(1)` is a script link however well it is escaped. Event URLs are checked at
 * the boundary (schemas/events/httpUrl.ts); profile attributes, catalog data and anything added later are
 * not, so the template itself refuses a value that would choose a link's scheme unless it is an
 * http(s) URL. Pure string scanning: this runs inside the workflow.
 */

/** Attributes whose value a mail client or browser reads as a URL to follow or fetch. */
const URL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'href',
  'src',
  'srcset',
  'action',
  'formaction',
  'background',
  'cite',
  'poster',
  'longdesc',
  'usemap',
  'data',
  'dynsrc',
  'lowsrc',
  'ping',
  'xlink:href',
]);

/**
 * An absolute http(s) URL with a host, without spaces or control characters (no URL has them, and
 * in an unquoted attribute a space would start another attribute): the only value allowed to start
 * a link.
 */
export function isHttpUrl(text: string): boolean {
  return /^https?:\/\/[^\s/?#\\][^\s\u0000-\u001f\u007f]*$/i.test(text);
}

/**
 * Author-written text at the start of an attribute that already fixes the link's scheme (or makes
 * it relative), so a value after it cannot turn the link into `javascript:`.
 */
const SCHEME_FIXED = /^\s*([a-z][a-z0-9+.-]*:|[/?#.])/i;

/**
 * The offsets of the `{{…}}` tags in an HTML template that choose the scheme of a link: inside a
 * URL attribute, with no author-written scheme before them. A value there renders only if it is an
 * http(s) URL. Text before the tag in the same attribute that itself comes from a tag (`{{a}}{{b}}`,
 * or an `{{#if}}`) counts as not fixing anything, so every value there is checked: safe by default.
 */
export function schemeChoosingTags(source: string): ReadonlySet<number> {
  const found = new Set<number>();
  let i = 0;
  let state: 'text' | 'tag' | 'value' = 'text';
  let attribute = '';
  let quote = '';
  // Where the current attribute's value starts, and whether a template tag came before this point in it.
  let valueStart = 0;
  let tagInValue = false;

  const skipTemplateTag = (): boolean => {
    if (!source.startsWith('{{', i)) return false;
    if (state === 'value' && URL_ATTRIBUTES.has(attribute)) {
      if (tagInValue || !SCHEME_FIXED.test(source.slice(valueStart, i))) found.add(i);
      tagInValue = true;
    }
    const close = source.indexOf('}}', i + 2);
    i = close === -1 ? source.length : close + 2;
    return true;
  };

  while (i < source.length) {
    if (skipTemplateTag()) continue;
    const char = source[i] ?? '';
    switch (state) {
      case 'text':
        if (source.startsWith('<!--', i)) {
          const end = source.indexOf('-->', i + 4);
          i = end === -1 ? source.length : end + 3;
          continue;
        }
        if (char === '<' && /[a-z]/i.test(source[i + 1] ?? '')) {
          // Skip the element's name; what follows are its attributes.
          i++;
          while (i < source.length && /[^\s/>{]/.test(source[i] ?? '')) i++;
          state = 'tag';
          continue;
        }
        i++;
        continue;
      case 'tag': {
        if (char === '>') {
          state = 'text';
          i++;
          continue;
        }
        if (/[\s/]/.test(char)) {
          i++;
          continue;
        }
        const name = /^[^\s=/>{]+/.exec(source.slice(i))?.[0] ?? char;
        attribute = name.toLowerCase();
        i += name.length;
        while (/\s/.test(source[i] ?? '')) i++;
        if (source[i] !== '=') continue;
        i++;
        while (/\s/.test(source[i] ?? '')) i++;
        quote = source[i] === '"' || source[i] === "'" ? (source[i] ?? '') : '';
        if (quote !== '') i++;
        valueStart = i;
        tagInValue = false;
        state = 'value';
        continue;
      }
      case 'value': {
        const ends = quote === '' ? /[\s>]/.test(char) : char === quote;
        if (ends) {
          state = 'tag';
          if (quote !== '') i++;
          continue;
        }
        i++;
        continue;
      }
    }
  }
  return found;
}
