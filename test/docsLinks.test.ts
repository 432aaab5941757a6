import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import GithubSlugger from 'github-slugger';
import MarkdownIt from 'markdown-it';

/*
 * The docs cite each other and the code by relative links; a moved or split document must not leave
 * one dangling. A Markdown parser (markdown-it) tells links from text that only looks like one (in
 * code spans and blocks), and github-slugger names headings as GitHub does, so an `#anchor` that
 * works here works on GitHub.
 */

const ROOT = resolve(__dirname, '..');
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.data', 'dist']);
const markdown = new MarkdownIt();
type Token = ReturnType<typeof markdown.parse>[number];

/** Every Markdown file of the repository, as a path from its root. */
function markdownFiles(folder = ROOT): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : markdownFiles(path);
    return entry.name.endsWith('.md') ? [relative(ROOT, path)] : [];
  });
}

interface Link {
  href: string;
  line: number;
}

/** The links and images of a document, with the line each is on (1-based; a table cell's is its row's). */
function linksOf(tokens: readonly Token[], line = 0): Link[] {
  const links: Link[] = [];
  let at = line;
  for (const token of tokens) {
    if (token.map) at = token.map[0] + 1;
    if (token.type === 'link_open' || token.type === 'image')
      links.push({ href: String(token.attrGet(token.type === 'image' ? 'src' : 'href') ?? ''), line: at });
    links.push(...linksOf(token.children ?? [], at));
  }
  return links;
}

/** The anchors GitHub gives a document's headings (repeated titles get -1, -2, …). */
function anchorsOf(tokens: readonly Token[]): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  tokens.forEach((token, i) => {
    if (token.type !== 'heading_open') return;
    const text = (tokens[i + 1]?.children ?? [])
      .filter((child) => child.type === 'text' || child.type === 'code_inline')
      .map((child) => child.content)
      .join('');
    anchors.add(slugger.slug(text));
  });
  return anchors;
}

const parsed = new Map<string, Token[]>();
function tokensOf(file: string): Token[] {
  const known = parsed.get(file);
  if (known !== undefined) return known;
  const tokens = markdown.parse(readFileSync(join(ROOT, file), 'utf8'), {});
  parsed.set(file, tokens);
  return tokens;
}

/** Why a relative link does not resolve, or undefined when it does. */
function problemWith(file: string, href: string): string | undefined {
  const hash = href.indexOf('#');
  const path = decodeURIComponent(hash < 0 ? href : href.slice(0, hash));
  const anchor = hash < 0 ? undefined : decodeURIComponent(href.slice(hash + 1));
  const target = path === '' ? file : relative(ROOT, resolve(dirname(join(ROOT, file)), path));
  if (target.startsWith('..')) return `${path} is outside the repository`;
  if (!existsSync(join(ROOT, target))) return `${target} does not exist`;
  if (anchor === undefined || anchor === '') return undefined;
  if (statSync(join(ROOT, target)).isDirectory() || !target.endsWith('.md'))
    return `#${anchor} points into ${target}, which has no headings`;
  return anchorsOf(tokensOf(target)).has(anchor) ? undefined : `${target} has no heading #${anchor}`;
}

/** A link with a scheme (https:, mailto:) or to another host is not ours to check. */
const isExternal = (href: string): boolean => /^[a-z][a-z0-9+.-]*:|^\/\//i.test(href);

describe('links between the docs', () => {
  const files = markdownFiles();

  it('covers the front page, the contributors’ guide, docs/ and the authors’ guide', () => {
    for (const file of ['README.md', 'CONTRIBUTING.md', 'playbooks/README.md', 'docs/README.md'])
      assert.ok(files.includes(file), `${file} is missing`);
  });

  it('every relative link resolves to a file, and every #anchor to a heading', () => {
    const broken = files.flatMap((file) =>
      linksOf(tokensOf(file))
        .filter(({ href }) => !isExternal(href))
        .flatMap(({ href, line }) => {
          const problem = problemWith(file, href);
          return problem === undefined ? [] : [`${file}:${line}: (${href}) ${problem}`];
        }),
    );
    assert.deepEqual(broken, []);
  });

  it('checks real links and ignores ones in code', () => {
    const tokens = markdown.parse('[a](docs/x.md#y) `[b](nope.md)`\n\n```\n[c](nope.md)\n```\n', {});
    assert.deepEqual(linksOf(tokens), [{ href: 'docs/x.md#y', line: 1 }]);
    assert.deepEqual(
      [...anchorsOf(markdown.parse('# The `journeys` CLI\n## Notes\n## Notes\n', {}))],
      ['the-journeys-cli', 'notes', 'notes-1'],
    );
  });
});
