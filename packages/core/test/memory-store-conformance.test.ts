import { MemoryStore } from '@leadline/core';
import { describeLeadStore } from '@leadline/core/testing';

describeLeadStore('MemoryStore', { create: () => new MemoryStore() });
