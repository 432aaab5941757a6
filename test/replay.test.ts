import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from '@temporalio/worker';
import { loadHistories } from './support/histories';
import { sharedWorkflowModules } from '../workflows/sharedModules';

/*
 * Replays every recorded history (test/histories, one per journey shape) through the current
 * workflow code. A change that would make a running journey non-deterministic fails here; guard
 * such changes with patched() and record the new shape. Re-record with:
 *   RECORD_HISTORIES=1 node --import tsx --test test/journey.timeSkipping.test.ts
 */
describe('replay of recorded journey histories', () => {
  const histories = loadHistories();

  it('has a recorded history for every journey shape', () => {
    assert.deepEqual(
      histories.map((h) => h.name),
      [
        'browse-continued-as-new',
        'cart-delivered-email',
        'cart-delivered-email-batched',
        'cart-delivered-email-patched',
        'cart-delivered-sms',
        'cart-duplicate-signal',
        'cart-exited-by-order',
        'cart-exited-emptied',
        'cart-holdout-suppressed',
        'cart-paused-resumed',
        'cart-paused-resumed-recorded',
        'cart-wait-restarted',
        'offer-fewer-local-activities',
        'trigger-rearmed',
      ],
    );
  });

  it('replays all of them without non-determinism', async () => {
    const results = Worker.runReplayHistories(
      {
        workflowsPath: require.resolve('../workflows'),
        // As the worker bundles them: the engine's modules shared by every run (workflows/sharedModules.ts).
        bundlerOptions: { preloadModules: sharedWorkflowModules },
        replayName: 'journeys-replay',
      },
      histories.map(({ name, history }) => ({ workflowId: name, history })),
    );
    let replayed = 0;
    for await (const result of results) {
      assert.equal(result.error, undefined, `${result.workflowId}: ${String(result.error)}`);
      replayed += 1;
    }
    assert.equal(replayed, histories.length);
  });
});
