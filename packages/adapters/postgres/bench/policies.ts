/** The policies of the benchmark's engines. Every process must build the same machine. */
import { firstTouchSla } from '@leadline/core';

export const benchPolicies = { sla: firstTouchSla({ within: '5m' }) };
