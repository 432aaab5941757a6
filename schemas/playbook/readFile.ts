import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { InputIssue } from '../issues';
import { unquotedTemplateIssues, yamlSyntaxIssues } from './yamlErrors';

/** Reading a playbook file into plain data; syntax errors located by line (schemas/playbook/yamlErrors.ts). */

export const PLAYBOOK_EXTENSIONS = ['.json', '.yaml', '.yml'] as const;

export function isPlaybookFileName(name: string): boolean {
  return (
    (PLAYBOOK_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase()) &&
    !name.endsWith('.schema.json')
  );
}

export type ReadResult = { ok: true; data: unknown } | { ok: false; issues: InputIssue[] };

function at(line: number, column: number): string {
  return `line ${line}, column ${column}`;
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function parseJson(text: string): ReadResult {
  try {
    return { ok: true, data: JSON.parse(text) as unknown };
  } catch (error) {
    const message = (error as Error).message;
    // V8 reports an offset ("at position 42"); people read lines and columns.
    const offset = /at position (\d+)/.exec(message)?.[1];
    const { line, column } = positionOf(text, offset === undefined ? text.length : Number(offset));
    const reason = message
      .replace(/\s*(in JSON )?at position \d+.*$/, '')
      .replace(/\s*\(line \d+ column \d+\)$/, '');
    return { ok: false, issues: [{ path: at(line, column), message: `invalid JSON: ${reason}` }] };
  }
}

function parseYaml(text: string): ReadResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) return { ok: false, issues: yamlSyntaxIssues(text, document, lineCounter) };
  const quoting = unquotedTemplateIssues(document, lineCounter);
  if (quoting.length > 0) return { ok: false, issues: quoting };
  return { ok: true, data: document.toJS() as unknown };
}

export function readPlaybookFile(file: string): ReadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    return { ok: false, issues: [{ path: '(file)', message: `cannot read: ${reason}` }] };
  }
  if (text.trim() === '') return { ok: false, issues: [{ path: '(file)', message: 'the file is empty' }] };
  return extname(file).toLowerCase() === '.json' ? parseJson(text) : parseYaml(text);
}
