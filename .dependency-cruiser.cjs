// The layers and their arrows, checked by `npm run check:layers` (part of `npm run check`).
//
//   worker.ts, cli/, tools/, test/   entry points: start things, may import anything
//   router/, simulator/              drive the engine: live (Temporal, HTTP) and offline
//   workflows/                       durable runs of the interpreter
//   activities/                      effects: send, reserve, decide an offer, publish
//   store/                           MongoDB records and their reads and writes
//   schemas/                         what crosses the boundary, and its validation (zod)
//   engine/                          the pure core: rules as functions of (state, input, time)
//
// Arrows point down only, and nothing forms a cycle. `import type` counts
// (tsPreCompilationDeps): a type import is still an arrow a reader follows, and a type cycle is a
// cycle in the design even when the compiler erases it.
//
// One exception, stated exactly: the engine speaks the vocabulary that schemas/ defines (a
// Playbook, a JourneyEvent, a ContactPolicy, an Offer). The zod definition files are that
// vocabulary; the engine may import their types, never their values (zod must not reach the
// workflow bundle), and the definition files import only zod, each other and pure leaf modules.

/** The zod schema definitions: the bottom vocabulary that every layer, the engine included, names. */
const DEFINITIONS = [
  '^schemas/[^/]+/schema\\.ts$',
  // The playbook form before schemaVersion 2, as types: what stored versions and runs in flight hold.
  '^schemas/playbook/schemaV1\\.ts$',
  '^schemas/events/cohort\\.ts$',
  '^schemas/events/httpUrl\\.ts$',
  '^schemas/policy/seasons\\.ts$',
  '^schemas/time\\.ts$',
];

/** Engine modules that import nothing, so a definition file may use them without pulling the engine up. */
const PURE_LEAVES = ['^engine/time/duration\\.ts$', '^engine/events/oldForms\\.ts$'];

const ENTRY_POINTS = ['^worker\\.ts$', '^cli/', '^tools/', '^test/'];

/** Each layer and what sits above it: a layer may import anything except those. */
const layers = [
  // Router and simulator are one level: neither imports the other (router-and-simulator-are-siblings).
  { name: 'router', path: '^router/', above: ENTRY_POINTS },
  { name: 'simulator', path: '^simulator/', above: ENTRY_POINTS },
  { name: 'workflows', path: '^workflows/', above: [...ENTRY_POINTS, '^router/', '^simulator/'] },
  {
    name: 'activities',
    path: '^activities/',
    above: [...ENTRY_POINTS, '^router/', '^simulator/', '^workflows/'],
  },
  {
    name: 'store',
    path: '^store/',
    above: [...ENTRY_POINTS, '^router/', '^simulator/', '^workflows/', '^activities/'],
  },
  {
    name: 'schemas',
    path: '^schemas/',
    above: [...ENTRY_POINTS, '^router/', '^simulator/', '^workflows/', '^activities/', '^store/'],
  },
  {
    name: 'engine',
    path: '^engine/',
    above: [...ENTRY_POINTS, '^router/', '^simulator/', '^workflows/', '^activities/', '^store/'],
  },
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'A cycle, type imports included, means no module of it can be read, tested or moved without the ' +
        'others: break it by moving the shared piece down (e.g. store/duplicateKey.ts).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layers.map((layer) => ({
      name: `${layer.name}-imports-downward`,
      comment:
        `${layer.name}/ may not import a layer above it (${layer.above.join(' ')}): arrows point down, ` +
        'so each layer can be understood, tested and replaced with only what is below it. Move the type ' +
        'or constant down to where both can reach it.',
      severity: 'error',
      from: { path: layer.path },
      to: { path: layer.above },
    })),
    {
      name: 'router-and-simulator-are-siblings',
      comment:
        'The router (live) and the simulator (offline) drive the same engine side by side: what they ' +
        'share belongs in the engine, where the parity test can hold both to it.',
      severity: 'error',
      from: { path: '^(router|simulator)/' },
      to: { path: '^(router|simulator)/', pathNot: '^$1/' },
    },
    {
      name: 'engine-reads-only-schema-definitions',
      comment:
        'The engine is below schemas/: of it, only the zod definition files (the vocabulary) may be ' +
        'named by the engine; validators, loaders and readers sit above the engine and use it.',
      severity: 'error',
      from: { path: '^engine/' },
      to: { path: '^schemas/', pathNot: DEFINITIONS },
    },
    {
      name: 'engine-imports-schema-types-only',
      comment:
        'The engine runs inside the workflow bundle: a value import of a definition file would bring ' +
        'zod in, and a ZodError there retries the workflow task forever. `import type` is erased.',
      severity: 'error',
      from: { path: '^engine/' },
      to: { path: DEFINITIONS, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'definitions-are-the-bottom',
      comment:
        'The definition files are what the engine may name, so they import only zod, each other and ' +
        'pure leaf modules: anything else would make the engine depend, through them, on what is above it.',
      severity: 'error',
      from: { path: DEFINITIONS },
      to: { pathNot: [...DEFINITIONS, ...PURE_LEAVES, '^node_modules/zod/'] },
    },
  ],
  options: {
    // Type imports are arrows too; TypeScript would erase them before the cruiser saw them.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: '^node_modules/' },
    // Build output, local data, and the root's tool configs (eslint, this file): not layers.
    exclude: { path: '^(dist|\\.data)/|^[^/]+\\.(cjs|mjs)$' },
  },
};
