import { describeLeadStore } from '@leadline/core/testing';
import { afterAll, describe, it } from 'vitest';
import { PostgresStore } from '../src/index.js';
import { DATABASE_URL, NEEDS_SERVER, serverDatabase } from './databases.js';

if (DATABASE_URL) {
  const url = DATABASE_URL;
  const database = serverDatabase(url);
  const others: ReturnType<typeof serverDatabase>[] = [];
  afterAll(async () => {
    for (const other of others) await other.close();
    await database.close();
  });

  describeLeadStore('PostgresStore on a PostgreSQL server', {
    create: () => database.createStore(),
    // Another store on its own pool: what a second worker process would have.
    reopen: (store) => {
      const other = serverDatabase(url, 2);
      others.push(other);
      return new PostgresStore({ db: other.db, schema: (store as PostgresStore).schema });
    },
    destroy: (store) => database.dropStore(store as PostgresStore),
  });
} else {
  describe.skip(`LeadStore conformance: PostgresStore on a PostgreSQL server (${NEEDS_SERVER})`, () => {
    it('runs the conformance suite', () => {});
  });
}
