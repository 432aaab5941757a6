import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { connectJourneyClient, type ConnectedJourneyClient } from '../router/connect';
import { loadConfig, type HoldoutConfig } from '../schemas/env';
import { launchChromium } from '../tools/devstack/browser';
import { withWaits } from '../tools/devstack/fastPlaybooks';
import { customerInArm } from '../tools/devstack/sampleCustomers';
import { startStack, type Stack } from '../tools/devstack/stack';
import { startWorkerProcess, type WorkerProcess } from '../tools/devstack/workerProcess';
import { journeyId } from '../engine/interpreter/entry';
import { loadPlaybooks } from '../schemas/playbook/load';
import { upsertProfile } from '../store/profiles';
import { cartUpdated, uniqueId } from './support/events';
import { tempDir } from './support/servers';

/*
 * What Ops do: open the Temporal Web UI in a browser, filter runs by CustomerId, and read each
 * run's playbook and current step. Real dev server, real worker, headless Debian Chromium.
 */
describe('Ops find a customer’s journeys in the Temporal Web UI', () => {
  const dir = tempDir('journeys-ui');
  // Kept after the run when a check failed, so its screenshots can be looked at.
  const shots = tempDir('journeys-ui-shots');
  let failed = false;
  let stack: Stack;
  let worker: WorkerProcess;
  let connected: ConnectedJourneyClient;
  let browser: Browser;
  let page: Page;
  let playbookVersion: number;
  let holdout: HoldoutConfig;

  before(async () => {
    stack = await startStack({
      dataDir: dir.path,
      ...(process.env.MONGODB_URI ? { mongodbUri: process.env.MONGODB_URI } : {}),
    });
    const env = {
      ...stack.env,
      MONGODB_DB: `ui_${Date.now()}`,
      TEMPORAL_TASK_QUEUE: `journeys-ui-${Date.now()}`,
    };
    worker = await startWorkerProcess(env);
    const config = loadConfig(env);
    holdout = config.holdout;
    const cart = loadPlaybooks(config.playbooksDir).find((p) => p.id === 'cart-abandonment')!;
    playbookVersion = cart.version;
    // A long wait keeps the run open on its `wait` step while the browser looks at it.
    connected = await connectJourneyClient(config, {
      playbooks: [{ ...withWaits(cart, '1h'), holdout: 0 }],
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(20_000);
  });

  after(async () => {
    await browser?.close();
    await connected?.close();
    await worker?.stop();
    await stack?.stop();
    dir.remove();
    if (!failed) shots.remove();
  });

  /**
   * Visibility is eventually consistent, and Step is upserted a workflow task after the start: the
   * UI reads a run once per page load, so wait until the run is listed on its step.
   */
  async function listedOnWait(id: string): Promise<void> {
    const query = `CustomerId = "${id}" AND Step = "wait"`;
    for (let i = 0; i < 100; i++) {
      for await (const _run of connected.temporal.workflow.list({ query })) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${id} never listed by ${query}`);
  }

  async function textAppears(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const frame of page.frames()) {
        const text = await frame
          .locator('body')
          .innerText({ timeout: 1_000 })
          .catch(() => '');
        if (pattern.test(text)) return;
      }
      if (Date.now() > deadline) throw new Error(`the page never showed ${String(pattern)}`);
      await page.waitForTimeout(200);
    }
  }

  /** On failure, the screenshot a person would have looked at. */
  async function check(name: string, assertion: () => Promise<void>): Promise<void> {
    try {
      await assertion();
    } catch (error) {
      failed = true;
      const shot = join(shots.path, `temporal-ui-${name}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
      (error as Error).message += ` (screenshot: ${shot})`;
      throw error;
    }
  }

  it('filters by CustomerId and shows the playbook and current step', async () => {
    // Outside the global control group, which would enter neither of them.
    const entering = (prefix: string) =>
      customerInArm(uniqueId(prefix), 'treatment', { epoch: 1, ...holdout }, 'cart-abandonment', 0);
    const customer = entering('ui-ada');
    const other = entering('ui-bob');
    for (const id of [customer, other]) {
      await upsertProfile(connected.collections.profiles, id, { email: `${id}@example.test` }, new Date());
      await connected.journeys.publishEvent(cartUpdated(id));
    }
    await listedOnWait(customer);
    await listedOnWait(other);
    const workflowId = journeyId('cart-abandonment', customer);

    const query = encodeURIComponent(`CustomerId = "${customer}"`);
    await page.goto(`${stack.temporalUiUrl}/namespaces/default/workflows?query=${query}`);
    // UI 2.42: each listed run's workflow ID is a link to the run.
    const row = page.getByRole('link', { name: workflowId, exact: true });
    await check('list', async () => {
      await row.waitFor();
      const otherRow = page.getByRole('link', { name: journeyId('cart-abandonment', other), exact: true });
      assert.equal(await otherRow.count(), 0, 'the filter leaves out the other customer');
    });

    await check('user-metadata', async () => {
      await row.click();
      await page.getByRole('tab', { name: 'User Metadata' }).click();
      // The summary and current details the workflow sets: playbook, version and the step it is on.
      // The UI renders them as markdown inside sandboxed iframes, so every frame's text is read.
      await textAppears(new RegExp(`Cart abandonment for ${customer}`));
      await textAppears(
        new RegExp(`cart-abandonment\\s+v${playbookVersion} · sleeping wait until \\S+ · arm treatment`),
      );
    });

    await check('search-attributes', async () => {
      await page.getByRole('tab', { name: 'Search Attributes' }).click();
      await textAppears(new RegExp(`"CustomerId": "${customer}"`));
      await textAppears(/"PlaybookId": "cart-abandonment"/);
      await textAppears(new RegExp(`"PlaybookVersion": "v${playbookVersion}@[0-9a-f]{12}"`));
      await textAppears(/"Step": "wait"/);
    });
  });

  it('shows a customer ID written as Markdown as the text it is, not as a link', async () => {
    // What an attacker who can choose a customer ID (a sign-up form, say) would put in front of Ops.
    const lure = '[Click to verify](https://evil.example/login) **urgent**';
    const customer = customerInArm(
      `${lure} ${uniqueId('ui-eve')}`,
      'treatment',
      { epoch: 1, ...holdout },
      'cart-abandonment',
      0,
    );
    await upsertProfile(connected.collections.profiles, customer, { email: 'eve@example.test' }, new Date());
    await connected.journeys.publishEvent(cartUpdated(customer));
    await listedOnWait(customer);
    const workflowId = journeyId('cart-abandonment', customer);

    const query = encodeURIComponent(`CustomerId = "${customer}"`);
    await page.goto(`${stack.temporalUiUrl}/namespaces/default/workflows?query=${query}`);
    await check('markdown-list', async () => {
      await page.getByRole('link', { name: workflowId, exact: true }).click();
    });
    await check('markdown-metadata', async () => {
      await page.getByRole('tab', { name: 'User Metadata' }).click();
      await textAppears(new RegExp(escapeRegExp(`Cart abandonment for ${customer}`)));
      await textAppears(/cart-abandonment\s+v\d+ · sleeping wait until \S+ · arm treatment/);
      for (const frame of page.frames()) {
        // The UI's own links carry the workflow ID URL-encoded in their path; a rendered link starts so.
        const links = await frame.locator('a[href^="https://evil.example"]').count();
        assert.equal(links, 0, `a link to evil.example in ${frame.url().slice(0, 80)}`);
        assert.equal(await frame.locator('strong', { hasText: 'urgent' }).count(), 0, 'urgent in bold');
      }
    });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
