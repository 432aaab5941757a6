/*
 * Not workflow code: read by whatever bundles the workflows (worker.ts, npm run build:bundle, the
 * benchmarks, chaos), never imported by workflows/index.ts.
 *
 * The SDK runs every workflow in one reused V8 context and gives each run its own copy of every
 * module the workflows import: the interpreter, the template engine, SHA-256 with its tables, the
 * phone-prefix and cycle data, all evaluated again for each new run. The modules listed here are
 * evaluated once when the context is built and shared by every run (the bundler's
 * `preloadModules`). That is safe only for modules with no per-run state, that read neither the
 * clock nor randomness at load: engine/ is pure by design (docs/architecture.md), and its
 * module-level caches (time-zone formatters, partner adjacency) hold results of pure functions.
 * The SDK freezes what a shared module exports, so none may mutate its own exports. Never list
 * workflows/ files: journey.ts keeps per-run state at module level.
 */
export const sharedWorkflowModules: string[] = [
  '../engine/events/normalise',
  '../engine/events/normaliseRun',
  '../engine/ids/journeyKeys',
  '../engine/interpreter/offerRequest',
  '../engine/interpreter/run',
  '../engine/interpreter/slotReservation',
  '../engine/interpreter/upgradePlaybook',
  '../engine/profile/personalization',
  '../engine/render/markdownText',
  '../engine/template/message',
  '../engine/triggers/timerCommands',
].map((module) => require.resolve(module));
