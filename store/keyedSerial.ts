/**
 * Runs tasks one at a time per key, in the order they were given, and tasks for different keys side
 * by side: a read-modify-write or `$inc` of one shared document (a product's population, written by
 * every customer who buys it; a lift cell's or a console counter's shard) never loses a concurrent
 * write from this process. FerretDB's updates are a query then a write, so two in flight at once can.
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // The last task of a key removes its entry: the map holds only keys with work in flight.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
