/**
 * `npm run demo`: starts the dev stack and a worker, drives sample customers through the cart
 * abandonment journey, and prints what was sent, suppressed and exited. `--keep` leaves the stack
 * and worker running afterwards so the runs can be browsed in the Temporal UI.
 */
import { connectJourneyClient } from '../client/connect';
import { loadConfig } from '../config/env';
import { DEFAULT_DATA_DIR } from '../devstack/paths';
import { customerInArm } from '../devstack/sampleCustomers';
import { DEFAULT_PORTS, startStack } from '../devstack/stack';
import type { JourneyOutcome } from '../engine/cartJourney';
import { holdoutBucket, type Arm } from '../engine/holdout';
import { journeyWorkflowId } from '../engine/ids';
import { InvalidEventError } from '../events/parse';
import type { CartUpdated } from '../events/schema';
import { loadCartAbandonmentPlaybook } from '../playbooks/cartAbandonment';
import { upsertProfile, type ProfileFields } from '../store/profiles';
import { startWorkerProcess } from '../devstack/workerProcess';

const DEMO_WAIT = '5s';
const DEMO_SALT = 'demo-salt';
const keep = process.argv.includes('--keep');
const runTag = new Date().toISOString().slice(11, 19).replace(/:/g, '');

const log = (text = '') => console.log(text);

function cart(customerId: string, items: CartUpdated['items']): CartUpdated {
  return {
    type: 'cart.updated',
    eventId: `evt-${customerId}-cart-1`,
    customerId,
    occurredAt: new Date().toISOString(),
    cartId: `cart-${customerId}`,
    currency: 'EUR',
    items,
    cartUrl: `https://shop.example/cart/${customerId}`,
  };
}

