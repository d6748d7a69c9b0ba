import { describeLeadStore } from '@leadline/core/testing';
import { afterAll } from 'vitest';
import { PostgresStore } from '../src/index.js';
import { pgliteDatabase } from './databases.js';

const database = pgliteDatabase();
afterAll(() => database.close());

describeLeadStore('PostgresStore on PGlite', {
  create: () => database.createStore(),
  reopen: (store) => new PostgresStore({ db: database.db, schema: (store as PostgresStore).schema }),
  destroy: (store) => database.dropStore(store as PostgresStore),
});
