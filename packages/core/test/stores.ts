// Store wrappers for tests.
import type { CommitUnit, LeadStore, MemoryStore } from '@leadline/core';

/**
 * The memory store answering through promises, as a database adapter does, so that tests cover the
 * engine's asynchronous path too. Records every commit it is asked for.
 */
export function asyncStore(inner: MemoryStore): { store: LeadStore; commits: CommitUnit[] } {
  const commits: CommitUnit[] = [];
  const store = new Proxy(inner, {
    get(target, property) {
      const member = Reflect.get(target, property, target);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        if (property === 'commit') commits.push(args[0] as CommitUnit);
        return Promise.resolve().then(() => member.apply(target, args));
      };
    },
  }) as LeadStore;
  return { store, commits };
}