async function main(): Promise<void> {
  const playbook = loadCartAbandonmentPlaybook();
  log(`Starting the dev stack (data in ${DEFAULT_DATA_DIR})…`);
  const mongodbUri = process.env.MONGODB_URI || undefined;
  const stack = await startStack({
    dataDir: DEFAULT_DATA_DIR,
    ports: DEFAULT_PORTS,
    ...(mongodbUri ? { mongodbUri } : {}),
  });
  const env = { ...stack.env, HOLDOUT_SALT: DEMO_SALT, CART_ABANDONMENT_WAIT: DEMO_WAIT };
  log(`  Temporal ${stack.temporalAddress} (UI ${stack.temporalUiUrl}), MongoDB ${stack.mongodbUri}`);
  log(`  SMTP ${stack.smtp.url}, Twilio API ${stack.twilio.baseUrl}`);
  log('Starting the worker…');
  const worker = await startWorkerProcess(env);
  const connected = await connectJourneyClient(loadConfig(env));
  let failed = false;
  try {
    const people: Record<string, { id: string; profile: ProfileFields }> = {};
    const add = (name: string, arm: Arm, profile: ProfileFields) =>
      (people[name] = {
        id: customerInArm(`demo-${runTag}-${name}`, arm, DEMO_SALT, playbook.holdoutPercent),
        profile,
      });
    add('ada', 'treatment', { firstName: 'Ada', email: 'ada@example.test' });
    add('bob', 'treatment', { firstName: 'Bob', email: 'bob@example.test' });
    add('carol', 'control', { firstName: 'Carol', email: 'carol@example.test' });
    add('dan', 'treatment', { firstName: 'Dan', phone: '+15551230004' });
    add('erin', 'treatment', { firstName: 'Erin', email: 'erin@example.test' });
    for (const { id, profile } of Object.values(people)) {
      await upsertProfile(connected.collections.profiles, id, profile, new Date());
    }

    log(
      `\nPlaybook "${playbook.name}" v${playbook.version}: wait ${playbook.wait} (shortened to ${DEMO_WAIT} for the demo), holdout ${playbook.holdoutPercent}%`,
    );
    const carol = people.carol!.id;
    log(
      `Holdout: ${carol} is in the control arm (bucket ${holdoutBucket(carol, DEMO_SALT)} < ${playbook.holdoutPercent * 100})`,
    );
    log('\nPublishing events…');
    const tee = { sku: 'TEE-01', name: 'Organic cotton tee', quantity: 2, unitPrice: 19.5 };
    const cap = { sku: 'CAP-07', name: 'Canvas cap', quantity: 1, unitPrice: 24 };
    const boots = { sku: 'BOOT-3', name: 'Waxed leather boots', quantity: 1, unitPrice: 149 };
    const publish = async (label: string, event: Parameters<typeof connected.journeys.publish>[0]) => {
      try {
        const r = await connected.journeys.publish(event);
        log(`  ${label}: ${r.status}${r.deliveredTo.length ? ` → ${r.deliveredTo.join(', ')}` : ''}`);
      } catch (error) {
        if (!(error instanceof InvalidEventError)) throw error;
        log(`  ${label}: rejected — ${error.message}`);
      }
    };
    const erinCart = cart(people.erin!.id, [boots]);
    await publish('ada   cart.updated', cart(people.ada!.id, [tee, cap]));
    await publish('bob   cart.updated', cart(people.bob!.id, [boots]));
    await publish('carol cart.updated', cart(carol, [tee]));
    await publish('dan   cart.updated', cart(people.dan!.id, [cap]));
    await publish('erin  cart.updated', erinCart);
    await publish('erin  cart.updated (same eventId again)', erinCart);
    await publish('bob   order.placed', {
      type: 'order.placed',
      eventId: `evt-${people.bob!.id}-order-1`,
      customerId: people.bob!.id,
      occurredAt: new Date().toISOString(),
      orderId: `order-${people.bob!.id}`,
      currency: 'EUR',
      total: 149,
    });
    const { customerId: _dropped, ...invalid } = cart(`demo-${runTag}-nobody`, [tee]);
    await publish('bad   cart.updated without customerId', invalid as never);

    log(`\nWaiting for the journeys (${DEMO_WAIT} after each cart update)…`);
    const outcomes: [string, JourneyOutcome][] = [];
    for (const [name, { id }] of Object.entries(people)) {
      const handle = connected.temporal.workflow.getHandle(journeyWorkflowId(playbook.id, id));
      outcomes.push([name, (await handle.result()) as JourneyOutcome]);
    }

    log('\nJourney outcomes:');
    for (const [name, outcome] of outcomes) {
      const detail =
        outcome.kind === 'exited'
          ? `exited by ${outcome.reason}`
          : outcome.kind === 'delivered'
            ? `reminder delivered by ${outcome.channel}`
            : outcome.kind === 'suppressed'
              ? `suppressed (${outcome.reason})`
              : 'no trigger';
      log(`  ${name.padEnd(6)} ${detail}`);
    }

    const ids = Object.values(people).map((p) => p.id);
    const emails = stack.smtp.messages.filter(
      (m) => m.idempotencyKey && ids.some((id) => m.idempotencyKey!.includes(id)),
    );
    log(`\nEmails captured by the SMTP server (${emails.length}):`);
    for (const mail of emails)
      log(`  to ${mail.to.join(', ')}: "${mail.subject}"\n${mail.text.replace(/^/gm, '      ')}`);
    const sms = stack.twilio.messages.filter((m) => m.to === people.dan!.profile.phone);
    log(`SMS accepted by the Twilio-API endpoint (${sms.length}):`);
    for (const m of sms) log(`  to ${m.to} (${m.sid}): "${m.body}"`);

    const records = await connected.collections.deliveries.find({ customerId: { $in: ids } }).toArray();
    log(`\nDelivery records in MongoDB (${records.length}):`);
    for (const r of records) {
      log(
        `  ${r.status.padEnd(10)} ${r.channel ?? '-'} ${r.arm.padEnd(9)} ${r.reason ?? ''} key=${r.idempotencyKey}`,
      );
    }

    const exited = outcomes.filter(([, o]) => o.kind === 'exited' && o.reason === 'order.placed').length;
    const holdouts = records.filter((r) => r.status === 'suppressed' && r.reason === 'holdout').length;
    log(
      `\nSummary: ${emails.length} email(s) sent, ${sms.length} SMS sent, ${exited} journey(s) exited by order.placed, ${holdouts} holdout suppression(s).`,
    );
    const query = encodeURIComponent(`CustomerId STARTS_WITH "demo-${runTag}"`);
    log(`Temporal UI: ${stack.temporalUiUrl}/namespaces/default/workflows?query=${query}`);
    if (!keep)
      log('  (the stack stops when the demo ends: `npm run demo -- --keep` keeps it up to browse the runs)');
    failed = emails.length < 1 || exited < 1 || holdouts < 1;
    if (failed) log('DEMO FAILED: expected at least one email, one order exit and one holdout suppression.');

    if (keep) {
      log('\n--keep: the stack and worker keep running; Ctrl-C stops them.');
      await new Promise<void>((resolveSignal) => {
        process.once('SIGINT', resolveSignal);
        process.once('SIGTERM', resolveSignal);
      });
    }
  } finally {
    await connected.close();
    const code = await worker.stop();
    log(`Worker stopped (exit code ${code}); stopping the stack…`);
    await stack.stop();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error('demo failed:', error);
  process.exit(1);
});
