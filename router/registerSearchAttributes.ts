import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/searchAttributes';

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
const GRPC_UNIMPLEMENTED = 12;

/**
 * Registers the journeys' custom search attributes on a namespace, through the operator API. The
 * dev server gets them from its command line; the time-skipping test server and a self-hosted
 * cluster get them here. Idempotent: attributes that already exist are skipped.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const missing = await missingAttributes(connection, namespace);
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
  });
}

async function missingAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const names = ALL_SEARCH_ATTRIBUTES.map((key) => key.name);
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    return names.filter((name) => !(name in (customAttributes ?? {})));
  } catch (error) {
    // The Java time-skipping test server can add search attributes but not list them.
    if ((error as { code?: unknown }).code === GRPC_UNIMPLEMENTED) return names;
    throw error;
  }
}
