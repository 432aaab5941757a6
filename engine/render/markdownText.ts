/**
 * The characters the Temporal Web UI's Markdown renderer (UI 2.42, its `/render` page) gives a
 * meaning to and lets a backslash escape: links `[]()`, emphasis and strikethrough `*_~`, code
 * `` ` ``, headings and lists `#+-.`, tables `|`, HTML and autolinks `<>`, entities `&`, maths `$^`,
 * the UI's `{workflowId}` placeholders `{}`, and `:` and `.`, without which `https://…` and
 * `www.…` are linked. Checked in a browser, character by character: it renders `\/`, `\@`, `\;`,
 * `\,`, `\%`, `\=`, `\?`, `\"` and `\'` with the backslash showing, so those are left alone (none
 * of them starts any markup once `:` and `.` are escaped).
 */
const SPECIAL = /[!#$&()*+\-.:<>[\\\]^_`{|}~]/g;

/**
 * Text for the Temporal UI's summary and details, which it renders as Markdown: shows exactly as
 * written, never as a link, emphasis, heading or HTML. Line breaks become spaces, since a new line
 * could start a block. (The renderer's typographer still curls straight quotes: no escape stops it.)
 */
export function markdownText(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(SPECIAL, (char) => `\\${char}`);
}
