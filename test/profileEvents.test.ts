import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient, type Collection } from 'mongodb';
import { startFerretDb, type FerretDb } from '../tools/devstack/ferretdb';
import { freePort } from '../tools/devstack/net';
import type { JourneyEvent } from '../schemas/events/schema';
import { collections, type ProfileRecord } from '../store/collections';
import { applyProfileEvent, findProfile } from '../store/profiles';
import { uniqueId } from './support/events';
import { tempDir } from './support/servers';

/* Profile events applied out of order, on the real MongoDB-wire server (FerretDB, or MONGODB_URI). */
describe('profile events out of order', () => {
  const dir = tempDir('journeys-profile-events');
  let ferret: FerretDb | undefined;
  let mongo: MongoClient;
  let profiles: Collection<ProfileRecord>;
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 8, minute)).toISOString();
  const upserted = (customerId: string, minute: number, data: Record<string, unknown>): JourneyEvent => ({
    type: 'customer.upserted',
    eventId: uniqueId('e'),
    customerId,
    occurredAt: at(minute),
    data,
  });
  const consent = (customerId: string, minute: number, granted: boolean): JourneyEvent => ({
    type: 'consent.updated',
    eventId: uniqueId('e'),
    customerId,
    occurredAt: at(minute),
    data: { channel: 'email', purpose: 'marketing', granted },
  });
  const apply = (event: JourneyEvent) => applyProfileEvent(profiles, event, new Date());

  before(async () => {
    const uri =
      process.env.MONGODB_URI ||
      (ferret = await startFerretDb({ dataDir: dir.path, port: await freePort() })).uri;
    mongo = await MongoClient.connect(uri);
    profiles = collections(mongo.db(`test_profile_events_${Date.now()}`)).profiles;
  });
  after(async () => {
    await mongo?.close();
    await ferret?.stop();
    dir.remove();
  });

  it('a late opt-out is kept, though a newer profile update came first', async () => {
    const id = uniqueId('late-opt-out');
    await apply(upserted(id, 10, { email: 'new@example.test' }));
    await apply(consent(id, 5, false));
    const profile = await findProfile(profiles, id);
    assert.equal(profile.consents?.email?.marketing, false);
    assert.equal(profile.email, 'new@example.test');
  });

  it('a consent change older than the latest one for that consent is skipped', async () => {
    const id = uniqueId('stale-consent');
    await apply(consent(id, 20, false));
    await apply(consent(id, 15, true));
    assert.equal((await findProfile(profiles, id)).consents?.email?.marketing, false);
    await apply(upserted(id, 25, { consents: { email: { marketing: true } } }));
    assert.equal((await findProfile(profiles, id)).consents?.email?.marketing, true, 'a newer upsert wins');
  });

  it('other fields keep newest-wins: an older upsert does not overwrite a newer one', async () => {
    const id = uniqueId('fields');
    await apply(upserted(id, 30, { firstName: 'Ada' }));
    await apply(upserted(id, 29, { firstName: 'Old' }));
    const profile = await findProfile(profiles, id);
    assert.equal(profile.firstName, 'Ada');
    assert.equal('consentsAt' in profile, false, 'bookkeeping stays out of the profile');
  });
});
