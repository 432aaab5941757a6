import type { CommandStartedEvent, Document } from 'mongodb';
import type { DeclaredIndex, StoreQuery } from './indexCoverage';

export type { StoreQuery };

/** One write command and how many documents or statements it carried. */
export interface StoreWrite {
  collection: string;
  command: 'insert' | 'update' | 'delete';
  size: number;
}

/**
 * Records what a MongoClient made with `monitorCommands: true` sends to one database: every query
 * filter (with its sort) and every write command. Pass `listener` to the client's `commandStarted`.
 */
export class CommandLog {
  readonly queries: StoreQuery[] = [];
  readonly writes: StoreWrite[] = [];
  /** Every index a createIndexes command declared (ensureIndexes), whether or not it existed. */
  readonly indexes: DeclaredIndex[] = [];
  readonly listener = (event: CommandStartedEvent): void => this.record(event);

  /** `db`: the database to record, by name or by a test of its name. */
  constructor(private readonly db: string | ((name: string) => boolean)) {}

  clear(): void {
    this.queries.length = 0;
    this.writes.length = 0;
  }

  private record({ databaseName, commandName, command }: CommandStartedEvent): void {
    if (typeof this.db === 'string' ? databaseName !== this.db : !this.db(databaseName)) return;
    const collection = command[commandName] as unknown;
    if (typeof collection !== 'string') return;
    const query = (filter: unknown, sort?: unknown) =>
      this.queries.push({
        collection,
        command: commandName,
        filter: filter ?? {},
        ...(isNonEmpty(sort) && { sort }),
      });
    switch (commandName) {
      case 'find':
        query(command.filter, command.sort);
        break;
      case 'findAndModify':
        query(command.query, command.sort);
        break;
      case 'count':
      case 'distinct':
        query(command.query);
        break;
      case 'aggregate':
        query(...firstStages(command.pipeline as Document[] | undefined));
        break;
      case 'update':
        for (const statement of command.updates as Document[]) query(statement.q);
        this.writes.push({ collection, command: 'update', size: (command.updates as Document[]).length });
        break;
      case 'delete':
        for (const statement of command.deletes as Document[]) query(statement.q);
        this.writes.push({ collection, command: 'delete', size: (command.deletes as Document[]).length });
        break;
      case 'createIndexes':
        // The driver sends an index's key as a Map, which keeps the order of its fields.
        for (const { key, name } of command.indexes as {
          key: Document | Map<string, unknown>;
          name: string;
        }[]) {
          this.indexes.push({
            collection,
            name,
            keys: key instanceof Map ? [...key.keys()] : Object.keys(key),
          });
        }
        break;
      case 'insert':
        this.writes.push({ collection, command: 'insert', size: (command.documents as Document[]).length });
        break;
    }
  }
}

/** An aggregation's leading $match (what a server can use an index for) and the $sort after it. */
function firstStages(pipeline: readonly Document[] = []): [Document, Document | undefined] {
  const [first, second] = pipeline;
  const match = first && '$match' in first ? (first.$match as Document) : {};
  const sortStage = first && '$match' in first ? second : first;
  const sort = sortStage && '$sort' in sortStage ? (sortStage.$sort as Document) : undefined;
  return [match, sort];
}

function isNonEmpty(value: unknown): value is Document {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}
