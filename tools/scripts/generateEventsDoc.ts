import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { EVENTS_DOC_FILE, renderEventsDoc } from './eventsDoc';

/** `npm run docs:events`: regenerates docs/events.md after a change to the event schemas. */
async function main(): Promise<void> {
  const text = await renderEventsDoc();
  let current = '';
  try {
    current = readFileSync(EVENTS_DOC_FILE, 'utf8');
  } catch {
    // First generation.
  }
  const name = relative(process.cwd(), EVENTS_DOC_FILE);
  if (current === text) {
    console.log(`${name} is up to date`);
    return;
  }
  writeFileSync(EVENTS_DOC_FILE, text);
  console.log(`wrote ${name}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
