/**
 * `@leadline/examples`: runnable programs built on Leadline.
 *
 * @example
 * ```ts
 * import { simulateMonth } from '@leadline/examples';
 * const month = await simulateMonth({ seed: 7 });
 * ```
 *
 * @module
 */
export { describeLead } from './simulation/describe-lead.js';
export { SeededRandom } from './simulation/random.js';
export { demoPolicies, type MonthOptions, type SimulatedMonth, simulateMonth } from './simulation/simulate-month.js';
