/**
 * `npm run demo`: starts the dev stack and a worker, publishes every shipped playbook (waits
 * shortened), drives sample customers through the cart abandonment journey, then a tour of the
 * other playbooks cast from `journeys demo generate`'s synthetic store (tools/scripts/demoScenes.ts),
 * and prints what was sent, suppressed and exited. `--keep` leaves the stack and worker running
 * afterwards so the runs can be browsed in the Temporal UI.
 */
import { randomUUID } from 'node:crypto';
import { connectJourneyClient } from '../../router/connect';
import { loadConfig } from '../../schemas/env';
import { UnsubscribeTokens } from '../../activities/unsubscribe/unsubscribeToken';
import { portOrFree } from '../devstack/net';
import { IngestServer } from '../../router/http/httpServer';
import { DEFAULT_DATA_DIR } from '../devstack/paths';
import {
  customerInArm,
  customerInArms,
  customerInGlobalControl,
  daytimeZone,
} from '../devstack/sampleCustomers';
import { generateDemoStore } from '../demo/generate';
import { demoOffers } from '../demo/offers';
import { upsertOffers } from '../../store/offers';
import { collections } from '../../store/collections';
import { DEFAULT_PORTS, startStack } from '../devstack/stack';
import { withWaits } from '../devstack/fastPlaybooks';
import { writeShortWindowPolicy } from '../devstack/shortWindowPolicy';
import { playbookBucket, type Arm } from '../../engine/measurement/holdout';
import { journeyId } from '../../engine/interpreter/entry';
import type { Profile } from '../../engine/profile/profile';
import { InvalidEventError } from '../../schemas/events/parse';
import type { CartItem, CartUpdated, JourneyEventInput } from '../../schemas/events/schema';
import { MongoClient } from 'mongodb';
import { loadPlaybooks } from '../../schemas/playbook/load';
import type { Playbook } from '../../schemas/playbook/schema';
import {
  activate,
  ensurePlaybookIndexes,
  playbookCollections,
  PlaybookVersionConflictError,
  publishVersion,
  type PlaybookCollections,
  type Published,
} from '../../store/playbookVersions';
import type { JourneyResult } from '../../workflows/journey';
import { upsertProfile } from '../../store/profiles';
import { currentScheme } from '../../store/holdouts';
import { customerHistory } from '../../store/customerHistory';
import { explainHeader, formatTimeline } from '../../cli/explainFormat';
import { explainTimeline } from '../../cli/explainTimeline';
import { startWorkerProcess } from '../devstack/workerProcess';
import { DemoCast } from './demoCast';
import { awaitScenes, formatScenes, runsByPlaybook, timerLines } from './demoReport';
import { playScenes } from './demoScenes';

const DEMO_WAIT = '5s';
const DEMO_ARBITRATION_WINDOW = '2s';
const DEMO_SALT = 'demo-salt';
/** The generated store the tour casts from: small, and the same every run (`journeys demo generate --seed 42`). */
const STORE = { customers: 200, days: 90, seed: 42 };
const DAY_MS = 86_400_000;
/** How long the tour waits for its messages; the slowest (computed timers, 5s waits) come well within it. */
const TOUR_TIMEOUT_MS = 45_000;
const MIN_PLAYBOOKS = 8;
const keep = process.argv.includes('--keep');
const runTag = new Date().toISOString().slice(11, 19).replace(/:/g, '');

const log = (text = '') => console.log(text);

type ProfileFields = Omit<Profile, 'customerId'>;

function cart(customerId: string, items: CartItem[]): CartUpdated {
  return {
    type: 'cart.updated',
    eventId: `evt-${customerId}-cart-1`,
    customerId,
    occurredAt: new Date().toISOString(),
    data: {
      cartId: `cart-${customerId}`,
      currency: 'EUR',
      items,
      cartUrl: `https://shop.example/cart/${customerId}`,
    },
  };
}

