import { describeStoreContract } from './contract.js';
import { MemoryStore } from './memory.js';

describeStoreContract('memory', async (now) => new MemoryStore(now));
