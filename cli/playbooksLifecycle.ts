import { validatePlaybookFiles, listPlaybookFiles } from '../schemas/playbook/load';
import { formatIssue } from '../schemas/issues';
import {
  activate,
  ensurePlaybookIndexes,
  listStates,
  playbookCollections,
  PlaybookLifecycleError,
  PlaybookVersionConflictError,
  publishedVersions,
  publishVersion,
  setStatus,
  type ListedState,
  type PlaybookCollections,
} from '../store/playbookVersions';
import { UsageError, type CliCommand, type CliIo } from './command';
import { resolveVersionFlag } from './versionFlag';
import { warningLines } from './playbooksCommand';
import { withMongoDb } from './withMongoDb';
import { statSync } from 'node:fs';

async function withPlaybookStore(
  io: CliIo,
  run: (c: PlaybookCollections) => Promise<number>,
): Promise<number> {
  return withMongoDb(io, async (db) => {
    try {
      await ensurePlaybookIndexes(db);
      return await run(playbookCollections(db));
    } catch (error) {
      if (!(error instanceof PlaybookLifecycleError)) throw error;
      io.err(error.message);
      return 1;
    }
  });
}

function expandPaths(paths: readonly string[]): string[] {
  return paths.flatMap((path) =>
    statSync(path, { throwIfNoEntry: false })?.isDirectory() ? listPlaybookFiles(path) : [path],
  );
}

export const playbooksPublish: CliCommand = {
  words: ['playbooks', 'publish'],
  args: '[path…]',
  summary:
    'store each valid playbook as an immutable version (content hash); invalid files, and changed files that keep a published version, are reported and skipped',
  run: (args, io) =>
    withPlaybookStore(io, async (store) => {
      const results = validatePlaybookFiles(expandPaths(args.length > 0 ? args : ['playbooks']));
      let bad = 0;
      for (const result of results) {
        for (const line of warningLines(result)) io.out(line);
        if (!result.playbook) {
          bad += 1;
          for (const issue of result.issues) io.out(formatIssue(result.file, issue));
          continue;
        }
        let published;
        try {
          published = await publishVersion(store, result.playbook, new Date(), result.file);
        } catch (error) {
          // The other files still publish: one file changed without a new version spoils only itself.
          if (!(error instanceof PlaybookVersionConflictError)) throw error;
          bad += 1;
          io.out(formatIssue(result.file, { path: 'version', message: error.message }));
          continue;
        }
        io.out(
          `${published.playbookId} v${published.version} ${published.hash.slice(0, 12)} ` +
            `${published.created ? 'published' : 'unchanged (already published)'}`,
        );
      }
      return bad > 0 ? 1 : 0;
    }),
};

const ACTIVATE_ARGS = '<playbookId> [--version <version> | --hash <hash prefix>]';

function onePlaybook(args: readonly string[]): {
  id: string;
  flag?: { name: '--version' | '--hash'; value: string };
} {
  const [id, name, value, ...rest] = args;
  if (id === undefined || rest.length > 0 || (name !== undefined && value === undefined)) {
    throw new UsageError(`expected ${ACTIVATE_ARGS}`);
  }
  if (name === undefined || value === undefined) return { id };
  if (name !== '--version' && name !== '--hash') throw new UsageError(`expected ${ACTIVATE_ARGS}`);
  return { id, flag: { name, value } };
}

export const playbooksActivate: CliCommand = {
  words: ['playbooks', 'activate'],
  args: ACTIVATE_ARGS,
  summary:
    'new entries use this published version (by its version number, or the start of its content hash; default: the latest); runs in flight keep theirs',
  run: (args, io) => {
    const { id, flag } = onePlaybook(args);
    return withPlaybookStore(io, async (store) => {
      const resolved = flag && resolveVersionFlag(flag.name, flag.value, await publishedVersions(store, id));
      if (resolved?.note) io.err(resolved.note);
      const version = await activate(store, id, new Date(), resolved?.select);
      io.out(`${id} active: v${version.version} ${version.hash.slice(0, 12)}`);
      return 0;
    });
  },
};

function statusCommand(status: 'paused' | 'retired', verb: string, summary: string): CliCommand {
  return {
    words: ['playbooks', verb],
    args: '<playbookId>',
    summary,
    run: (args, io) => {
      if (args.length !== 1) throw new UsageError('expected <playbookId>');
      return withPlaybookStore(io, async (store) => {
        await setStatus(store, args[0]!, status, new Date());
        io.out(`${args[0]} ${status}`);
        return 0;
      });
    },
  };
}

export const playbooksPause = statusCommand(
  'paused',
  'pause',
  'no new entries until activated again; runs in flight go on',
);
export const playbooksRetire = statusCommand(
  'retired',
  'retire',
  'take out of service: no new entries; runs in flight go on',
);

/**
 * Arbitration's order (engine/contactPolicy/arbitration.ts `rank`): higher priority first, then higher
 * expected value; playbooks without an active version last, by id.
 */
function arbitrationOrder(a: ListedState, b: ListedState): number {
  const ranked = (s: ListedState) => (s.priority === undefined ? 0 : 1);
  return (
    ranked(b) - ranked(a) ||
    (b.priority ?? 0) - (a.priority ?? 0) ||
    (b.expectedValue ?? 0) - (a.expectedValue ?? 0) ||
    (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)
  );
}

export const playbooksList: CliCommand = {
  words: ['playbooks', 'list'],
  args: '',
  summary:
    'each published playbook with its status and active version, in arbitration order (priority, then expected value)',
  run: (_args, io) =>
    withPlaybookStore(io, async (store) => {
      io.out(
        `${'playbook'.padEnd(28)} ${'status'.padEnd(8)} ${'priority'.padStart(8)} ${'value'.padStart(8)} active`,
      );
      for (const state of (await listStates(store)).sort(arbitrationOrder)) {
        const active =
          state.activeHash === undefined ? '-' : `v${state.version ?? '?'} ${state.activeHash.slice(0, 12)}`;
        const priority = String(state.priority ?? '-').padStart(8);
        const value = String(state.expectedValue ?? '-').padStart(8);
        io.out(`${state._id.padEnd(28)} ${state.status.padEnd(8)} ${priority} ${value} ${active}`);
      }
      return 0;
    }),
};