/**
 * Publishes the demo's copy of a playbook (its waits shortened) under the first version label that
 * is free or already holds this very copy: a label names one content, and a store where the real
 * playbook was published keeps its own. The same copy lands on the same label run after run.
 */
async function publishDemoCopy(versions: PlaybookCollections, copy: Playbook): Promise<Published> {
  for (let version = copy.version; ; version++) {
    try {
      return await publishVersion(versions, { ...copy, version }, new Date(), 'demo');
    } catch (error) {
      if (!(error instanceof PlaybookVersionConflictError)) throw error;
    }
  }
}

async function main(): Promise<void> {
  log(`Starting the dev stack (data in ${DEFAULT_DATA_DIR})…`);
  const mongodbUri = process.env.MONGODB_URI || undefined;
  const stack = await startStack({
    dataDir: DEFAULT_DATA_DIR,
    ports: DEFAULT_PORTS,
    ...(mongodbUri ? { mongodbUri } : {}),
  });
  // The emails' unsubscribe links point at the ingest server on INGEST_PORT (UNSUBSCRIBE_BASE_URL's
  // default), which the demo runs below, as `journeys ingest serve` would.
  const env = {
    ...stack.env,
    HOLDOUT_SALT: DEMO_SALT,
    INGEST_PORT: String(await portOrFree(8080)),
    POLICY_FILE: writeShortWindowPolicy(DEFAULT_DATA_DIR, DEMO_ARBITRATION_WINDOW),
  };
  const config = loadConfig(env);
  const shipped = loadPlaybooks(config.playbooksDir);
  const playbook = shipped.find((p) => p.id === 'cart-abandonment');
  if (!playbook) throw new Error(`cart-abandonment is missing from ${config.playbooksDir}`);
  const offersPlaybook = shipped.find((p) => p.id === 'post-purchase-offers');
  if (!offersPlaybook) throw new Error(`post-purchase-offers is missing from ${config.playbooksDir}`);
  const waitStep = playbook.steps.find((step) => step.type === 'wait');
  log(`  Temporal ${stack.temporalAddress} (UI ${stack.temporalUiUrl}), MongoDB ${stack.mongodbUri}`);
  log(`  SMTP ${stack.smtp.url}, Twilio API ${stack.twilio.baseUrl}`);
  log('Starting the worker…');
  const worker = await startWorkerProcess(env);
  // Publish and activate the demo's copy (its waits shortened) as a CRM team would a playbook;
  // the client then routes with the active version stored in MongoDB.
  const store = await MongoClient.connect(config.mongo.uri);
  const versions = playbookCollections(store.db(config.mongo.db));
  await ensurePlaybookIndexes(store.db(config.mongo.db));
  log(
    `  every wait step shortened to ${DEMO_WAIT} and every waitForEvent timeout too; waitUntil (local daytime) and waitUntilDate keep their real rule`,
  );
  for (const definition of shipped) {
    const published = await publishDemoCopy(versions, withWaits(definition, DEMO_WAIT));
    await activate(versions, definition.id, new Date(), { hashPrefix: published.hash });
    log(`  published and activated ${definition.id} v${published.version} ${published.hash.slice(0, 12)}`);
  }
  // The synthetic store `journeys demo generate` writes: its customers and catalog cast the tour.
  // Its offers are centred on its window's middle; the tour runs today, so they are centred on now.
  const now = Date.now();
  const demoStore = generateDemoStore({ ...STORE, start: now - STORE.days * DAY_MS });
  const catalog = demoOffers(STORE.seed, now - DAY_MS, now + DAY_MS);
  const offers = collections(store.db(config.mongo.db)).offers;
  // The demo's catalog replaces the one an earlier run left in .data/ (the generator's offer-ID
  // families): a re-import that changes every offer is a replace, and one scan, per offer on
  // FerretDB's SQLite backend, which took minutes; a delete and one insertMany take a second.
  await offers.deleteMany({ offerId: { $regex: '^(own|partner|retention)-' } });
  const imported = await upsertOffers(offers, catalog);
  await store.close();
  log(
    `  generated store (seed ${STORE.seed}): ${STORE.customers} customers, ${demoStore.catalog.products.length} products; offer catalog: ${catalog.length} offers (${imported.inserted} new, ${imported.updated} changed, ${imported.unchanged} unchanged)`,
  );
  const connected = await connectJourneyClient(config);
  let ingest: IngestServer | undefined;
  let failed = false;
  try {
    ingest = await IngestServer.start({
      publisher: connected.journeys,
      tokens: [randomUUID()],
      port: config.ingest.port,
      ...(config.unsubscribe && {
        unsubscribe: {
          verifier: new UnsubscribeTokens(config.unsubscribe.secrets),
          consents: connected.journeys,
        },
      }),
    });
    // The scheme the client assigns with: epoch 1 from DEMO_SALT, or a later one if it was reshuffled.
    const scheme = await currentScheme(connected.collections.holdoutSchemes, config.holdout);
    const holdoutOf = (id: string) => shipped.find((p) => p.id === id)?.holdout ?? 0;
    const people: Record<string, { id: string; profile: ProfileFields }> = {};
    const add = (name: string, arm: Arm, profile: ProfileFields) =>
      (people[name] = {
        id: customerInArm(`demo-${runTag}-${name}`, arm, scheme, playbook.id, playbook.holdout),
        profile,
      });
    add('ada', 'treatment', { firstName: 'Ada', email: 'ada@example.test' });
    // Bob's order enters the post-purchase offer journey too: he is in its treatment arm as well.
    people.bob = {
      id: customerInArms(`demo-${runTag}-bob`, scheme, [
        { playbookId: playbook.id, holdout: playbook.holdout, arm: 'treatment' },
        { playbookId: offersPlaybook.id, holdout: offersPlaybook.holdout, arm: 'treatment' },
        // His order is his first: held out of category-bridge, so the one email a day is the offer.
        { playbookId: 'category-bridge', holdout: holdoutOf('category-bridge'), arm: 'control' },
      ]),
      profile: { firstName: 'Bob', email: 'bob@example.test', loyaltyTier: 'silver' },
    };
    // Gil is in the global control group: his cart enters no playbook at all.
    const gil = customerInGlobalControl(`demo-${runTag}-gil`, scheme);
    await upsertProfile(
      connected.collections.profiles,
      gil,
      { firstName: 'Gil', email: 'gil@example.test' },
      new Date(),
    );
    add('carol', 'control', { firstName: 'Carol', email: 'carol@example.test' });
    // Dan gets SMS: his timezone is one where it is daytime now, so SMS quiet hours do not hold it back.
    add('dan', 'treatment', { firstName: 'Dan', phone: '+15551230004', timezone: daytimeZone() });
    add('erin', 'treatment', { firstName: 'Erin', email: 'erin@example.test' });
    for (const { id, profile } of Object.values(people)) {
      await upsertProfile(connected.collections.profiles, id, profile, new Date());
    }

    log(
      `\nPlaybook "${playbook.name}" v${playbook.version}: wait ${waitStep?.type === 'wait' ? waitStep.duration : '?'} (shortened to ${DEMO_WAIT} for the demo), holdout ${playbook.holdout * 100}%`,
    );
    const carol = people.carol!.id;
    log(
      `Holdout (scheme epoch ${scheme.epoch}, global control ${scheme.globalControlPercent}%): ${carol} is in the ` +
        `control arm (bucket ${playbookBucket(carol, playbook.id, scheme.salt)} < ${Math.round(playbook.holdout * 10_000)})`,
    );
    log('\nPublishing events…');
    const tee = { sku: 'TEE-01', name: 'Organic cotton tee', quantity: 2, price: 19.5 };
    const cap = { sku: 'CAP-07', name: 'Canvas cap', quantity: 1, price: 24 };
    const boots = { sku: 'BOOT-3', name: 'Waxed leather boots', quantity: 1, price: 149 };
    const publish = async (label: string, event: JourneyEventInput) => {
      try {
        const r = await connected.journeys.publishEvent(event);
        log(`  ${label}: ${r.status}${r.deliveredTo.length ? ` → ${r.deliveredTo.join(', ')}` : ''}`);
      } catch (error) {
        if (!(error instanceof InvalidEventError)) throw error;
        log(`  ${label}: rejected — ${error.message}`);
      }
    };
    const erinCart = cart(people.erin!.id, [boots]);
    await publish('ada   cart.updated', cart(people.ada!.id, [tee, cap]));
    await publish('bob   cart.updated', cart(people.bob.id, [boots]));
    await publish('carol cart.updated', cart(carol, [tee]));
    await publish('dan   cart.updated', cart(people.dan!.id, [cap]));
    await publish('erin  cart.updated', erinCart);
    await publish('erin  cart.updated (same eventId again)', erinCart);
    await publish('bob   order.placed', {
      type: 'order.placed',
      eventId: `evt-${people.bob.id}-order-1`,
      customerId: people.bob.id,
      occurredAt: new Date().toISOString(),
      data: {
        orderId: `order-${people.bob.id}`,
        items: [
          { sku: 'RUN-9', name: 'Trail running shoes', category: 'running-shoes', price: 129, quantity: 1 },
          { sku: 'SOCK-2', name: 'Merino running socks', category: 'running-socks', price: 14, quantity: 1 },
        ],
        total: 143,
        currency: 'EUR',
        salesChannel: 'online',
      },
    });
    await publish('gil   cart.updated (global control)', cart(gil, [tee]));
    const { customerId: _dropped, ...invalid } = cart(`demo-${runTag}-nobody`, [tee]);
    await publish('bad   cart.updated without customerId', invalid as never);

    log(`\nPlaybook tour: one generated customer (store seed ${STORE.seed}) per playbook, events timed now…`);
    const cast = new DemoCast(demoStore, scheme, runTag, holdoutOf);
    const { scenes, arbitration } = await playScenes({
      store: demoStore,
      cast,
      collections: connected.collections,
      publish,
    });

    log(`\nWaiting for the journeys (${DEMO_WAIT} after each cart update)…`);
    const outcomes: [string, JourneyResult][] = [];
    for (const [name, { id }] of Object.entries(people)) {
      const handle = connected.temporal.workflow.getHandle(journeyId(playbook.id, id));
      outcomes.push([name, (await handle.result()) as JourneyResult]);
    }

    const bob = people.bob.id;
    const bobOffer = (await connected.temporal.workflow
      .getHandle(journeyId(offersPlaybook.id, bob))
      .result()) as JourneyResult;
    outcomes.push(['bob+', bobOffer]);
    const gilEntries = await connected.collections.entries.countDocuments({ customerId: gil });
    log(`\nGil (global control, ${gil}): ${gilEntries} entries, no journey started`);

    const grant = await connected.collections.offerGrants.findOne({ customerId: bob });
    if (grant) {
      const { decision } = grant;
      log(
        `\nOffer chosen for Bob's order (${decision.contextKey}): ${decision.offerId} "${decision.title}" (${decision.kind}${decision.brand ? `, ${decision.brand}` : ''})`,
      );
      log(
        `  ${decision.scores.eligible} eligible of ${decision.scores.considered} considered; turned down: ${Object.entries(
          decision.rejected,
        )
          .map(([rule, count]) => `${rule} ${count}`)
          .join(', ')}`,
      );
      for (const reason of decision.reasons) log(`  - ${reason}`);
      // Bob clicks the offer in his email: the model learns it, once per message.
      await publish('bob   message.engaged (clicked the offer)', {
        type: 'message.engaged',
        eventId: `evt-${bob}-click-1`,
        customerId: bob,
        occurredAt: new Date().toISOString(),
        data: { messageId: `msg-${bob}-thanks`, kind: 'clicked', offerId: decision.offerId },
      });
      const learned = await connected.collections.offerOutcomes.find({ offerId: decision.offerId }).toArray();
      log(`  evidence for ${decision.offerId}: ${learned.map((o) => o.type).join(', ')}`);
    }

    log('\nJourney outcomes:');
    for (const [name, { outcome, decisions }] of outcomes) {
      const steps = decisions
        .filter((d) => d.action !== 'enter' && d.action !== 'exit')
        .map(
          (d) =>
            `${d.action}${d.channel ? ` by ${d.channel}` : ''}${d.reason && d.action !== 'holdout' ? ` (${d.reason})` : ''}`,
        );
      const end = outcome.status === 'exited' ? `exited (${outcome.reason})` : 'completed';
      log(`  ${name.padEnd(6)} ${[...steps, end].join(', ')}`);
    }

    const ids = Object.values(people).map((p) => p.id);
    const emails = stack.smtp.messages.filter(
      (m) => m.idempotencyKey && ids.some((id) => m.idempotencyKey!.includes(id)),
    );
    log(`\nEmails captured by the SMTP server (${emails.length}):`);
    for (const mail of emails) {
      log(`  to ${mail.to.join(', ')}: "${mail.subject}"\n${mail.text.replace(/^/gm, '      ')}`);
      log(`      List-Unsubscribe: ${mail.listUnsubscribe ?? '(none)'}`);
    }
    // By message ID: Dan's number is the same every run, and a run cut short finishes in the next.
    const danSent = await connected.collections.deliveries
      .find({ customerId: people.dan!.id, status: 'sent' })
      .toArray();
    const sms = stack.twilio.messages.filter((m) => danSent.some((r) => r.providerMessageId === m.sid));
    log(`SMS accepted by the Twilio-API endpoint (${sms.length}):`);
    for (const m of sms) log(`  to ${m.to} (${m.sid}): "${m.body}"`);

    // Ada unsubscribes from her mail client: its one-click POST (RFC 8058) to the link in the header.
    const ada = people.ada!.id;
    const link = /^<(.+)>$/.exec(
      emails.find((m) => m.idempotencyKey?.includes(ada))?.listUnsubscribe ?? '',
    )?.[1];
    let unsubscribed = false;
    if (link !== undefined) {
      const response = await fetch(link, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      const consent = (await connected.collections.profiles.findOne({ _id: ada }))?.consents?.email
        ?.marketing;
      unsubscribed = response.ok && consent === false;
      log(
        `\nAda clicks Unsubscribe: POST → ${response.status}; her profile's consents.email.marketing is now ${consent}`,
      );
    }

    const records = await connected.collections.deliveries.find({ customerId: { $in: ids } }).toArray();
    log(`\nDelivery records in MongoDB (${records.length}):`);
    for (const r of records) {
      log(
        `  ${r.status.padEnd(10)} ${r.channel ?? '-'} ${r.arm.padEnd(9)} ${r.reason ?? ''} key=${r.idempotencyKey}`,
      );
    }

    log(`\nWaiting for the tour's messages (up to ${TOUR_TIMEOUT_MS / 1000}s)…`);
    const tourRecords = await awaitScenes(
      connected.collections.deliveries,
      [...scenes, arbitration],
      TOUR_TIMEOUT_MS,
    );
    log(`Playbook tour (each wait ${DEMO_WAIT} instead of hours or days):`);
    for (const line of formatScenes([...scenes, arbitration], tourRecords, stack.twilio.messages)) log(line);
    for (const line of await timerLines(connected.temporal, scenes)) log(line);

    // What `npx journeys explain <customerId>` prints: why Bob got what he got (his cart
    // run ended with his order, which entered the offer journey).
    const shippedIds = shipped.map((definition) => definition.id);
    const history = await customerHistory(connected.collections, shippedIds, bob, 50);
    const timeline = explainTimeline(history);
    log(`\n$ npx journeys explain ${bob}`);
    log(`  ${explainHeader(bob, history.totals, timeline.length)}`);
    for (const line of formatTimeline(timeline)) log(`  ${line}`);

    const exited = outcomes.filter(
      ([, r]) => r.outcome.status === 'exited' && r.outcome.reason === 'goal:order.placed',
    ).length;
    const holdouts = records.filter((r) => r.status === 'suppressed' && r.reason === 'holdout').length;
    // Everything this run sent, to the sample customers and the tour's cast alike.
    const runIds = [...ids, ...cast.members.map((m) => m.customerId)];
    const sentRecords = await connected.collections.deliveries
      .find({ customerId: { $in: runIds }, status: 'sent' })
      .toArray();
    const sentPlaybooks = [...new Set(sentRecords.map((r) => r.playbookId))].sort();
    const allEmails = stack.smtp.messages.filter((m) => m.idempotencyKey?.includes(`demo-${runTag}-`));
    const smsIds = new Set(sentRecords.filter((r) => r.channel === 'sms').map((r) => r.providerMessageId));
    const allSms = stack.twilio.messages.filter((m) => smsIds.has(m.sid));
    const prefix = `demo-${runTag}`;
    const listed = await runsByPlaybook(connected.temporal, sentPlaybooks, prefix);
    log("\nRuns the Temporal UI lists per PlaybookId (this run's customers):");
    for (const [id, count] of listed) log(`  ${id.padEnd(22)} ${count} run(s)`);
    const byPlaybook = encodeURIComponent(`PlaybookId = "${sentPlaybooks[0] ?? 'cart-abandonment'}"`);
    log(`  e.g. ${stack.temporalUiUrl}/namespaces/default/workflows?query=${byPlaybook}`);
    log(
      `\nSummary: ${allEmails.length} email(s) sent, ${allSms.length} SMS sent, ${sentPlaybooks.length} playbooks sent messages (${sentPlaybooks.join(', ')}); ` +
        `sample customers: ${exited} journey(s) exited by order.placed, ${holdouts} holdout suppression(s). Waits were shortened for the demo.`,
    );
    const query = encodeURIComponent(`CustomerId STARTS_WITH "${prefix}"`);
    log(`Temporal UI: ${stack.temporalUiUrl}/namespaces/default/workflows?query=${query}`);
    if (!keep)
      log('  (the stack stops when the demo ends: `npm run demo -- --keep` keeps it up to browse the runs)');
    const offered = bobOffer.decisions.some((d) => d.action === 'send' && d.offerId !== undefined);
    const unlisted = sentPlaybooks.filter((id) => (listed.get(id) ?? 0) < 1);
    failed =
      emails.length < 1 ||
      exited < 1 ||
      holdouts < 1 ||
      !unsubscribed ||
      !offered ||
      gilEntries > 0 ||
      sentPlaybooks.length < MIN_PLAYBOOKS ||
      unlisted.length > 0;
    if (failed) {
      log(
        `DEMO FAILED: expected at least one email, one order exit, one holdout suppression, a working unsubscribe link, an offer mailed to Bob, no entry for Gil, messages from at least ${MIN_PLAYBOOKS} playbooks (got ${sentPlaybooks.length}) and each listed in Temporal by PlaybookId${unlisted.length ? ` (not listed: ${unlisted.join(', ')})` : ''}.`,
      );
    }

    if (keep) {
      log('\n--keep: the stack and worker keep running; Ctrl-C stops them.');
      await new Promise<void>((resolveSignal) => {
        process.once('SIGINT', resolveSignal);
        process.once('SIGTERM', resolveSignal);
      });
    }
  } finally {
    await ingest?.stop();
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
