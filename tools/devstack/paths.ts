import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where tools/devstack/setup.sh puts the servers it builds; outside git, shared by every checkout. */
export const CACHE_DIR = process.env.JOURNEYS_CACHE_DIR ?? join(homedir(), '.cache', 'journeys');

export const BINARIES = {
  temporal: join(CACHE_DIR, 'bin', 'temporal'),
  ferretdb: join(CACHE_DIR, 'bin', 'ferretdb'),
  temporalTestServer: join(CACHE_DIR, 'bin', 'temporal-test-server'),
};

/** The persistent data of the demo stack (Temporal's database file, FerretDB's files, mail). */
export const DEFAULT_DATA_DIR = process.env.JOURNEYS_DATA_DIR ?? resolve(__dirname, '..', '..', '.data');
